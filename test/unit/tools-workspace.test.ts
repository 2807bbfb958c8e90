import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError, WorkspaceUnavailable } from '../../activities/agent-errors.js';
import { openWorkspace, type Workspace } from '../../activities/workspace.js';

let root: string;
let outside: string;
let workspace: Workspace;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'baton-ws-'));
  outside = await mkdtemp(path.join(tmpdir(), 'baton-outside-'));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'a.ts'), '');
  await writeFile(path.join(root, 'file.txt'), '');
  await symlink(outside, path.join(root, 'out-dir'));
  await symlink(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling'));
  await symlink(path.join(root, 'src'), path.join(root, 'in-dir'));
  // A workspace reached through a symlink must still accept its own absolute paths.
  await symlink(root, path.join(outside, 'ws-link'));
  workspace = await openWorkspace(path.join(outside, 'ws-link'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('workspace confinement', () => {
  describe.each([
    ['a relative path', 'src/a.ts', 'src/a.ts'],
    ['the root itself', '.', '.'],
    ['a .. that stays inside', 'src/../file.txt', 'file.txt'],
    ['a file that does not exist yet', 'src/new/b.ts', 'src/new/b.ts'],
    ['a symlink that stays inside', 'in-dir/a.ts', 'src/a.ts'],
    ['an absolute path through the workspace symlink', '<link>/src/a.ts', 'src/a.ts'],
    ['an absolute real path', '<root>/src/a.ts', 'src/a.ts'],
  ])('accepts %s', (_name, input, shown) => {
    it('resolving it to a real path inside', async () => {
      const real = await workspace.resolve(input.replace('<root>', root).replace('<link>', path.join(outside, 'ws-link')));
      expect(workspace.contains(real)).toBe(true);
      expect(workspace.display(real)).toBe(shown);
    });
  });

  describe.each([
    ['a .. escape', '../x'],
    ['a deep .. escape', 'src/../../etc/passwd'],
    ['an absolute path outside', '/etc/passwd'],
    ['a symlinked directory leading out', 'out-dir/anything'],
    ['a dangling symlink leading out', 'dangling'],
    ['a sibling sharing the root as prefix', '<root>-evil/x'],
  ])('refuses %s', (_name, input) => {
    it('with a message naming the workspace', async () => {
      const attempt = workspace.resolve(input.replace('<root>', root));
      await expect(attempt).rejects.toBeInstanceOf(ToolError);
      await expect(attempt).rejects.toThrow(`outside the workspace ${path.join(outside, 'ws-link')}`);
    });
  });

  it.each([
    ['a missing directory', '/nonexistent/baton-ws'],
    ['a file', '<root>/file.txt'],
  ])('fails to open %s with WorkspaceUnavailable', async (_name, dir) => {
    const attempt = openWorkspace(dir.replace('<root>', root));
    await expect(attempt).rejects.toBeInstanceOf(WorkspaceUnavailable);
    await expect(attempt).rejects.toThrow(/The workspace .* is not a directory this worker can reach/);
  });
});
