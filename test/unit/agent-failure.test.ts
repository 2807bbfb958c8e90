// An agent activity's failure → how the agent ends (workflows/agent-failure.ts): stopped when the
// run or its budget cancelled it, failed with the text its status shows, the exhausted schema named;
// and the one classifier of cancellations (workflows/agent-cancellation.ts) steering shares.
import { describe, expect, it } from 'vitest';
import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { agentCancellation, type CancellationFacts } from '../../workflows/agent-cancellation.js';
import { agentFailureEnd, type FailureContext } from '../../workflows/agent-failure.js';

const facts: CancellationFacts = { scopeCancelled: false, runStopping: false, request: null, budgetReached: false };
const context: FailureContext = { agentId: 'a3', timeoutMs: 120_000, ...facts };
const agentCancelled = (thrown: unknown, cancelRequested: boolean) => agentCancellation({ ...facts, thrown, scopeCancelled: cancelRequested }) !== null;

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
    expect(agentFailureEnd(terminal, { ...context, scopeCancelled: true })).toEqual({ kind: 'stopped', byBudget: false });
    expect(agentFailureEnd(terminal, { ...context, runStopping: true })).toEqual({ kind: 'stopped', byBudget: false });
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

describe('agentCancellation', () => {
  const cancelled = activityFailure(new CancelledFailure('cancelled'));

  it('an attempt cancelled for one agent restarts it or stops it, whether it threw or ended on its own', () => {
    expect(agentCancellation({ ...facts, thrown: cancelled, request: 'restart' })).toBe('restart');
    expect(agentCancellation({ ...facts, scopeCancelled: true, request: 'restart' })).toBe('restart');
    expect(agentCancellation({ ...facts, scopeCancelled: true, request: 'stop' })).toBe('agent-stop');
    // A request alone, the attempt not (yet) cancelled, changes nothing.
    expect(agentCancellation({ ...facts, request: 'stop' })).toBeNull();
  });

  it("a stopping run overrides one agent's request, and the budget names why the run stops", () => {
    expect(agentCancellation({ ...facts, scopeCancelled: true, runStopping: true, request: 'restart' })).toBe('run-stop');
    expect(agentCancellation({ ...facts, runStopping: true })).toBe('run-stop');
    expect(agentCancellation({ ...facts, scopeCancelled: true, budgetReached: true })).toBe('budget');
    expect(agentCancellation({ ...facts, thrown: new Error('not a cancellation') })).toBeNull();
  });
});
