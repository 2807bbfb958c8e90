// How an agent activity that did not return an outcome ends the agent: stopped (the run, or its
// budget, cancelled it) or failed terminally, with the error text its status shows. Pure, so the
// mapping is tested on its own (test/unit/agent-failure.test.ts); agent-runner.ts applies it.
import { ActivityFailure, ApplicationFailure, isCancellation, TimeoutFailure } from '@temporalio/workflow';
import { TimeoutType } from '@temporalio/common';
import { MAX_STRUCTURED_OUTPUT_ATTEMPTS } from '../contract/agent-options.js';
import { formatDuration } from '../contract/duration.js';
import { schemaRetriesMessage } from './claude-code-semantics.js';

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

export interface FailureContext {
  agentId: string;
  timeoutMs: number;
  /** The agent's scope was cancelled, or the run is stopping. */
  cancelRequested: boolean;
  /** The run's budget was reached with `--on-budget stop`. */
  budgetReached: boolean;
}

/**
 * The one test for a cancelled agent: cancelled, even if its attempt then ended otherwise (refused
 * its next turn by a stopping run, which waits for it, or its worker gone: a heartbeat timeout).
 */
export function agentCancelled(error: unknown, cancelRequested: boolean): boolean {
  return cancelRequested || isCancellation(error);
}

export function agentFailureEnd(error: unknown, context: FailureContext): AgentFailureEnd {
  if (agentCancelled(error, context.cancelRequested)) return { kind: 'stopped', byBudget: context.budgetReached };
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
