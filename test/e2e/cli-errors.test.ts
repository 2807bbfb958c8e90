// What a user sees when the input is wrong: exit codes and messages, before anything runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cliEnv, runCli } from './cli-process.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function scriptFile(name: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-script-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

const VALID = `export const meta = { name: 'ok', description: 'fine' }\nreturn 1\n`;

describe('baton CLI input errors', () => {
  it('check reports compile errors as file:line:column and exits 2', async () => {
    const path = scriptFile('bad.js', `export const meta = { name: 'bad', description: 'd' }\nconst x = 1\nimport fs from 'fs'\n`);
    const result = await runCli(['check', path], { env: cliEnv(inject('temporalAddress')) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path}:3:1:`);
  });

  it('check accepts a valid script and names it', async () => {
    const result = await runCli(['check', scriptFile('ok.js', VALID)], { env: cliEnv(inject('temporalAddress')) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('ok: ok: fine');
  });

  it('check warns, at line:column, where a script would not run on Claude Code, and still exits 0', async () => {
    const source = `export const meta = { name: 'ok', description: 'fine' }\nconst n: number = Date.now()\nif (await approve('go?')) return Math.random() + n\n`;
    const path = scriptFile('portable.ts', source);
    const result = await runCli(['check', path], { env: cliEnv(inject('temporalAddress')) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('ok: ok: fine');
    const warnings = result.stderr.split('\n').filter((line) => line.includes('not portable to Claude Code'));
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^${path}:2:8: not portable to Claude Code: TypeScript syntax.* \\(warning\\)$`)),
      expect.stringMatching(new RegExp(`^${path}:2:19: not portable to Claude Code: Claude Code refuses Date\\.now\\(\\)`)),
      expect.stringMatching(new RegExp(`^${path}:3:11: not portable to Claude Code: approve\\(\\) is Baton's own`)),
      expect.stringMatching(new RegExp(`^${path}:3:34: not portable to Claude Code: Claude Code refuses Math\\.random\\(\\)`)),
    ]);
  });

  it('run without a terminal and without --yes shows the card and refuses', async () => {
    const result = await runCli(['run', scriptFile('ok.js', VALID)], { env: cliEnv(inject('temporalAddress')) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ok: fine');
    expect(result.stderr).toContain('pass --yes');
  });

  it.each([
    [['--args', '{not json'], '--args must be JSON'],
    [['--concurrency', '0'], '--concurrency must be at least 1'],
    [['--concurrency', '300'], '--concurrency must be at most 256'],
    [['--allow', 'rm -rf'], "--allow takes a rule like 'Bash(npm test:*)'"],
  ])('run %j is a usage error', async (flags, message) => {
    const result = await runCli(['run', scriptFile('ok.js', VALID), '--yes', ...flags], { env: cliEnv(inject('temporalAddress')) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('a missing script file is a usage error', async () => {
    const result = await runCli(['run', '/nonexistent/x.js', '--yes'], { env: cliEnv(inject('temporalAddress')) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no such script file');
  });

  it('an unknown BATON_ variable is named', async () => {
    const result = await runCli(['check', scriptFile('ok.js', VALID)], { env: cliEnv(inject('temporalAddress'), { BATON_MODLE: 'haiku' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown environment variable BATON_MODLE');
  });

  it('a worker refuses an eager-dispatch mode it does not know, naming the ones it does', async () => {
    const result = await runCli(['worker', '--eager-activities', 'sometimes'], { env: cliEnv(inject('temporalAddress')) });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("--eager-activities takes when-idle, always or never, got 'sometimes'");
  });
});
