// Where saved workflows live (docs/runs.md#saved-workflows-and-schedules, as Claude Code keeps them): every `.claude/workflows/`
// between the working directory and the repository root (the closest first), then the personal
// `~/.claude/workflows/`, then the workflows shipped with Baton. Earlier places shadow later ones.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { builtinWorkflowsDir } from './builtin-dir.js';

export type WorkflowOrigin = 'project' | 'personal' | 'built-in' | 'plugin';

/** What a lookup starts from; the caller reads them from its environment (cwd, HOME). */
export interface WorkflowPlaces {
  cwd: string;
  /** The user's home directory; undefined when unknown (no personal workflows then). */
  home: string | undefined;
  /** Overrides where the built-in workflows are (tests); default: the checkout's builtin-workflows/. */
  builtinDir?: string;
}

export interface WorkflowDir {
  dir: string;
  origin: WorkflowOrigin;
}

export const WORKFLOWS_SUBDIR = join('.claude', 'workflows');

/** The nearest directory at or above `cwd` that holds `.git` (a directory, or a worktree's file); null outside a repository. */
export function repositoryRoot(cwd: string): string | null {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The project's workflow directories that exist, closest first. Outside a repository only
 * `cwd` itself counts: walking up further would reach unrelated directories (and $HOME).
 */
export function projectWorkflowDirs(cwd: string, home?: string): string[] {
  const start = resolve(cwd);
  const root = repositoryRoot(start) ?? start;
  const personal = home === undefined ? null : personalWorkflowDir(home);
  const dirs: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, WORKFLOWS_SUBDIR);
    // A repository rooted at $HOME (dotfiles) would list the personal directory as a project one.
    if (candidate !== personal && isDirectory(candidate)) dirs.push(candidate);
    if (dir === root || dirname(dir) === dir) break;
  }
  return dirs;
}

export function personalWorkflowDir(home: string): string {
  return join(resolve(home), WORKFLOWS_SUBDIR);
}

/** Every place to look, in precedence order; directories that do not exist are left out. */
export function workflowDirs(places: WorkflowPlaces): WorkflowDir[] {
  const dirs: WorkflowDir[] = projectWorkflowDirs(places.cwd, places.home).map((dir) => ({ dir, origin: 'project' }));
  if (places.home !== undefined && isDirectory(personalWorkflowDir(places.home))) {
    dirs.push({ dir: personalWorkflowDir(places.home), origin: 'personal' });
  }
  const builtin = places.builtinDir ?? builtinWorkflowsDir();
  if (isDirectory(builtin)) dirs.push({ dir: builtin, origin: 'built-in' });
  return dirs;
}

/** Where `baton save` writes a project workflow: the nearest existing directory, else `.claude/workflows/` at the repository root (or `cwd` outside one). */
export function projectSaveDir(cwd: string, home?: string): string {
  const existing = projectWorkflowDirs(cwd, home)[0];
  if (existing) return existing;
  return join(repositoryRoot(cwd) ?? resolve(cwd), WORKFLOWS_SUBDIR);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
