// A worker's cache of the runs' repositories (docs/fleet.md#git-remotes): one bare repository per remote under
// $BATON_HOME/repos, fetched into only for commits it lacks, and one shared checkout per pinned
// commit that read-only agents work in and editing agents branch their own worktrees from.
// Credentials are git's own on this worker: Baton adds none and stores no remote in the config.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shownRepoUrl } from '../contract/repo-source.js';
import { AgentFailure } from './agent-errors.js';
import { git, GitCommandFailed } from './git-command.js';
import { serialized } from './serialized.js';

/** Thrown when the remote cannot be fetched from on this worker now: Temporal retries the agent. */
export class RepositoryUnavailable extends Error {
  override name = 'RepositoryUnavailable';
}

/** Thrown when the remote has no such commit (it was rewritten after the run pinned it): retrying cannot help. */
export class PinnedCommitMissing extends AgentFailure {}

/** Thrown when an agent's branch could not be pushed after retries; carries git's message. */
export class BranchPushFailed extends AgentFailure {}

/**
 * The cache's `info/attributes`, which outranks every `.gitattributes` a repository holds and
 * applies to all its checkouts and worktrees: no path gets a filter, diff or merge driver, so a
 * repository naming one (`* filter=lfs`, or any a worker's git config defines) runs nothing on
 * checkout, status or commit. Files arrive exactly as committed (Git LFS files as their pointers;
 * `.lfsconfig` is never read).
 */
const NO_DRIVERS = '# Baton: nothing a repository names runs on this worker (activities/repo-cache.ts).\n* !filter !diff !merge\n';

const PUSH_RETRY_DELAYS_MS = [1_000, 3_000, 9_000];

export class RepoCache {
  /** `pushRetryDelaysMs`: the waits between push attempts (shorter in tests). */
  constructor(
    private readonly dir: string,
    private readonly pushRetryDelaysMs: readonly number[] = PUSH_RETRY_DELAYS_MS,
  ) {}

  /** The shared checkout of `commit` (detached), fetched from `url` first if this worker lacks it. */
  async checkout(url: string, commit: string): Promise<string> {
    const bare = this.bareOf(url);
    return serialized(bare, async () => {
      await this.ensureCommit(bare, url, commit);
      const dir = path.join(this.dir, 'checkouts', key(url), commit);
      if (!existsSync(path.join(dir, '.git'))) {
        await mkdir(path.dirname(dir), { recursive: true });
        await git(bare, ['worktree', 'prune']);
        await git(bare, ['worktree', 'add', '--quiet', '--detach', dir, commit]);
      }
      return dir;
    });
  }

  /**
   * Pushes `branch` (a branch of `url`'s cache, from an agent's worktree) to `to`, replacing what
   * an earlier attempt of the same agent pushed there. Retried like a provider fault, then fails
   * the agent with git's message.
   */
  async push(url: string, to: string, branch: string): Promise<void> {
    const bare = this.bareOf(url);
    for (let attempt = 0; ; attempt++) {
      try {
        await git(bare, ['push', '--quiet', '--force', to, `refs/heads/${branch}:refs/heads/${branch}`]);
        return;
      } catch (e) {
        const delay = this.pushRetryDelaysMs[attempt];
        if (delay === undefined) {
          const detail = e instanceof GitCommandFailed ? e.stderr.trim() : (e as Error).message;
          throw new BranchPushFailed(`Could not push ${branch} to ${shownRepoUrl(to)}: ${detail}`);
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /**
   * A git bundle of `snapshot` (an agent's worktree snapshot, worktree-snapshot.ts) with every
   * object it needs beyond `pinned`, the run's commit, which every worker fetches anyway.
   */
  async exportSnapshot(url: string, pinned: string, snapshot: string): Promise<Uint8Array> {
    const bare = this.bareOf(url);
    // `bundle create` takes refs; a ref per snapshot keeps concurrent agents apart.
    const ref = `refs/baton/snapshots/${snapshot}`;
    const temp = await mkdtemp(path.join(tmpdir(), 'baton-bundle-'));
    try {
      await git(bare, ['update-ref', ref, snapshot]);
      await git(bare, ['bundle', 'create', '--quiet', path.join(temp, 'snapshot.bundle'), ref, `^${pinned}`]);
      return await readFile(path.join(temp, 'snapshot.bundle'));
    } finally {
      await git(bare, ['update-ref', '-d', ref]).catch(() => undefined);
      await rm(temp, { recursive: true, force: true });
    }
  }

  /** Adds a snapshot's objects from its bundle (read by `bundle()` only if this cache lacks them). */
  async importSnapshot(url: string, snapshot: string, bundle: () => Promise<Uint8Array>): Promise<void> {
    const bare = this.bareOf(url);
    if (await hasCommit(bare, snapshot)) return;
    const temp = await mkdtemp(path.join(tmpdir(), 'baton-bundle-'));
    try {
      await writeFile(path.join(temp, 'snapshot.bundle'), await bundle());
      await serialized(bare, () => git(bare, ['bundle', 'unbundle', path.join(temp, 'snapshot.bundle')]));
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  /** The bare repository that caches `url` (made on first use). */
  private bareOf(url: string): string {
    return path.join(this.dir, `${key(url)}.git`);
  }

  private async ensureCommit(bare: string, url: string, commit: string): Promise<void> {
    if (!existsSync(bare)) {
      await mkdir(bare, { recursive: true });
      await git(bare, ['init', '--quiet', '--bare']);
    }
    await ensureNoDrivers(bare);
    if (await hasCommit(bare, commit)) return;
    const shown = shownRepoUrl(url);
    try {
      // Only what this worker lacks: by id where the server allows it, else its branches and tags.
      await git(bare, ['fetch', '--quiet', '--no-tags', url, commit]).catch(() =>
        git(bare, ['fetch', '--quiet', url, '+refs/heads/*:refs/remotes/baton/*', '+refs/tags/*:refs/tags/*']),
      );
    } catch (e) {
      const detail = e instanceof GitCommandFailed ? e.stderr.trim() : (e as Error).message;
      throw new RepositoryUnavailable(`Could not fetch ${shown} on this worker: ${detail}`);
    }
    if (!(await hasCommit(bare, commit))) throw new PinnedCommitMissing(`${shown} no longer has commit ${commit}, which the run pinned at its start.`);
  }
}

async function hasCommit(bare: string, commit: string): Promise<boolean> {
  return git(bare, ['cat-file', '-e', `${commit}^{commit}`]).then(
    () => true,
    () => false,
  );
}

function key(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

/**
 * Checked on every use, so a cache made by an older worker gets it too. Replaced by a rename, never
 * rewritten in place: a checkout running meanwhile in another agent never reads it half-written.
 */
async function ensureNoDrivers(bare: string): Promise<void> {
  const file = path.join(bare, 'info', 'attributes');
  if ((await readFile(file, 'utf8').catch(() => null)) === NO_DRIVERS) return;
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, NO_DRIVERS);
  await rename(temporary, file);
}
