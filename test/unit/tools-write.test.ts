import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permissions } from '../../activities/permissions.js';
import { runTool } from '../../activities/tools/index.js';
import type { ToolContext } from '../../activities/tools/tool.js';
import { writeTool } from '../../activities/tools/write-tool.js';
import { openWorkspace } from '../../activities/workspace.js';

let root: string;
let outside: string;
let ctx: ToolContext;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'baton-write-'));
  outside = await mkdtemp(path.join(tmpdir(), 'baton-outside-'));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'old.ts'), 'old\n');
  await writeFile(path.join(outside, 'secret.txt'), 'top secret\n');
  await symlink(outside, path.join(root, 'out-dir'));
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt'));
  await symlink(path.join(outside, 'planted.txt'), path.join(root, 'dangling.txt'));
  ctx = { workspace: await openWorkspace(root), permissions: Permissions.fromRules([]), scratchDir: outside, heartbeat: () => {} };
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const write = (file_path: string, content: string) => runTool(writeTool, 'Write', { file_path, content }, ctx);

describe('Write', () => {
  it('creates a file', async () => {
    expect(await write('new.txt', 'one\ntwo\n')).toEqual({ content: 'File created successfully at: new.txt (2 lines).', isError: false });
    expect(await readFile(path.join(root, 'new.txt'), 'utf8')).toBe('one\ntwo\n');
  });

  it('creates missing parent directories', async () => {
    const run = await write('deep/er/still/x.ts', 'export {};');
    expect(run.isError).toBe(false);
    expect(await readFile(path.join(root, 'deep/er/still/x.ts'), 'utf8')).toBe('export {};');
  });

  it('overwrites an existing file and says so', async () => {
    expect((await write('src/old.ts', 'new\n')).content).toBe('The file src/old.ts has been overwritten (1 lines).');
    expect(await readFile(path.join(root, 'src', 'old.ts'), 'utf8')).toBe('new\n');
  });

  it('accepts an absolute path inside the workspace', async () => {
    expect((await write(path.join(root, 'abs.txt'), 'x')).isError).toBe(false);
    expect(await readFile(path.join(root, 'abs.txt'), 'utf8')).toBe('x');
  });

  it('writes an empty file', async () => {
    expect((await write('empty.txt', '')).isError).toBe(false);
    expect((await stat(path.join(root, 'empty.txt'))).size).toBe(0);
  });

  it('refuses a directory', async () => {
    expect(await write('src', 'x')).toEqual({ content: '<tool_use_error>src is a directory; give the path of a file.</tool_use_error>', isError: true });
  });

  describe.each([
    ['an absolute path outside', '<outside>/planted.txt'],
    ['a .. escape', '../planted.txt'],
    ['a .. escape into a new directory', 'src/../../new-dir/planted.txt'],
    ['a new file under a symlinked directory leading out', 'out-dir/planted.txt'],
    ['a new subdirectory under a symlinked directory leading out', 'out-dir/sub/planted.txt'],
    ['a symlink to a file outside', 'secret-link.txt'],
    ['a dangling symlink pointing outside', 'dangling.txt'],
  ])('refuses %s', (_name, input) => {
    it('as an is_error result, writing nothing outside', async () => {
      const run = await write(input.replace('<outside>', outside), 'pwned');
      expect(run.isError).toBe(true);
      expect(run.content).toContain('is outside the workspace');
      await expect(stat(path.join(outside, 'planted.txt'))).rejects.toThrow();
      await expect(stat(path.join(outside, 'sub'))).rejects.toThrow();
      await expect(stat(path.join(path.dirname(root), 'new-dir'))).rejects.toThrow();
      expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('top secret\n');
    });
  });

  it('requires content', async () => {
    const run = await runTool(writeTool, 'Write', { file_path: 'x.txt' }, ctx);
    expect(run).toMatchObject({ isError: true, content: expect.stringContaining("must have required property 'content'") });
  });
});
