// Agent profiles (`agent({ agentType })`): the system prompt and the tools an agent starts with.
// The system prompt is the prompt-cache prefix every agent of a fan-out shares, so it holds
// nothing per agent or per run; the task and any per-agent instructions go in the user turn.
import { UnknownAgentType } from './agent-errors.js';

export interface AgentProfile {
  name: string;
  systemPrompt: string;
  /** Tool names this profile may use; undefined = every registered tool. */
  tools?: readonly string[];
}

export const DEFAULT_AGENT_TYPE = 'workflow-subagent';

const SUBAGENT_PROMPT = `You are a subagent started by an orchestration script (a Baton workflow). The script gave you one task in the user message; other agents may be working on related tasks in parallel. Complete your task autonomously: no human reads this conversation while it runs, so do not ask questions or wait for confirmation — make reasonable assumptions, and state the ones that matter in your answer.

You work in a workspace directory. Tool paths are relative to the workspace root; files outside the workspace cannot be accessed.

How to work:
- Find things with Glob (file names) and Grep (contents) before reading; Read the files that matter before making claims about them.
- When several tool calls are independent, make them in the same turn.
- Stay on the task you were given; do not do work the task did not ask for.

Your final message is your return value: the script receives its text verbatim and may parse it or hand it to other agents. So make it self-contained and to the point — the answer itself, not a narration of the steps you took, and no preamble such as "Here is". Include the concrete specifics the task needs (file paths with line numbers, names, values). If you could not complete the task, say so plainly and say what blocked you.`;

const EXPLORE_PROMPT = `${SUBAGENT_PROMPT}

You are a read-only explorer: search and read the workspace to answer the task; you cannot change files.`;

const PROFILES: Record<string, AgentProfile> = {
  [DEFAULT_AGENT_TYPE]: { name: DEFAULT_AGENT_TYPE, systemPrompt: SUBAGENT_PROMPT },
  // Claude Code's own subagent names, so scripts written for it run unchanged.
  'general-purpose': { name: 'general-purpose', systemPrompt: SUBAGENT_PROMPT },
  Explore: { name: 'Explore', systemPrompt: EXPLORE_PROMPT, tools: ['Read', 'Glob', 'Grep'] },
};

export function agentProfile(agentType: string | undefined): AgentProfile {
  const name = agentType ?? DEFAULT_AGENT_TYPE;
  const profile = Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
  if (!profile) {
    throw new UnknownAgentType(
      `Unknown agentType ${JSON.stringify(agentType)}; use one of ${Object.keys(PROFILES).join(', ')} or leave it out.`,
    );
  }
  return profile;
}
