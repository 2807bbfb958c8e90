// Where one agent's tools run, set up before its first turn and torn down after its last:
// the workspace (or, with `isolation: 'worktree'`, its own worktree of it) and a private
// scratch directory outside it that serves as Bash's HOME and TMPDIR.
import { randomUUID } from 'node:crypto';
import { realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentRequest } from '../contract/run-types.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { FilesSnapshot } from './agent-checkpoint.js';
import { AgentFailure } from './agent-errors.js';
import type { RepoCache } from './repo-cache.js';
import { AgentSandbox } from './sandbox/agent-sandbox.js';
import { openWorkspace, type Workspace } from './workspace.js';
import { openWorktree, type AgentWorktree } from './worktree.js';

export interface AgentSession {
  workspace: Workspace;
  scratchDir: string;
  /** What its Bash commands may see and reach: its workspace or whole worktree, and the run's --allow-net. */
  sandbox: AgentSandbox;
  /** Whether the files are as the resumed checkpoint left them; false means the conversation must start over. */
  resumed: boolean;
  /** What a checkpoint records about the files: a worktree's snapshot commit (null without isolation), with --repo its bundle's blob key. */
  snapshot(): Promise<FilesSnapshot>;
  /** For an agent that succeeded: commits a worktree's changes (and with --repo pushes them). `branch` is present only with a worktree. */
  finish(): Promise<{ branch?: string | null }>;
  /** For an agent that failed or was interrupted: removes everything it made; never throws. */
  discard(): Promise<void>;
}

/**
 * `resume` is the file state a checkpoint recorded (see AgentSession.snapshot). Without isolation
 * the workspace is shared and simply is as it is, so the session always counts as resumed.
 */
export async function openAgentSession(
  request: AgentRequest,
  resume: FilesSnapshot | null = null,
  options: { repos?: RepoCache | undefined; snapshotStore?: BlobStore | undefined; edits?: boolean } = {},
): Promise<AgentSession> {
  const { repo } = request;
  if (repo && !options.repos) throw new AgentFailure('This worker has no repository cache for --repo runs.');
  // With --repo the files come from the worker's cache of the run's pinned commit, not a shared disk.
  let workspace = await openWorkspace(repo ? await options.repos!.checkout(repo.url, repo.commit) : request.workspace);
  let worktree: AgentWorktree | null = null;
  let resumed = resume !== null;
  // With isolation, Bash may write the whole worktree (the workspace may be a subdirectory of it).
  let sandboxRoot: string | undefined;
  if (request.isolation === 'worktree' || (repo && options.edits)) {
    // A retry on another worker: the snapshot's objects come from the blob store, not this cache.
    if (repo && resume?.snapshot && resume.snapshotBundle && options.snapshotStore) {
      const { snapshot, snapshotBundle } = resume;
      // Without it (a bundle gone from the store) the worktree cannot be restored and the agent starts over.
      await options.repos!.importSnapshot(repo.url, snapshot, () => options.snapshotStore!.get(snapshotBundle)).catch(() => undefined);
    }
    worktree = await openWorktree(workspace.root, request.runId, request.agentId, resume?.snapshot ?? undefined);
    resumed = worktree.resumed;
    try {
      workspace = await openWorkspace(worktree.workspace);
      sandboxRoot = await realpath(worktree.root);
    } catch (e) {
      await worktree.discard();
      throw e;
    }
  }
  // Named now, made by the first Bash call (ensureScratchDir in tools/bash-environment.ts): most agents never run Bash, and
  // making and removing a directory per agent is a measurable share of a short agent's cost.
  const scratchDir = path.join(tmpdir(), `baton-agent-${randomUUID()}`);
  let lastBundle: { snapshot: string; key: string } | null = null;
  // Looked for first: most agents never made it, and fs.rm checks its path synchronously, on the
  // event loop every other agent of the worker shares (a worker profile's largest fs cost).
  const removeScratch = () =>
    stat(scratchDir).then(
      () => rm(scratchDir, { recursive: true, force: true }).catch(() => undefined),
      () => undefined,
    );
  return {
    workspace,
    scratchDir,
    // A real path, as the workspace's root is: the command starts in it, inside the sandbox.
    sandbox: new AgentSandbox(sandboxRoot ?? workspace.root, request.allowNet ?? []),
    resumed,
    async snapshot() {
      if (!worktree) return { snapshot: null };
      const snapshot = await worktree.snapshot(`baton checkpoint: run ${request.runId}, agent ${request.agentId}`);
      if (!repo || !options.snapshotStore) return { snapshot };
      // Unchanged files give the same snapshot (worktree.ts), so a turn that edits nothing uploads nothing.
      if (lastBundle?.snapshot !== snapshot) {
        const bundle = await options.repos!.exportSnapshot(repo.url, repo.commit, snapshot);
        lastBundle = { snapshot, key: await options.snapshotStore.put(bundle) };
      }
      return { snapshot, snapshotBundle: lastBundle.key };
    },
    async finish() {
      await removeScratch();
      if (!worktree) return {};
      const branch = await worktree.commit(commitMessage(request));
      if (branch && repo) await options.repos!.push(repo.url, repo.pushUrl ?? repo.url, branch);
      return { branch };
    },
    async discard() {
      await removeScratch();
      await worktree?.discard();
    },
  };
}

function commitMessage(request: AgentRequest): string {
  const label = request.label.trim() ? `: ${request.label.trim()}` : '';
  return `baton run ${request.runId}, agent ${request.agentId}${label}\n\nChanges made by agent ${request.agentId} of Baton run ${request.runId}.`;
}
