// Why an agent was cancelled, worked out in one place for the two that act on it: steering,
// around each attempt (`baton agent stop` and `baton agent restart`), and the agent's execution,
// when the attempt is over (`baton stop`, the run's ceiling, the run cancelled from outside).
// Pure, so it is tested on its own (test/unit/agent-failure.test.ts).
import { isCancellation } from '@temporalio/workflow';

export type AgentCancellation =
  /** `baton agent restart`: the attempt starts over from scratch. */
  | 'restart'
  /** `baton agent stop`: the agent's call resolves to null. */
  | 'agent-stop'
  /** The run's ceiling with `--on-budget stop`: the agent's call throws BudgetExhaustedError. */
  | 'budget'
  /** `baton stop`, or the run cancelled: the agent's call throws RunStoppedError. */
  | 'run-stop';

export interface CancellationFacts {
  /** What the attempt threw; undefined when it returned an outcome. */
  thrown?: unknown;
  /** The scope the attempt (steering) or the agent (its execution) ran in was cancelled. */
  scopeCancelled: boolean;
  /** `baton stop` was accepted. */
  runStopping: boolean;
  /** What `baton agent stop|restart` asked of this agent, not yet acted on. */
  request: 'stop' | 'restart' | null;
  /** The run reached a ceiling with `--on-budget stop`. */
  budgetReached: boolean;
}

/**
 * How the agent was cancelled, or null if it was not. Cancelled, even if its attempt then ended
 * otherwise (refused its next turn by a stopping run, which waits for it, or its worker gone: a
 * heartbeat timeout). A request for one agent gives way to a stopping run, which stops them all.
 */
export function agentCancellation(facts: CancellationFacts): AgentCancellation | null {
  const cancelled = facts.scopeCancelled || isCancellation(facts.thrown);
  if (cancelled && !facts.runStopping && facts.request !== null) return facts.request === 'restart' ? 'restart' : 'agent-stop';
  if (cancelled || facts.runStopping) return facts.budgetReached ? 'budget' : 'run-stop';
  return null;
}
