// The file walk Glob and Grep share: tinyglobby under a directory of the workspace, never
// leaving it, skipping what a developer never means to search.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { ToolError } from '../agent-errors.js';
import type { ToolContext } from './tool.js';

/** Dependency and VCS trees: huge, and almost never what the model is looking for. */
export const DEFAULT_IGNORE = ['**/node_modules/**', '**/.git/**'];

export interface WalkedFile {
  /** Absolute path inside the workspace (a symlink's own path, when the file is one). */
  absolute: string;
  /** Relative to the workspace root, `/`-separated: what the model sees. */
  shown: string;
  mtimeMs: number;
}

/**
 * Files under `base` (a real directory inside the workspace) matching `pattern`.
 * `pattern` may be relative to `base` or absolute inside it; `..` segments are refused, since
 * they are the one way a glob walks out of its directory.
 */
export async function walkFiles(base: string, pattern: string, ctx: ToolContext): Promise<WalkedFile[]> {
  let relative = pattern;
  if (path.isAbsolute(pattern)) {
    relative = path.relative(base, pattern).split(path.sep).join('/');
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new ToolError(`The pattern ${pattern} is outside the search directory; give a pattern relative to it, e.g. **/*.ts.`);
    }
  }
  if (relative.split(/[\\/]/).includes('..')) {
    throw new ToolError(`Patterns may not contain '..' (${pattern}); pass the directory to search as path instead.`);
  }
  const found = await glob(relative, {
    cwd: base,
    absolute: true,
    onlyFiles: true,
    dot: true,
    // A symlinked directory could lead anywhere on the worker; its files are not the workspace's.
    followSymbolicLinks: false,
    expandDirectories: false,
    ignore: DEFAULT_IGNORE,
    signal: ctx.signal,
  });
  const files: WalkedFile[] = [];
  for (const match of found) {
    const absolute = path.resolve(match);
    // A symlinked file pointing out of the workspace is skipped, as is one deleted mid-walk.
    const real = await realpath(absolute).catch(() => null);
    if (!real || !ctx.workspace.contains(real)) continue;
    const info = await stat(real).catch(() => null);
    if (!info?.isFile()) continue;
    files.push({ absolute, shown: ctx.workspace.display(absolute), mtimeMs: info.mtimeMs });
  }
  return files;
}

/** Newest first, like Claude Code: the files being worked on are usually the relevant ones. */
export function byRecency(a: WalkedFile, b: WalkedFile): number {
  return b.mtimeMs - a.mtimeMs || byPath(a, b);
}

export function byPath(a: WalkedFile, b: WalkedFile): number {
  return a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0;
}
