// How an agent activity that did not return an outcome ends the agent: stopped (the run, or its
// budget, cancelled it) or failed terminally, with the error text its status shows. Pure, so the
// mapping is tested on its own (test/unit/agent-failure.test.ts); agent-execution.ts applies it.
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { TimeoutType } from '@temporalio/common';
import { MAX_STRUCTURED_OUTPUT_ATTEMPTS } from '../contract/agent-options.js';
import { formatDuration } from '../contract/duration.js';
import { schemaRetriesMessage } from './claude-code-semantics.js';
import { agentCancellation, type CancellationFacts } from './agent-cancellation.js';

export type AgentFailureEnd =
  /** Stopped: `byBudget` when the run's ceiling cancelled it (its call throws the budget error). */
  | { kind: 'stopped'; byBudget: boolean }
  /**
   * Failed after its retries: `error` for its status; `schemaExhausted` is the message
   * agent({ schema }) throws with Claude Code's semantics, when no attempt met the schema.
   */
  | { kind: 'failed'; error: string; schemaExhausted: string | null }
  /** Not an agent's failure at all: an interpreter bug, rethrown. */
  | { kind: 'not-agent-failure' };

/** The agent, and whether it was cancelled (agent-cancellation.ts) besides what it threw. */
export interface FailureContext extends Omit<CancellationFacts, 'thrown'> {
  agentId: string;
  timeoutMs: number;
}

export function agentFailureEnd(error: unknown, context: FailureContext): AgentFailureEnd {
  const cancellation = agentCancellation({ ...context, thrown: error });
  if (cancellation !== null) return { kind: 'stopped', byBudget: cancellation === 'budget' };
  if (!(error instanceof ActivityFailure)) return { kind: 'not-agent-failure' };
  const cause = error.cause;
  const schemaExhausted =
    cause instanceof ApplicationFailure && cause.type === 'SchemaValidationFailed' ? schemaRetriesMessage(MAX_STRUCTURED_OUTPUT_ATTEMPTS, cause.message) : null;
  return { kind: 'failed', error: failureText(error, context), schemaExhausted };
}

function failureText(error: ActivityFailure, { agentId, timeoutMs }: FailureContext): string {
  const cause = error.cause;
  if (isFuse(cause)) {
    return `TimeoutError: agent ${agentId} ran past its timeout of ${formatDuration(timeoutMs)}, all attempts together; raise it with agent(prompt, { timeout })`;
  }
  if (!cause) return error.message;
  return `${cause instanceof ApplicationFailure && cause.type ? cause.type : cause.name}: ${cause.message}`;
}

/** The agent's `timeout` passed (schedule-to-close; start-to-close in runs from before it was the fuse). */
function isFuse(cause: unknown): boolean {
  return cause instanceof TimeoutFailure && (cause.timeoutType === TimeoutType.SCHEDULE_TO_CLOSE || cause.timeoutType === TimeoutType.START_TO_CLOSE);
}
