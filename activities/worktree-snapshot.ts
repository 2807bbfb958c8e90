// A worktree agent that resumes from a checkpoint must find its files as they were when that
// checkpoint was taken: the conversation says what it wrote. So each checkpoint records a
// snapshot commit of the worktree: its tree is every file git would commit (tracked and
// untracked, not ignored), its parent the worktree's HEAD (the commit the branch started from,
// or the agent's own latest commit if it made any). The snapshot is on no
// branch, so the agent's branch still ends with one commit; unreachable commits survive git's
// gc for two weeks (gc.pruneExpire), far longer than a retry waits, and a snapshot that is gone
// anyway makes the agent start over rather than resume with the wrong files.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BATON_IDENTITY, git } from './git-command.js';

export interface WorktreeSnapshot {
  commit: string;
  tree: string;
  head: string;
}

/**
 * Commits the worktree's files without touching its index, branch or working tree. When the
 * files and HEAD are as at `previous`, that snapshot is returned again rather than a new commit
 * of the same tree, so checkpoints of turns that changed nothing name the same snapshot.
 */
export async function snapshotWorktree(root: string, message: string, previous?: WorktreeSnapshot): Promise<WorktreeSnapshot> {
  // A private index: staging in the real one would change what the agent's own `git diff` shows.
  const index = path.resolve(root, (await git(root, ['rev-parse', '--git-path', 'index'])).trim());
  const temp = await mkdtemp(path.join(tmpdir(), 'baton-snapshot-'));
  const env = { GIT_INDEX_FILE: path.join(temp, 'index') };
  try {
    // Starting from a copy of the real index lets `add` skip files whose stat did not change.
    await copyFile(index, env.GIT_INDEX_FILE).catch(() => undefined);
    await git(root, ['add', '-A'], env);
    const tree = (await git(root, ['write-tree'], env)).trim();
    const head = (await git(root, ['rev-parse', 'HEAD'])).trim();
    if (previous && previous.tree === tree && previous.head === head) return previous;
    return { commit: (await git(root, [...BATON_IDENTITY, 'commit-tree', tree, '-p', head, '-m', message])).trim(), tree, head };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** The commit a snapshot was taken on top of (where the branch resumes), or null when the snapshot is not in this repository. */
export async function snapshotBase(top: string, snapshot: string): Promise<string | null> {
  if (!/^[0-9a-f]{40,64}$/.test(snapshot)) return null;
  try {
    return (await git(top, ['rev-parse', '--verify', '--quiet', `${snapshot}^1^{commit}`])).trim();
  } catch {
    return null;
  }
}

/**
 * Puts a snapshot's files into a worktree freshly created at the snapshot's base, leaving them
 * unstaged as the agent left them (the index back at the base), so only the files differ.
 */
export async function restoreSnapshot(root: string, snapshot: string): Promise<void> {
  await git(root, ['read-tree', '-u', '--reset', snapshot]);
  await git(root, ['reset', '--quiet']);
}
