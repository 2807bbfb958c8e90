// Agent profiles (`agent({ agentType })`): the system prompt and the tools an agent starts with.
// The system prompt and the tool definitions are the prompt-cache prefix every agent of a
// fan-out shares, so they hold nothing per agent or per run, and stay byte-for-byte stable;
// the task and any per-agent instructions go in the user turn.
import { UnknownAgentType } from './agent-errors.js';

export interface AgentProfile {
  name: string;
  systemPrompt: string;
  /** The tools this profile offers; `agent({ tools })` can narrow them further. */
  tools: readonly string[];
}

export const DEFAULT_AGENT_TYPE = 'workflow-subagent';

// WebSearch and WebFetch are the provider's server tools (web-tools.ts), offered only when the
// run's allow rules name them.
export const READ_ONLY_TOOLS = ['Read', 'Glob', 'Grep', 'WebSearch', 'WebFetch'] as const;
export const ALL_TOOLS = ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash', 'WebSearch', 'WebFetch'] as const;

const ROLE = `You are a subagent started by an orchestration script (a Baton workflow). The script gave you one task in the user message; other agents may be working on related tasks in parallel. Complete your task autonomously: no human reads this conversation while it runs, so do not ask questions or wait for confirmation — make reasonable assumptions, and state the ones that matter in your answer.

You work in a workspace directory. Tool paths are relative to the workspace root; files outside the workspace cannot be accessed.`;

const HOW_TO_WORK = `How to work:
- Find things with Glob (file names) and Grep (contents) before reading; Read the files that matter before making claims about them.
- When several tool calls are independent, make them in the same turn.
- Stay on the task you were given; do not do work the task did not ask for.`;

const HOW_TO_CHANGE = `- Change files with Edit (an exact, unique string replacement; Read the file first) and create them with Write. Keep changes minimal and in the style of the surrounding code; do not reformat what you did not need to touch.
- Run commands with Bash only when a command is really needed (running tests, a build, git diff). This run allows only the commands its allow rules name; a refused command says which rule would allow it. Do not try to get around a refusal: use the other tools, or say in your answer what you could not run.
- Check your work where you can (re-read the edited lines, run the allowed tests) before you answer.`;

const ANSWER = `Your final message is your return value: the script receives its text verbatim and may parse it or hand it to other agents. So make it self-contained and to the point — the answer itself, not a narration of the steps you took, and no preamble such as "Here is". Include the concrete specifics the task needs (file paths with line numbers, names, values). If you changed files, list them. If you could not complete the task, say so plainly and say what blocked you.`;

const SUBAGENT_PROMPT = `${ROLE}

${HOW_TO_WORK}
${HOW_TO_CHANGE}

${ANSWER}`;

const EXPLORE_PROMPT = `${ROLE}

You are a read-only explorer: search and read the workspace to answer the task. You cannot change files or run commands, so do not offer to; report what you found, and what a change would have to touch if the task asks about one.

${HOW_TO_WORK}
- Be thorough where it matters: check more than one naming convention and location before concluding something does not exist.

${ANSWER}`;

const PROFILES: Record<string, AgentProfile> = {
  [DEFAULT_AGENT_TYPE]: { name: DEFAULT_AGENT_TYPE, systemPrompt: SUBAGENT_PROMPT, tools: ALL_TOOLS },
  // Claude Code's own subagent names, so scripts written for it run unchanged.
  'general-purpose': { name: 'general-purpose', systemPrompt: SUBAGENT_PROMPT, tools: ALL_TOOLS },
  Explore: { name: 'Explore', systemPrompt: EXPLORE_PROMPT, tools: READ_ONLY_TOOLS },
};

export const AGENT_TYPES: readonly string[] = Object.keys(PROFILES);

export function agentProfile(agentType: string | undefined): AgentProfile {
  const name = agentType ?? DEFAULT_AGENT_TYPE;
  const profile = Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
  if (!profile) {
    throw new UnknownAgentType(
      `Unknown agentType ${JSON.stringify(agentType)}; use one of ${AGENT_TYPES.join(', ')} or leave it out.`,
    );
  }
  return profile;
}
