// The directory an agent may touch. Every path a tool receives goes through `resolve`, which
// compares real paths (symlinks followed), so neither `..`, an absolute path nor a symlink
// can lead a tool outside the workspace.
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolError, WorkspaceUnavailable } from './agent-errors.js';

export interface Workspace {
  /** The directory as the run recorded it, for messages. */
  readonly dir: string;
  /** Its real path; every resolved path starts with it. */
  readonly root: string;
  /** A tool's path argument (relative to the workspace, or absolute) as a real path inside it. */
  resolve(input: string): Promise<string>;
  /** Whether a real path lies inside the workspace. */
  contains(realPath: string): boolean;
  /** A real path inside the workspace as the model should see it: relative, `/`-separated. */
  display(realPath: string): string;
}

/** Opens the workspace, failing the agent when this worker cannot reach it. */
export async function openWorkspace(dir: string): Promise<Workspace> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    throw new WorkspaceUnavailable(
      `The workspace ${dir} is not a directory this worker can reach (${(e as Error).message}). ` +
        'Start the run from a directory that exists on the worker, or run the worker where the files are.',
    );
  }
  const contains = (p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  return {
    dir,
    root,
    contains,
    display: (p) => path.relative(root, p).split(path.sep).join('/') || '.',
    async resolve(input) {
      if (typeof input !== 'string' || input.length === 0) throw new ToolError('A path is required.');
      const real = await realpathAllowMissing(path.resolve(root, input));
      if (!contains(real)) throw new ToolError(`The path ${input} is outside the workspace ${dir}; only files inside it can be used.`);
      return real;
    },
  };
}

// A path that does not exist yet (a file Write will create, a typo) still has to be checked:
// resolve its deepest existing ancestor, whose real path decides where it would land. A dangling
// symlink is followed by hand, since writing through it would create its target.
async function realpathAllowMissing(absolute: string, depth = 0): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const parent = path.dirname(current);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw e;
      const link = await lstat(current).catch(() => null);
      if (link?.isSymbolicLink()) {
        if (depth > 32) throw new ToolError(`Too many levels of symbolic links at ${absolute}.`);
        const target = path.resolve(parent, await readlink(current));
        return realpathAllowMissing(path.join(target, ...missing.reverse()), depth + 1);
      }
      missing.push(path.basename(current));
      current = parent;
    }
  }
}
