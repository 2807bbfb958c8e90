// Steering and inspection of a running run, by workflow id from any machine (docs/runs.md#steering-and-watching:
// `baton pause|resume|stop RUN`, `baton agent stop|restart RUN ID`, `baton agent RUN ID`).
// Updates rather than signals: a validator refuses what cannot apply (resume a run that is not
// paused, restart an agent that is not running) and the CLI learns the outcome. Definitions only.
import { defineQuery, defineUpdate } from './message-definitions.js';
import type { AgentDetail, SteeringAnswer } from '../contract/run-types.js';

/** `baton budget RUN --max-cost N | --budget-tokens N`: the new ceilings (either or both). */
export interface BudgetRaise {
  budgetTokens?: number;
  maxCostUsd?: number;
}

/** One agent in full: whole prompt, recent tool calls, result. Null for an unknown id. */
export const batonAgentQuery = defineQuery<AgentDetail | null, [string]>('batonAgent');

/** No new agent starts; running agents finish. The run's status becomes `paused`. */
export const pauseRunUpdate = defineUpdate<SteeringAnswer>('batonPause');

/** Agents held by a pause start again. */
export const resumeRunUpdate = defineUpdate<SteeringAnswer>('batonResume');

/**
 * Running agents are cancelled, agents not yet started and later agent() calls throw
 * RunStoppedError in the script, and the run ends `stopped` with its partial state.
 */
export const stopRunUpdate = defineUpdate<SteeringAnswer>('batonStop');

/** That agent is cancelled (or never starts) and its agent() call resolves to null. */
export const stopAgentUpdate = defineUpdate<SteeringAnswer, [string]>('batonStopAgent');

/** That running agent is cancelled and started again fresh; its agent() call gets the new attempt's result. */
export const restartAgentUpdate = defineUpdate<SteeringAnswer, [string]>('batonRestartAgent');

/** Sets the run's ceilings (docs/runs.md#budgets); a run paused at its ceiling goes on once it is below them. */
export const raiseBudgetUpdate = defineUpdate<SteeringAnswer, [BudgetRaise]>('batonRaiseBudget');
