// Agent-file frontmatter and CLAUDE.md imports (docs/agents.md): what each key becomes, what is
// ignored, and which imports are read (inside the checkout only, bounded, cycles once).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { realpathSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAgentFile, parseSkillFile } from '../../library/agent-files.js';
import { importsOf, MAX_IMPORT_DEPTH, projectMemoryFiles } from '../../library/claude-md.js';

const parse = (header: string, body = 'You review code.') =>
  parseAgentFile(`---\n${header}\n---\n${body}\n`, 'file-stem', 'project', '.claude/agents/file-stem.md');

describe('agent file frontmatter', () => {
  describe.each([
    ['name and description', 'name: reviewer\ndescription: Reviews diffs', { name: 'reviewer', description: 'Reviews diffs' }],
    ['the file stem without a name', 'description: x', { name: 'file-stem' }],
    ['tools as a comma list', 'tools: Read, Grep', { tools: ['Read', 'Grep'] }],
    ['tools as a YAML list', 'tools:\n  - Read\n  - Glob', { tools: ['Read', 'Glob'] }],
    ['tools with a Bash specifier', 'tools: Read, Bash(git diff:*)', { tools: ['Read', 'Bash(git diff:*)'] }],
    ["tools '*' as every tool", "tools: '*'", { tools: undefined }],
    ['disallowedTools', 'disallowedTools: Write, Edit', { disallowedTools: ['Write', 'Edit'] }],
    ['a model alias', 'model: haiku', { model: 'haiku' }],
    ['model inherit as none', 'model: inherit', { model: undefined }],
    ['maxTurns', 'maxTurns: 7', { maxTurns: 7 }],
    ['skills', 'skills: [release-notes, pdf]', { skills: ['release-notes', 'pdf'] }],
    [
      'unquoted colons (not YAML), read line by line',
      'name: auditor\ndescription: Use this agent when: the diff is big\ntools: Read',
      { name: 'auditor', description: 'Use this agent when: the diff is big', tools: ['Read'] },
    ],
    [
      'keys Baton ignores',
      'name: x\nhooks:\n  PreToolUse: []\npermissionMode: bypassPermissions\ncolor: red',
      { ignoredKeys: ['hooks', 'permissionMode', 'color'] },
    ],
  ])('%s', (_case, header, expected) => {
    it('reads as expected', () => {
      const { definition } = parse(header);
      for (const [key, value] of Object.entries(expected)) expect(definition[key as keyof typeof definition]).toEqual(value);
      expect(definition.prompt).toBe('You review code.');
      expect(definition.source).toBe('project');
    });
  });

  it.each([
    ['maxTurns: 0', /maxTurns must be a positive whole number/],
    ['name: a\ndescription: b: c', /not valid YAML/],
  ])('warns about %j', (header, warning) => {
    expect(parse(header).warnings.join('\n')).toMatch(warning);
  });

  it('reads a file without frontmatter as a body named by its stem', () => {
    const { definition } = parseAgentFile('Just a prompt.\n', 'plain', 'personal', '~/.claude/agents/plain.md');
    expect(definition).toMatchObject({ name: 'plain', description: '', prompt: 'Just a prompt.', source: 'personal' });
  });

  it("reads a skill's name, description and body, and never its allowed-tools", () => {
    const skill = parseSkillFile(
      '---\nname: pdf\ndescription: Fill PDF forms\nallowed-tools: Bash\n---\nStep 1.\n',
      'pdf-dir',
      '.claude/skills/pdf-dir/SKILL.md',
    );
    expect(skill).toEqual({ name: 'pdf', description: 'Fill PDF forms', path: '.claude/skills/pdf-dir/SKILL.md', body: 'Step 1.' });
  });
});

describe('CLAUDE.md imports', () => {
  it.each([
    ["a relative path, without the sentence's full stop", 'See @docs/a.md.', ['docs/a.md']],
    ['several, in order, once each', '@a.md then @b.md and @a.md', ['a.md', 'b.md']],
    ['not inside a code span', 'run `@not-this.md` but @this.md', ['this.md']],
    ['not inside a fenced block', '```\n@fenced.md\n```\n@after.md', ['after.md']],
    ['not an e-mail address', 'mail me@example.com', []],
    ['an escaped space', '@my\\ notes.md', ['my notes.md']],
    ['a home path (skipped when reading)', '@~/private.md', ['~/private.md']],
  ])('finds %s', (_case, text, expected) => {
    expect(importsOf(text)).toEqual(expected);
  });

  const root = realpathSync(mkdtempSync(join(tmpdir(), 'baton-claude-md-')));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };

  it('reads the files from the checkout down to the workspace, imports after their importer, nothing outside, cycles once, depth bounded', () => {
    const repo = join(root, 'repo');
    write('repo/CLAUDE.md', '@a.md @../outside.md @link.md @~/home.md');
    write('repo/a.md', '@b.md @CLAUDE.md');
    write('repo/b.md', `@chain-1.md`);
    for (let i = 1; i <= MAX_IMPORT_DEPTH + 2; i++) write(`repo/chain-${i}.md`, `chain ${i} @chain-${i + 1}.md`);
    write('outside.md', 'outside');
    symlinkSync(join(root, 'outside.md'), join(repo, 'link.md'));
    write('repo/pkg/.claude/CLAUDE.md', 'pkg');
    const files = projectMemoryFiles(repo, join(repo, 'pkg')).map((f) => `${f.file.slice(repo.length + 1)} ${f.kind}`);
    // CLAUDE.md (depth 0) → a (1) → b (2) → chain-1 (3) → chain-2 (4) → chain-3 (5): no deeper.
    expect(files).toEqual([
      'CLAUDE.md project',
      'a.md import',
      'b.md import',
      'chain-1.md import',
      'chain-2.md import',
      'chain-3.md import',
      'pkg/.claude/CLAUDE.md project',
    ]);
  });
});
