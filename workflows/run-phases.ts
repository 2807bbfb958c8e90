// A phase's line in the run's report (docs/runs.md#in-the-temporal-ui): its agents by state, what they spent,
// and how long it has taken. Pure, computed from the agents' views at every report.
import type { AgentState, AgentView, ModelPrice, PhaseView } from '../contract/run-types.js';
import { totalTokens, usageCost } from '../contract/pricing.js';

/** The states an agent ends in. */
export const FINAL_STATES: readonly AgentState[] = ['succeeded', 'failed', 'cached', 'stopped'];

/**
 * The phase `title` of a run whose agents are `all`: `markedAt` is when the script entered it
 * with phase(), `runEndedAt` when the run ended (null while it runs).
 */
export function phaseView(
  title: string,
  all: readonly AgentView[],
  markedAt: number | undefined,
  runEndedAt: number | null,
  priceOf: (model: string) => ModelPrice | null,
): PhaseView {
  const agents = all.filter((agent) => agent.phase === title);
  const byState: PhaseView['byState'] = {};
  for (const agent of agents) byState[agent.state] = (byState[agent.state] ?? 0) + 1;
  const starts = agents.flatMap((agent) => (agent.startedAt === null ? [] : [agent.startedAt]));
  if (markedAt !== undefined) starts.push(markedAt);
  const unfinished = agents.some((agent) => !FINAL_STATES.includes(agent.state));
  const ends = agents.flatMap((agent) => (agent.endedAt === null ? [] : [agent.endedAt]));
  const start = starts.length > 0 ? Math.min(...starts) : null;
  const end = unfinished ? (runEndedAt ?? Date.now()) : ends.length > 0 ? Math.max(...ends) : start;
  return {
    title,
    agents: agents.length,
    byState,
    tokens: agents.reduce((sum, agent) => sum + totalTokens(agent.tokens), 0),
    // Each model call priced at its own tier (an agent's costUsd), else its tokens at its model's price.
    costUsd: agents.reduce((sum, agent) => sum + (agent.costUsd ?? usageCost(priceOf(agent.model), agent.tokens)), 0),
    elapsedMs: start === null || end === null ? 0 : Math.max(0, end - start),
  };
}
