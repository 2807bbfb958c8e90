import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTool, READ_MAX_LINE_CHARS } from '../../activities/tools/read-tool.js';
import { runTool } from '../../activities/tools/index.js';
import type { ToolContext } from '../../activities/tools/tool.js';
import { Permissions } from '../../activities/permissions.js';
import { openWorkspace } from '../../activities/workspace.js';

let root: string;
let outside: string;
let ctx: ToolContext;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'baton-read-'));
  outside = await mkdtemp(path.join(tmpdir(), 'baton-outside-'));
  await writeFile(path.join(outside, 'secret.txt'), 'top secret\n');
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'a.txt'), 'one\ntwo\nthree\n');
  await writeFile(path.join(root, 'crlf.txt'), 'alpha\r\nbeta\r\n');
  await writeFile(path.join(root, 'empty.txt'), '');
  await writeFile(path.join(root, 'long.txt'), 'x'.repeat(READ_MAX_LINE_CHARS + 50));
  await writeFile(path.join(root, 'many.txt'), Array.from({ length: 2500 }, (_, i) => `line ${i + 1}`).join('\n'));
  await writeFile(path.join(root, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
  await writeFile(path.join(root, 'src', 'main.ts'), 'export const x = 1;\n');
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'escape.txt'));
  await symlink(path.join(root, 'a.txt'), path.join(root, 'alias.txt'));
  ctx = { workspace: await openWorkspace(root), permissions: Permissions.fromRules([]), scratchDir: outside, heartbeat: () => {} };
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('Read', () => {
  describe.each([
    ['a whole file, numbered like cat -n', { file_path: 'a.txt' }, '     1\tone\n     2\ttwo\n     3\tthree'],
    ['a path in a subdirectory', { file_path: 'src/main.ts' }, '     1\texport const x = 1;'],
    ['offset and limit', { file_path: 'a.txt', offset: 2, limit: 1 }, '     2\ttwo\n\n(The file continues after line 2; Read again with offset 3 for more.)'],
    [
      'offset 0 as the first line',
      { file_path: 'a.txt', offset: 0, limit: 1 },
      '     1\tone\n\n(The file continues after line 1; Read again with offset 2 for more.)',
    ],
    ['CRLF line endings', { file_path: 'crlf.txt' }, '     1\talpha\n     2\tbeta'],
    [
      'a symlink that stays inside',
      { file_path: 'alias.txt', limit: 1 },
      '     1\tone\n\n(The file continues after line 1; Read again with offset 2 for more.)',
    ],
    ['an empty file', { file_path: 'empty.txt' }, '<system-reminder>Warning: the file exists but the contents are empty.</system-reminder>'],
    [
      'an offset past the end',
      { file_path: 'a.txt', offset: 10 },
      '<system-reminder>Warning: the file exists but is shorter than the provided offset (10). The file has 3 lines.</system-reminder>',
    ],
  ])('%s', (_name, input, expected) => {
    it('returns the numbered lines', async () => {
      expect(await readTool.run(input, ctx)).toBe(expected);
    });
  });

  it('accepts an absolute path inside the workspace', async () => {
    expect(await readTool.run({ file_path: path.join(root, 'a.txt'), limit: 1 }, ctx)).toMatch(/^ {5}1\tone/);
  });

  it('reads 2000 lines by default and says where the file continues', async () => {
    const out = await readTool.run({ file_path: 'many.txt' }, ctx);
    const lines = out.split('\n');
    expect(lines[0]).toBe('     1\tline 1');
    expect(lines[1999]).toBe('  2000\tline 2000');
    expect(out).toContain('Read again with offset 2001');
  });

  it('truncates long lines', async () => {
    const out = await readTool.run({ file_path: 'long.txt' }, ctx);
    expect(out).toBe(`     1\t${'x'.repeat(READ_MAX_LINE_CHARS)}… [line truncated]`);
  });

  describe.each([
    ['a missing file', { file_path: 'nope.txt' }, 'File does not exist: nope.txt'],
    ['a directory', { file_path: 'src' }, 'src is a directory'],
    ['a binary file', { file_path: 'image.png' }, 'is a binary file'],
    ['a relative escape', { file_path: '../etc/passwd' }, 'is outside the workspace'],
    ['an absolute path outside', { file_path: '/etc/passwd' }, 'The path /etc/passwd is outside the workspace'],
    ['a symlink leading out', { file_path: 'escape.txt' }, 'The path escape.txt is outside the workspace'],
    ['a missing file_path', {}, "must have required property 'file_path'"],
    ['a negative offset', { file_path: 'a.txt', offset: -1 }, '/offset: must be >= 0'],
  ])('refuses %s', (_name, input, message) => {
    it('as an is_error tool result', async () => {
      const run = await runTool(readTool, 'Read', input, ctx);
      expect(run.isError).toBe(true);
      expect(run.content).toContain(message);
      expect(run.content).not.toContain('top secret');
    });
  });

  it('names the workspace in a refusal', async () => {
    const run = await runTool(readTool, 'Read', { file_path: path.join(outside, 'secret.txt') }, ctx);
    expect(run.content).toContain(`outside the workspace ${root}`);
  });
});
