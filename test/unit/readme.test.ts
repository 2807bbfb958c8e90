// The README is the front door: its commands are the two CI runs on a fresh clone, and its
// example script compiles as it is printed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileScriptFile } from '../../compiler/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = (lang: string): string[] => [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), 'baton-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README.md', () => {
  it('gives only the commands CI runs: scripts/quickstart.sh (test/e2e/quickstart.test.ts) and scripts/test.sh (.ci/run)', () => {
    const commands = blocks('sh')
      .flatMap((block) => block.split('\n'))
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['bash scripts/quickstart.sh', 'bash scripts/test.sh']);
    expect(readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8')).toContain('bash scripts/test.sh');
  });

  it('stays a front door of at most 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('prints a script that compiles', async () => {
    const [script] = blocks('js');
    const file = join(dir, 'review.js');
    writeFileSync(file, script!);
    const result = await compileScriptFile(file);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
