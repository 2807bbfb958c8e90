// A checkout's own agent types (docs/agents.md#agent-types): `.claude/agents/*.md` of the
// workspace, then of the repository's top folder; the first file of a name wins. One reader for
// the worker (the loadAgentCatalog activity, at a run's start) and the CLI (`baton check`, the
// approval card), so both say the same thing about the same files.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { AgentDefinition } from '../contract/agent-context.js';
import { readAgentDir } from './agent-files.js';

/** `workspace` and `top` are real paths; files are shown relative to the workspace. */
export function readProjectAgents(workspace: string, top: string): { definitions: AgentDefinition[]; warnings: string[] } {
  const definitions: AgentDefinition[] = [];
  const warnings: string[] = [];
  const shown = (file: string) => path.relative(workspace, file).split(path.sep).join('/');
  for (const place of [...new Set([workspace, top])]) {
    const found = readAgentDir(path.join(place, '.claude', 'agents'), 'project', shown, top);
    warnings.push(...found.warnings);
    for (const definition of found.definitions) if (!definitions.some((d) => d.name === definition.name)) definitions.push(definition);
  }
  return { definitions, warnings };
}

/** The same, for a folder on this machine (the CLI's): its real path and its repository's top, if any. */
export function readLocalProjectAgents(dir: string): { definitions: AgentDefinition[]; warnings: string[] } {
  let workspace: string;
  try {
    workspace = realpathSync(dir);
  } catch {
    return { definitions: [], warnings: [] };
  }
  let top = workspace;
  try {
    top = realpathSync(execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: workspace, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // Not a git checkout: the workspace alone.
  }
  return readProjectAgents(workspace, top);
}
