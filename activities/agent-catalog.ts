// The `loadAgentCatalog` activity (docs/agents.md): at a run's start, the agent types its script
// may name, in Claude Code's order: the checkout's `.claude/agents/*.md` (the workspace's, then
// the repository top's), then the starter's personal and plugin agents the run carries. Read on a
// worker from the run's own checkout (the --repo run's pinned commit), recorded in the history,
// so a resumed run uses the same definitions whatever the files say by then.
import { realpath } from 'node:fs/promises';
import type { AgentCatalog, AgentDefinition, PersonalContextRef } from '../contract/agent-context.js';
import type { AgentRepo } from '../contract/repo-source.js';
import { readProjectAgents } from '../library/project-agents.js';
import type { BlobStore } from '../storage/blob-store.js';
import { git } from './git-command.js';
import { personalContextOf } from './personal-context.js';
import type { RepoCache } from './repo-cache.js';

export interface CatalogRequest {
  workspace: string;
  repo?: AgentRepo;
  personal?: PersonalContextRef;
}

export interface CatalogActivities {
  loadAgentCatalog(request: CatalogRequest): Promise<AgentCatalog & { warnings: string[] }>;
}

export async function loadAgentCatalog(
  request: CatalogRequest,
  deps: { repos?: RepoCache | undefined; blobStore?: BlobStore | undefined },
): Promise<AgentCatalog & { warnings: string[] }> {
  const warnings: string[] = [];
  const definitions: AgentDefinition[] = [];
  const add = (found: AgentDefinition[]) => {
    for (const definition of found) if (!definitions.some((d) => d.name === definition.name)) definitions.push(definition);
  };
  const dir = request.repo ? (deps.repos ? await deps.repos.checkout(request.repo.url, request.repo.commit) : null) : request.workspace;
  const workspace = dir === null ? null : await realpath(dir).catch(() => null);
  if (workspace === null) warnings.push(`the workspace ${request.workspace} is not reachable from this worker: no project agent types`);
  else {
    const top = await git(workspace, ['rev-parse', '--show-toplevel']).then(
      (out) => realpath(out.trim()),
      () => workspace,
    );
    const found = readProjectAgents(workspace, top);
    add(found.definitions);
    warnings.push(...found.warnings);
  }
  const personal = await personalContextOf(request.personal, deps.blobStore);
  if (personal) add(personal.agents);
  return { definitions, warnings };
}
