// What `baton check` and the approval card say about a script's agent types (docs/agents.md#agent-types):
// each `agentType: 'NAME'` the script text names, and where this run would find it (the project's
// file, the starter's, a plugin's, a built-in, or nowhere, so that agent would fail). A name the
// script computes is not listed; the run still resolves it at its start.
import { findAgentType, type AgentCatalog, type AgentDefinition } from '../contract/agent-context.js';

const HONOURED = 'name, description, tools, disallowedTools, model, maxTurns, skills';

/** The literal names `agentType` is given in the script text, first use first. */
export function agentTypesNamed(program: string): string[] {
  const names: string[] = [];
  for (const match of program.matchAll(/\bagentType\s*:\s*(['"`])([^'"`\n$]+)\1/g)) {
    if (!names.includes(match[2]!)) names.push(match[2]!);
  }
  return names;
}

export interface AgentTypeUse {
  name: string;
  /** Null: no file and no built-in has that name. */
  definition: AgentDefinition | 'built-in' | null;
}

export function agentTypeUses(program: string, catalog: AgentCatalog): AgentTypeUse[] {
  return agentTypesNamed(program).map((name) => ({ name, definition: findAgentType(catalog, name) }));
}

/** `reviewer (project .claude/agents/reviewer.md), Explore (built-in), auditor (not found: that agent would fail)`. */
export function agentTypesLine(uses: AgentTypeUse[]): string {
  return uses
    .map(({ name, definition }) => {
      if (definition === 'built-in') return `${name} (built-in)`;
      if (definition === null) return `${name} (not found: that agent would fail)`;
      return `${name} (${definition.source}${definition.path ? ` ${definition.path}` : ''})`;
    })
    .join(', ');
}

/** One warning per used file with frontmatter keys Baton ignores (hooks, permissionMode, mcpServers...). */
export function ignoredKeyWarnings(uses: AgentTypeUse[]): string[] {
  return uses.flatMap(({ definition }) =>
    definition && definition !== 'built-in' && definition.ignoredKeys?.length
      ? [
          `${definition.path ?? definition.name}: frontmatter ${definition.ignoredKeys.length === 1 ? 'key' : 'keys'} ${definition.ignoredKeys.join(', ')} ignored (Baton reads only ${HONOURED})`,
        ]
      : [],
  );
}
