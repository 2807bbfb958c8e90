// An agent activity's failure → how the agent ends (workflows/agent-failure.ts): stopped when the
// run or its budget cancelled it, failed with the text its status shows, the exhausted schema named.
import { describe, expect, it } from 'vitest';
import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { agentCancelled, agentFailureEnd, type FailureContext } from '../../workflows/agent-failure.js';

const context: FailureContext = { agentId: 'a3', timeoutMs: 120_000, cancelRequested: false, budgetReached: false };

function activityFailure(cause?: Error): ActivityFailure {
  return new ActivityFailure('activity failed', 'runAgent', '7', RetryState.NON_RETRYABLE_FAILURE, undefined, cause);
}

describe('agentFailureEnd', () => {
  it('an activity cancelled by the run is stopped; with the budget reached, stopped by the budget', () => {
    const cancelled = activityFailure(new CancelledFailure('cancelled'));
    expect(agentCancelled(cancelled, false)).toBe(true);
    expect(agentFailureEnd(cancelled, context)).toEqual({ kind: 'stopped', byBudget: false });
    expect(agentFailureEnd(cancelled, { ...context, budgetReached: true })).toEqual({ kind: 'stopped', byBudget: true });
  });

  it('any failure after the run asked to stop is stopped, even a terminal one', () => {
    const terminal = activityFailure(ApplicationFailure.create({ type: 'ModelRequestRejected', message: '400', nonRetryable: true }));
    expect(agentCancelled(terminal, false)).toBe(false);
    expect(agentFailureEnd(terminal, { ...context, cancelRequested: true })).toEqual({ kind: 'stopped', byBudget: false });
  });

  it('a terminal failure shows its type and message', () => {
    const terminal = activityFailure(ApplicationFailure.create({ type: 'ModelRequestRejected', message: 'messages.0: bad', nonRetryable: true }));
    expect(agentFailureEnd(terminal, context)).toEqual({ kind: 'failed', error: 'ModelRequestRejected: messages.0: bad', schemaExhausted: null });
  });

  it("the agent's timeout shows as TimeoutError with the agent and its timeout", () => {
    const fuse = activityFailure(new TimeoutFailure('timed out', undefined, TimeoutType.SCHEDULE_TO_CLOSE));
    expect(agentFailureEnd(fuse, context)).toMatchObject({
      kind: 'failed',
      error: expect.stringMatching(/^TimeoutError: agent a3 ran past its timeout of 2m, all attempts together/),
    });
    // A heartbeat timeout is a lost worker, not the fuse.
    const heartbeat = activityFailure(new TimeoutFailure('no heartbeat', undefined, TimeoutType.HEARTBEAT));
    expect(agentFailureEnd(heartbeat, context)).toMatchObject({ kind: 'failed', error: expect.stringMatching(/^TimeoutFailure: no heartbeat/) });
  });

  it('an exhausted schema carries the message agent({ schema }) throws', () => {
    const schema = activityFailure(
      ApplicationFailure.create({
        type: 'SchemaValidationFailed',
        message: "after 5 attempts. Last error:\n/: must have required property 'ok'",
        nonRetryable: true,
      }),
    );
    const end = agentFailureEnd(schema, context);
    expect(end).toMatchObject({ kind: 'failed', error: expect.stringMatching(/^SchemaValidationFailed: /) });
    expect(end.kind === 'failed' && end.schemaExhausted).toMatch(/^agent\(\{schema\}\): StructuredOutput retry cap \(5\) exceeded\. after 5 attempts.*'ok'/s);
  });

  it('an activity failure without a cause shows its own message; anything else is not an agent failure', () => {
    expect(agentFailureEnd(activityFailure(), context)).toEqual({ kind: 'failed', error: 'activity failed', schemaExhausted: null });
    expect(agentFailureEnd(new TypeError('interpreter bug'), context)).toEqual({ kind: 'not-agent-failure' });
  });
});
