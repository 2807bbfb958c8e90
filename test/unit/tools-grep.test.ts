import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grepTool } from '../../activities/tools/grep-tool.js';
import { runTool } from '../../activities/tools/index.js';
import type { ToolContext } from '../../activities/tools/tool.js';
import { Permissions } from '../../activities/permissions.js';
import { openWorkspace } from '../../activities/workspace.js';

let root: string;
let outside: string;
let ctx: ToolContext;

const FILES: Record<string, string> = {
  'src/a.ts': 'const a = 1;\n// TODO: fix a\nexport { a };\n',
  'src/b.ts': '// todo lower\n// TODO: fix b\n// TODO: again\n',
  'docs/notes.md': 'line 1\nline 2\nTODO in docs\nline 4\nline 5\nline 6\nTODO later\n',
  'node_modules/dep/index.ts': '// TODO: vendored\n',
  'bin.dat': 'TODO\0binary',
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'baton-grep-'));
  outside = await mkdtemp(path.join(tmpdir(), 'baton-outside-'));
  await writeFile(path.join(outside, 'secret.ts'), '// TODO: secret outside\n');
  const base = Date.now() / 1000 - 1000;
  for (const [i, [file, text]] of Object.entries(FILES).entries()) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
    await utimes(path.join(root, file), base + i * 10, base + i * 10);
  }
  await symlink(path.join(outside, 'secret.ts'), path.join(root, 'src', 'link.ts'));
  ctx = { workspace: await openWorkspace(root), permissions: Permissions.fromRules([]), scratchDir: outside, heartbeat: () => {} };
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('Grep', () => {
  describe.each([
    ['files_with_matches by default, newest first', { pattern: 'TODO' }, 'Found 3 files\ndocs/notes.md\nsrc/b.ts\nsrc/a.ts'],
    ['a glob without a slash matching at any depth', { pattern: 'TODO', glob: '*.ts' }, 'Found 2 files\nsrc/b.ts\nsrc/a.ts'],
    ['a glob with braces', { pattern: 'TODO', glob: '*.{md,txt}' }, 'Found 1 file\ndocs/notes.md'],
    ['a path', { pattern: 'TODO', path: 'docs' }, 'Found 1 file\ndocs/notes.md'],
    ['a single file as path', { pattern: 'fix', path: 'src/a.ts' }, 'Found 1 file\nsrc/a.ts'],
    ['content with line numbers by default', { pattern: 'TODO: fix', output_mode: 'content' }, 'src/a.ts:2:// TODO: fix a\nsrc/b.ts:2:// TODO: fix b'],
    ['content without line numbers', { pattern: 'fix a', output_mode: 'content', '-n': false }, 'src/a.ts:// TODO: fix a'],
    [
      'case-insensitive content',
      { pattern: 'todo', output_mode: 'content', '-i': true, path: 'src/b.ts' },
      'src/b.ts:1:// todo lower\nsrc/b.ts:2:// TODO: fix b\nsrc/b.ts:3:// TODO: again',
    ],
    [
      'context lines with a group separator',
      { pattern: 'TODO', output_mode: 'content', path: 'docs', '-C': 1 },
      'docs/notes.md-2-line 2\ndocs/notes.md:3:TODO in docs\ndocs/notes.md-4-line 4\n--\ndocs/notes.md-6-line 6\ndocs/notes.md:7:TODO later',
    ],
    ['-A only', { pattern: 'in docs', output_mode: 'content', '-A': 1 }, 'docs/notes.md:3:TODO in docs\ndocs/notes.md-4-line 4'],
    ['count', { pattern: 'TODO', output_mode: 'count' }, 'docs/notes.md:2\nsrc/a.ts:1\nsrc/b.ts:2\n\nFound 5 total occurrences across 3 files.'],
    [
      'head_limit',
      { pattern: 'TODO', output_mode: 'content', head_limit: 1 },
      'docs/notes.md:3:TODO in docs\n(4 more not shown; raise head_limit or narrow the search.)',
    ],
    ['a regular expression', { pattern: 'const \\w+ = \\d', output_mode: 'content' }, 'src/a.ts:1:const a = 1;'],
    ['no match (files)', { pattern: 'nothing-here' }, 'No files found'],
    ['no match (content)', { pattern: 'nothing-here', output_mode: 'content' }, 'No matches found'],
  ])('%s', (_name, input, expected) => {
    it('prints ripgrep-shaped output', async () => {
      expect(await grepTool.run(input as Parameters<typeof grepTool.run>[0], ctx)).toBe(expected);
    });
  });

  it('skips node_modules, binary files and symlinks leading out', async () => {
    const out = await grepTool.run({ pattern: 'vendored|binary|secret', output_mode: 'content' }, ctx);
    expect(out).toBe('No matches found');
  });

  describe.each([
    ['an invalid regular expression', { pattern: '(unclosed' }, 'Invalid regular expression'],
    ['a path outside', { pattern: 'x', path: '/etc' }, 'The path /etc is outside the workspace'],
    ['a .. path', { pattern: 'x', path: '../' }, 'outside the workspace'],
    ['a symlink leading out', { pattern: 'x', path: 'src/link.ts' }, 'The path src/link.ts is outside the workspace'],
    ['a .. glob', { pattern: 'x', glob: '../**/*.ts' }, "Patterns may not contain '..'"],
    ['a missing path', { pattern: 'x', path: 'nope' }, 'Path does not exist: nope'],
    ['an unknown output_mode', { pattern: 'x', output_mode: 'lines' }, '/output_mode: must be equal to one of the allowed values'],
  ])('refuses %s', (_name, input, message) => {
    it('as an is_error tool result', async () => {
      const run = await runTool(grepTool, 'Grep', input, ctx);
      expect(run).toMatchObject({ isError: true });
      expect(run.content).toContain(message);
    });
  });
});
