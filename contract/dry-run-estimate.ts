// What `baton check --dry-run` prints: the agents each phase would start, and a cost range from
// the price table, from the report of a dry run.
import type { ModelTable, RunReport, TokenUsage } from './run-types.js';
import { costUsd } from './pricing.js';

// Assumed tokens per agent, for the range only: a dry run sends no request, so real usage is
// unknown. Low: a short prompt and a terse answer. High: an agent that reads a good part of a
// codebase and answers at length. Cache reads and writes are ignored (priced as plain input).
export const LOW_TOKENS_PER_AGENT: TokenUsage = { input: 2_000, output: 500, cacheRead: 0, cacheWrite: 0 };
export const HIGH_TOKENS_PER_AGENT: TokenUsage = { input: 20_000, output: 4_000, cacheRead: 0, cacheWrite: 0 };

export interface DryRunPhase {
  title: string;
  agents: number;
  /** Resolved model ids the phase's agents use, in first-use order. */
  models: string[];
}

export interface DryRunEstimate {
  phases: DryRunPhase[];
  agents: number;
  costUsd: { low: number; high: number };
}

/** Phases in the order the report lists them; agents outside any phase under `(no phase)`. */
export function dryRunEstimate(report: Pick<RunReport, 'phases' | 'agentList'>, table: ModelTable): DryRunEstimate {
  const byPhase = new Map<string, DryRunPhase>();
  for (const p of report.phases) byPhase.set(p.title, { title: p.title, agents: 0, models: [] });
  let low = 0;
  let high = 0;
  for (const agent of report.agentList) {
    const title = agent.phase ?? '(no phase)';
    let phase = byPhase.get(title);
    if (!phase) byPhase.set(title, (phase = { title, agents: 0, models: [] }));
    phase.agents += 1;
    if (!phase.models.includes(agent.model)) phase.models.push(agent.model);
    low += costUsd(agent.model, LOW_TOKENS_PER_AGENT, table);
    high += costUsd(agent.model, HIGH_TOKENS_PER_AGENT, table);
  }
  return {
    phases: [...byPhase.values()],
    agents: report.agentList.length,
    costUsd: { low: round(low), high: round(high) },
  };
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
