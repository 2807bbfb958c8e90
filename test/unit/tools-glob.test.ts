import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globTool, GLOB_MAX_RESULTS } from '../../activities/tools/glob-tool.js';
import { runTool } from '../../activities/tools/index.js';
import type { ToolContext } from '../../activities/tools/tool.js';
import { Permissions } from '../../activities/permissions.js';
import { openWorkspace } from '../../activities/workspace.js';

let root: string;
let outside: string;
let ctx: ToolContext;

// Distinct mtimes, so "newest first" is observable: later in the list = newer.
const FILES = ['README.md', 'src/util.ts', 'src/main.ts', 'src/deep/inner.ts', '.github/ci.yml', 'node_modules/dep/index.ts', '.git/HEAD'];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'baton-glob-'));
  outside = await mkdtemp(path.join(tmpdir(), 'baton-outside-'));
  await writeFile(path.join(outside, 'leak.ts'), '');
  const base = Date.now() / 1000 - 1000;
  for (const [i, file] of FILES.entries()) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), `// ${file}\n`);
    await utimes(path.join(root, file), base + i * 10, base + i * 10);
  }
  await mkdir(path.join(root, 'many'));
  for (let i = 0; i < GLOB_MAX_RESULTS + 5; i++) await writeFile(path.join(root, 'many', `f${i}.txt`), '');
  await symlink(outside, path.join(root, 'linked-dir'));
  ctx = { workspace: await openWorkspace(root), permissions: Permissions.fromRules([]), scratchDir: outside, heartbeat: () => {} };
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('Glob', () => {
  describe.each([
    ['all TypeScript files, newest first', { pattern: '**/*.ts' }, 'src/deep/inner.ts\nsrc/main.ts\nsrc/util.ts'],
    ['one directory level', { pattern: 'src/*.ts' }, 'src/main.ts\nsrc/util.ts'],
    ['a search path, results still relative to the workspace', { pattern: '*.ts', path: 'src' }, 'src/main.ts\nsrc/util.ts'],
    ['an absolute search path inside', { pattern: '**/inner.ts', path: '<root>/src' }, 'src/deep/inner.ts'],
    ['an absolute pattern inside', { pattern: '<root>/src/*.ts' }, 'src/main.ts\nsrc/util.ts'],
    ['dot files', { pattern: '**/*.yml' }, '.github/ci.yml'],
    ['brace expansion', { pattern: '**/*.{md,yml}' }, '.github/ci.yml\nREADME.md'],
    ['no match', { pattern: '**/*.rs' }, 'No files found'],
    ['node_modules and .git skipped', { pattern: '**/{index.ts,HEAD}' }, 'No files found'],
    ['a symlinked directory not followed', { pattern: 'linked-dir/**' }, 'No files found'],
  ])('%s', (_name, input, expected) => {
    it('lists the matching paths', async () => {
      const resolved = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v.replace('<root>', root)]));
      expect(await globTool.run(resolved as { pattern: string }, ctx)).toBe(expected);
    });
  });

  it(`returns at most ${GLOB_MAX_RESULTS} paths and says so`, async () => {
    const out = (await globTool.run({ pattern: 'many/*.txt' }, ctx)).split('\n');
    expect(out).toHaveLength(GLOB_MAX_RESULTS + 1);
    expect(out.at(-1)).toContain(`Results are truncated: ${GLOB_MAX_RESULTS + 5} files matched`);
  });

  describe.each([
    ['a .. pattern', { pattern: '../**/*.ts' }, "Patterns may not contain '..'"],
    ['an absolute pattern outside', { pattern: '/etc/*' }, 'is outside the search directory'],
    ['a path outside', { pattern: '*', path: '..' }, 'The path .. is outside the workspace'],
    ['a path through a symlink leading out', { pattern: '*', path: 'linked-dir' }, 'The path linked-dir is outside the workspace'],
    ['a file as path', { pattern: '*', path: 'README.md' }, 'is not a directory'],
    ['a missing pattern', { path: 'src' }, "must have required property 'pattern'"],
  ])('refuses %s', (_name, input, message) => {
    it('as an is_error tool result', async () => {
      const run = await runTool(globTool, 'Glob', input, ctx);
      expect(run).toMatchObject({ isError: true });
      expect(run.content).toContain(message);
    });
  });
});
