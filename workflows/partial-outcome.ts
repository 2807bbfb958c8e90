// What an agent attempt that did not return an outcome spent: a terminal failure's details
// (activities/run-agent-activity.ts) or a cancellation's (AgentProgress.interrupted), read
// where the run ends the agent (agent-execution.ts) or restarts it (steering.ts).
import { ActivityFailure } from '@temporalio/workflow';
import type { AgentOutcome, TokenUsage } from '../contract/run-types.js';

/** The partial AgentOutcome a terminal failure (activities/run-agent-activity.ts) or a cancellation carries in its details, if any. */
export function partialOf(error: unknown): Partial<AgentOutcome> | null {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  const detail = (cause as { details?: unknown[] } | null)?.details?.[0] as Partial<AgentOutcome> | undefined;
  return detail && typeof detail === 'object' && isUsage(detail.usage) ? detail : null;
}

/**
 * What an outcome spent beyond the turn reports already counted: its `unreported` usage (one
 * call, its last turn, as a rule), or all of it for an outcome from before turn reports.
 */
export function uncounted(outcome: Partial<AgentOutcome> | null): { usage?: TokenUsage; oneCall?: boolean; webSearches?: number } {
  if (!outcome) return {};
  if (isUsage(outcome.unreported)) {
    const webSearches = typeof outcome.unreportedWebSearches === 'number' ? { webSearches: outcome.unreportedWebSearches } : {};
    return { usage: outcome.unreported, oneCall: true, ...webSearches };
  }
  return isUsage(outcome.usage) ? { usage: outcome.usage } : {};
}

function isUsage(value: unknown): value is TokenUsage {
  if (!value || typeof value !== 'object') return false;
  const usage = value as Record<string, unknown>;
  return ['input', 'output', 'cacheRead', 'cacheWrite'].every((key) => typeof usage[key] === 'number');
}
