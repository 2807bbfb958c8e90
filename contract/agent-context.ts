// What each agent gets from the project and from whoever started the run, besides its task
// (docs/agents.md): agent types (`.claude/agents/*.md`), skills (`.claude/skills/NAME/SKILL.md`),
// CLAUDE.md memory. Pure types and lookups, so the workflow, the activities and the CLI share them.

/** Where an agent type's definition came from, in Claude Code's order of precedence. */
export type AgentTypeSource = 'project' | 'personal' | 'plugin' | 'built-in';

/** One agent type, as its file's frontmatter and body define it (built-ins have no file). */
export interface AgentDefinition {
  name: string;
  description: string;
  source: AgentTypeSource;
  /** The file, as shown to the user: relative to the checkout for project files, `~/.claude/...` for personal ones. */
  path?: string;
  /** `tools`: an allowlist that only narrows what the run allows. Absent: every tool. */
  tools?: string[];
  /** `disallowedTools`: removed from whatever else the agent would get. */
  disallowedTools?: string[];
  /** `model`: an alias or a full id; absent (or `inherit`): the call's, phase's or run's model. */
  model?: string;
  maxTurns?: number;
  /** `skills`: skill names whose SKILL.md bodies are preloaded into the agent's first message. */
  skills?: string[];
  /** The file's body: appended to the system prompt after Baton's own framing. */
  prompt: string;
  /** Frontmatter keys Baton read and ignored (`hooks`, `permissionMode`, `color`...), for `baton check`. */
  ignoredKeys?: string[];
}

/** A skill: the model sees `name` and `description` in its first message and loads `body` with the Skill tool. */
export interface SkillFile {
  name: string;
  description: string;
  /** As shown to the user, like AgentDefinition.path. */
  path: string;
  body: string;
}

/** What the CLI took from the starter's home with `baton run --personal-context`. */
export interface PersonalContext {
  /** `~/.claude/CLAUDE.md`, its imports expanded (inside ~/.claude only). */
  memory?: { path: string; text: string };
  /** `~/.claude/agents/*.md` and installed plugins' agents. */
  agents: AgentDefinition[];
  /** `~/.claude/skills/NAME/SKILL.md`. */
  skills: SkillFile[];
}

/**
 * How the personal context travels in the run's input and in each agent's request: inline when
 * small, else as the key of a blob the CLI stored (as `--notify` URLs travel), so a big one is not
 * copied into every agent's request.
 */
export type PersonalContextRef = { inline: PersonalContext } | { blob: string };

/** Below this many characters of JSON the personal context travels inline. */
export const PERSONAL_CONTEXT_INLINE_CHARS = 8 * 1024;

/** The agent types a run resolved at its start (the loadAgentCatalog activity), recorded in its history. */
export interface AgentCatalog {
  /** Project, then personal, then plugin definitions; the first of a name wins. Built-ins are implied. */
  definitions: AgentDefinition[];
}

/** The names a script may pass as `agentType` without a file, mapped to Baton's profiles (activities/agent-profiles.ts). */
export const BUILT_IN_AGENT_TYPES: readonly string[] = ['claude', 'Explore', 'general-purpose', 'Plan', 'statusline-setup'];

/** A custom definition of `name`, or `built-in`, or null when there is none. */
export function findAgentType(catalog: AgentCatalog, name: string): AgentDefinition | 'built-in' | null {
  const found = catalog.definitions.find((definition) => definition.name === name);
  if (found) return found;
  return BUILT_IN_AGENT_TYPES.includes(name) ? 'built-in' : null;
}

/** Every name `agentType` accepts in this run, sorted as Claude Code lists them. */
export function availableAgentTypes(catalog: AgentCatalog): string[] {
  const names = new Set([...catalog.definitions.map((d) => d.name), ...BUILT_IN_AGENT_TYPES]);
  // Case-insensitive by code unit, not localeCompare: the workflow must not depend on a worker's ICU.
  const order = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : a < b ? -1 : a > b ? 1 : 0);
  return [...names].sort(order);
}

/** Claude Code's message for an unknown type. */
export function unknownAgentTypeMessage(name: string, catalog: AgentCatalog): string {
  return `agent({agentType}): agent type '${name}' not found. Available agents: ${availableAgentTypes(catalog).join(', ')}`;
}

/** One file an agent's first message carried, for `baton agent RUN ID`. */
export interface ContextFileView {
  path: string;
  chars: number;
  kind: 'project' | 'personal' | 'import' | 'skill';
}

/** What an agent was given besides its task, recorded in its outcome and view. */
export interface AgentContextView {
  files: ContextFileView[];
  /** Whether the first message carried a git snapshot. */
  git: boolean;
  /** The agent type and where its definition came from (absent: the default agent). */
  agentType?: { name: string; source: AgentTypeSource; path?: string };
}
