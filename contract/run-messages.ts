// Every query, signal and update of the interpreter workflow, in one place. Clients import this
// file too, so it holds definitions only: no workflow runtime side effects.
// The define* helpers build the same objects as @temporalio/workflow's defineQuery / defineSignal
// / defineUpdate (plain `{ type, name }`; the type parameters are compile-time brands only):
// loading @temporalio/workflow would add about 25 ms to every short CLI command (bench:cli).
import type { QueryDefinition, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { ApprovalReply } from './approval-types.js';
import type { RunJournal } from './call-journal.js';
import type { ScoreGiven, ScoreView } from './score-types.js';
import {
  AGENT_TURNS_UPDATE,
  PROVIDER_BACKOFF_SIGNAL,
  type AgentDetail,
  type ProviderBackoff,
  type RunReport,
  type SteeringAnswer,
  type TurnReport,
  type TurnVerdict,
} from './run-types.js';

export function defineQuery<Ret, Args extends unknown[] = []>(name: string): QueryDefinition<Ret, Args> {
  return { type: 'query', name } as QueryDefinition<Ret, Args>;
}

export function defineSignal<Args extends unknown[] = []>(name: string): SignalDefinition<Args> {
  return { type: 'signal', name } as SignalDefinition<Args>;
}

export function defineUpdate<Ret, Args extends unknown[] = []>(name: string): UpdateDefinition<Ret, Args> {
  return { type: 'update', name } as UpdateDefinition<Ret, Args>;
}

// The run's state, for clients.

/** The live RunReport of a run: status 'running' until the script ends. */
export const batonStateQuery = defineQuery<RunReport>('batonState');

/** The run's call journal and args, which `--resume-from` reuses (docs/runs.md#resuming-an-edited-script). Not in RunReport: that is polled. */
export const batonJournalQuery = defineQuery<RunJournal>('batonJournal');

/** One agent in full: whole prompt, recent tool calls, result. Null for an unknown id. */
export const batonAgentQuery = defineQuery<AgentDetail | null, [string]>('batonAgent');

// From the run's agent activities.

/** Sent by an agent activity that starts waiting out a 429/529: agents not yet started wait until `untilMs`. */
export const providerBackoffSignal = defineSignal<[ProviderBackoff]>(PROVIDER_BACKOFF_SIGNAL);

/** Sent by agent activities after their turns: the run counts the usage and answers, per agent, whether to go on. */
export const agentTurnsUpdate = defineUpdate<TurnVerdict[], [TurnReport[]]>(AGENT_TURNS_UPDATE);

// Steering, by workflow id from any machine (docs/runs.md#steering-and-watching): updates rather
// than signals, so a validator refuses what cannot apply (resume a run that is not paused, restart
// an agent that is not running, an answer nobody asked for) and the CLI learns the outcome.

/** `baton budget RUN --max-cost N | --budget-tokens N`: the new ceilings (either or both). */
export interface BudgetRaise {
  budgetTokens?: number;
  maxCostUsd?: number;
}

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

/** `baton approve RUN [--reject]` (docs/runs.md#approvals): answers the oldest waiting approve() call; it resolves to `reply.approve`. */
export const approveRunUpdate = defineUpdate<SteeringAnswer, [ApprovalReply]>('batonApprove');

/** `baton score RUN NAME VALUE` on a running run: an update, so the score is in the run's history and its report, search attributes and memo follow. Records the score (the last of its name wins); answers it as kept, with the run's time. */
export const scoreRunUpdate = defineUpdate<ScoreView, [ScoreGiven]>('batonScore');
