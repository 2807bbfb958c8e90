// `isolation: 'worktree'`: the agent works in its own git worktree on branch
// `baton/<runId>/<agentId>`, created from the workspace's HEAD in a temp directory outside
// the workspace (so the workspace's own tools, globs and `git status` never see it). At the
// end its changes are committed on the branch and the directory removed; the branch is kept
// only if something changed.
//
// Retries: the branch name is deterministic, so a leftover worktree or branch from an earlier
// attempt is removed and the branch reset (`worktree add -B`). An attempt that starts its
// conversation over starts from HEAD; one that resumes a checkpoint starts from the commit the
// checkpoint's snapshot was taken on, with the snapshot's files (worktree-snapshot.ts).
// Snapshots need the repository to be the same one on every worker, as the workspace is; with
// `--repo` each worker has its own cache, and the snapshot travels through the blob store
// instead (agent-session.ts, RepoCache.exportSnapshot).
// Uncommitted changes in the workspace are not carried over: the worktree starts from a commit.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorktreeUnavailable } from './agent-errors.js';
import { BATON_IDENTITY, git, GitCommandFailed } from './git-command.js';
import { restoreSnapshot, snapshotBase, snapshotWorktree, type WorktreeSnapshot } from './worktree-snapshot.js';
import { serialized } from './serialized.js';

export interface AgentWorktree {
  /** The worktree's root directory. */
  readonly root: string;
  /** Where the agent works: the worktree's copy of the workspace (which may be a subdirectory of the repository). */
  readonly workspace: string;
  readonly branch: string;
  /** Whether it holds the files of the snapshot it was asked to resume from. */
  readonly resumed: boolean;
  /** Records the files as they are now, for a checkpoint: a snapshot commit's id (the branch does not move). */
  snapshot(message: string): Promise<string>;
  /** Commits any change and removes the worktree: the branch, or null (and no branch) when nothing changed. */
  commit(message: string): Promise<string | null>;
  /** Removes the worktree and its branch, for an agent that failed; never throws. */
  discard(): Promise<void>;
}

/** `baton/<runId>/<agentId>`, with characters git refuses in a branch name replaced. */
export function worktreeBranch(runId: string, agentId: string): string {
  return `baton/${refComponent(runId)}/${refComponent(agentId)}`;
}

/** With `resumeFrom` (a snapshot from a checkpoint), restores its files if the repository still has it. */
export async function openWorktree(workspace: string, runId: string, agentId: string, resumeFrom?: string): Promise<AgentWorktree> {
  const branch = worktreeBranch(runId, agentId);
  const { top, prefix } = await repositoryOf(workspace);
  return serialized(top, async () => {
    await removeWorktreesOf(top, branch);
    const base = resumeFrom ? await snapshotBase(top, resumeFrom) : null;
    let root = await addWorktree(top, branch, agentId, base ?? 'HEAD');
    let resumed = false;
    if (base) {
      try {
        await restoreSnapshot(root, resumeFrom!);
        resumed = true;
      } catch {
        // Half-restored files match nothing: start over from HEAD instead.
        await git(top, ['worktree', 'remove', '--force', root]).catch(() => rm(root, { recursive: true, force: true }));
        root = await addWorktree(top, branch, agentId, 'HEAD');
      }
    }
    const agentWorkspace = path.join(root, prefix);
    // The workspace may be a directory git does not track yet; the agent still works there.
    await mkdir(agentWorkspace, { recursive: true });
    return worktree(top, root, agentWorkspace, branch, resumed);
  });
}

async function addWorktree(top: string, branch: string, agentId: string, startPoint: string): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), `baton-worktree-${refComponent(agentId)}-`));
  try {
    await git(top, ['worktree', 'add', '--quiet', '-B', branch, root, startPoint]);
  } catch (e) {
    await rm(root, { recursive: true, force: true });
    throw new WorktreeUnavailable(`Could not create a worktree for ${branch} in ${top}: ${(e as Error).message}`);
  }
  return root;
}

function worktree(top: string, root: string, workspace: string, branch: string, resumed: boolean): AgentWorktree {
  const remove = async (keepBranch: boolean) => {
    await serialized(top, async () => {
      await git(top, ['worktree', 'remove', '--force', root]).catch(async () => {
        await rm(root, { recursive: true, force: true });
        await git(top, ['worktree', 'prune']);
      });
      if (!keepBranch) await git(top, ['branch', '-D', branch]).catch(() => undefined);
    });
  };
  let lastSnapshot: WorktreeSnapshot | undefined;
  const discard = async () => {
    // Cleanup must not hide the failure that led here.
    await remove(false).catch(() => undefined);
  };
  return {
    root,
    workspace,
    branch,
    resumed,
    discard,
    async snapshot(message) {
      lastSnapshot = await snapshotWorktree(root, message, lastSnapshot);
      return lastSnapshot.commit;
    },
    async commit(message) {
      let changed: boolean;
      try {
        changed = (await git(root, ['status', '--porcelain'])).trim() !== '';
        if (changed) {
          await git(root, ['add', '-A']);
          await git(root, [...BATON_IDENTITY, 'commit', '--quiet', '--no-verify', '-m', message]);
        }
      } catch (e) {
        await discard();
        throw e;
      }
      // The work is safe on the branch now; a directory left behind is pruned by the next attempt.
      await remove(changed).catch(() => undefined);
      return changed ? branch : null;
    },
  };
}

async function repositoryOf(workspace: string): Promise<{ top: string; prefix: string }> {
  let top: string;
  let prefix: string;
  try {
    top = (await git(workspace, ['rev-parse', '--show-toplevel'])).trim();
    prefix = (await git(workspace, ['rev-parse', '--show-prefix'])).trim();
  } catch (e) {
    if (e instanceof GitCommandFailed && e.code === 'ENOENT') {
      throw new WorktreeUnavailable("isolation: 'worktree' needs git, which is not installed on this worker; install git or drop the option.");
    }
    throw new WorktreeUnavailable(
      `isolation: 'worktree' needs the workspace to be a git repository; run \`git init\` there or drop the option (workspace: ${workspace}).`,
    );
  }
  try {
    await git(top, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  } catch {
    throw new WorktreeUnavailable(
      `isolation: 'worktree' branches from HEAD, but the repository at ${top} has no commits yet; make a first commit or drop the option.`,
    );
  }
  return { top, prefix };
}

/** Removes worktrees an earlier attempt left on `branch` (the directory may be gone, or on another worker). */
async function removeWorktreesOf(top: string, branch: string): Promise<void> {
  await git(top, ['worktree', 'prune']);
  const listing = await git(top, ['worktree', 'list', '--porcelain']);
  for (const entry of listing.split('\n\n')) {
    const dir = /^worktree (.+)$/m.exec(entry)?.[1];
    if (dir && dir !== top && entry.includes(`\nbranch refs/heads/${branch}`)) {
      await git(top, ['worktree', 'remove', '--force', dir]).catch(() => rm(dir, { recursive: true, force: true }));
    }
  }
  await git(top, ['worktree', 'prune']);
}

function refComponent(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '')
    .replace(/(\.lock)+$|\.+$/g, '');
  return cleaned || 'x';
}
