// The agent types a script names, as `baton check` and the approval card list them
// (docs/agents.md#agent-types): read from the starter's checkout, as the run will read them on a
// worker at its start; a --repo run's files are on the remote, so the card only names them.
import type { AgentCatalog } from '../contract/agent-context.js';
import { shownRepoUrl } from '../contract/repo-source.js';
import type { RunInput } from '../contract/run-types.js';
import { agentTypeUses, agentTypesLine, agentTypesNamed, ignoredKeyWarnings } from '../library/agent-types-used.js';
import { readPersonalContext } from '../library/personal-context.js';
import { readLocalProjectAgents } from '../library/project-agents.js';

/** For `baton check` in `dir`: the types used, where each is found (personal ones need --personal-context), and the files' warnings. */
export function checkAgentTypes(program: string, dir: string, home: string): { line: string | null; warnings: string[] } {
  if (agentTypesNamed(program).length === 0) return { line: null, warnings: [] };
  const project = readLocalProjectAgents(dir);
  const personal = readPersonalContext(home);
  const catalog: AgentCatalog = {
    definitions: [...project.definitions, ...personal.context.agents.filter((a) => !project.definitions.some((d) => d.name === a.name))],
  };
  const uses = agentTypeUses(program, catalog);
  const needsFlag = uses.some(({ definition }) => typeof definition === 'object' && definition !== null && definition.source !== 'project');
  return {
    line: agentTypesLine(uses) + (needsFlag ? ' — personal and plugin types reach agents only with baton run --personal-context' : ''),
    warnings: [...project.warnings, ...ignoredKeyWarnings(uses)],
  };
}

/** The card's line: the types the script names and where this run takes each from. */
export function cardAgentTypes(input: RunInput): string | null {
  const names = agentTypesNamed(input.script.program);
  if (names.length === 0) return null;
  const { repo, workspace, personal } = input.options;
  if (repo) return `${names.join(', ')} (read from ${shownRepoUrl(repo.url)}'s .claude/agents at the pinned commit when the run starts)`;
  const project = readLocalProjectAgents(workspace);
  const theirs = personal && 'inline' in personal ? personal.inline.agents : [];
  const uses = agentTypeUses(input.script.program, {
    definitions: [...project.definitions, ...theirs.filter((a) => !project.definitions.some((d) => d.name === a.name))],
  });
  return agentTypesLine(uses);
}
