// A long run continues as new with its journal (docs/runs.md#long-runs): Temporal caps a history at
// 51,200 events and 50 MB, and suggests continuing well before. Once it does (or after
// `continueAsNewAfterAgents` agents, for tests), agents not started yet wait, and when none is
// running the run continues as a new run of the same workflow id with the same input plus what
// it has done so far (CarriedRun). The new run re-executes the script from the top: its calls
// take their outcomes from the carried journal in order of key, and its first `logCalls` log()
// calls are skipped, so the report carries on where it was.
//
// Limitation: the script must reissue the same calls. Date.now() and Math.random() are
// deterministic within one run only, so a prompt built from them differs in the new run; such a
// call (and what depends on it) runs live again.
import { condition, isCancellation, makeContinueAsNewFunc, patched, workflowInfo } from '@temporalio/workflow';
import type { CarriedRun } from '../contract/call-journal.js';
import type { AgentView, RunInput, RunReport } from '../contract/run-types.js';
import type { CallEnvelope } from './call-envelope.js';
import type { CallJournal } from './call-journal.js';
import type { AgentTypes } from './agent-types.js';
import type { ConcurrencyGate, Release } from './concurrency-gate.js';
import type { ScriptEnd } from './quickjs/script-sandbox.js';
import type { RunTracker } from './run-tracker.js';

import { CONTINUE_AS_NEW_PATCH } from './patches.js';

export class RunContinuation {
  private readonly followsSuggestion: boolean;
  private due = false;
  private logCalls = 0;
  private logsToSkip: number;
  /** The script's timers so far (script-timers-host.ts), handed to the next run. */
  timers: (() => Array<number | null>) | null = null;
  /** score() calls of the whole chain so far (run-scores.ts), carried like logCalls. */
  scoreCalls: () => number = () => 0;

  constructor(
    private readonly input: RunInput,
    private readonly tracker: RunTracker,
    private readonly journal: CallJournal,
    private readonly gate: ConcurrencyGate,
    private readonly agentTypes?: AgentTypes,
  ) {
    if (input.carry) tracker.restoreLogs(input.carry.logs, input.carry.logCalls);
    this.logsToSkip = input.carry?.logCalls ?? 0;
    this.followsSuggestion = patched(CONTINUE_AS_NEW_PATCH);
  }

  /** The script's log(): lines the runs before this one already showed are not shown twice. */
  log(line: string): void {
    this.logCalls++;
    if (this.logsToSkip > 0) this.logsToSkip--;
    else this.tracker.log(line);
  }

  /** True once the run is to continue as new; from then on no agent starts in this run. */
  get holding(): boolean {
    if (!this.due) {
      const after = this.input.options.continueAsNewAfterAgents;
      this.due = (this.followsSuggestion && workflowInfo().continueAsNewSuggested) || (after !== undefined && this.journal.liveEnded >= after);
    }
    return this.due;
  }

  /**
   * An agent that would start now waits for the next run instead (which reissues its call): the
   * slot is given back so the running agents can drain. Resolves only if the run is cancelled.
   */
  async park(view: Readonly<AgentView>, release: Release): Promise<CallEnvelope> {
    release();
    try {
      await condition(() => false);
    } catch (error) {
      if (!isCancellation(error)) throw error;
    }
    this.tracker.endAgent(view, 'stopped', { error: 'stopped: the run was cancelled' });
    return { ok: false, error: { name: 'RunStoppedError', message: `The run was stopped before agent ${view.id} started.` } };
  }

  /** How the script ended; or, when the run continues as new first, never (ContinueAsNew is thrown). */
  async scriptEnd(end: Promise<ScriptEnd>): Promise<ScriptEnd> {
    let ended = false;
    const tracked = end.finally(() => (ended = true));
    const drained = condition(() => this.holding && this.gate.inFlight === 0).then(
      () => null,
      // A cancelled run ends through the script (its agents throw RunStoppedError).
      (error: unknown) => (isCancellation(error) ? tracked : Promise.reject(error)),
    );
    const first = await Promise.race([tracked, drained]);
    // The script may have ended in the same activation: its end wins.
    if (first !== null) return first;
    if (ended) return tracked;
    // A run pinned to a Worker Deployment version (docs/fleet.md#upgrading-workers-under-running-runs) moves to the current one here.
    return makeContinueAsNewFunc<(input: RunInput) => Promise<RunReport>>({ initialVersioningBehavior: 'AUTO_UPGRADE' })(this.nextInput());
  }

  private nextInput(): RunInput {
    const report = this.tracker.report();
    const carry: CarriedRun = {
      entries: this.journal.ended(),
      startedAt: report.startedAt,
      logCalls: this.logCalls + this.logsToSkip,
      logs: report.logs,
      continuedCount: (this.input.carry?.continuedCount ?? 0) + 1,
      // The answers approve() calls got: the new run's same calls take them without asking again.
      ...(report.approvals ? { approvals: report.approvals } : {}),
      ...(report.reuse ? { reuse: report.reuse } : {}),
      ...(this.timers ? { timers: this.timers() } : {}),
      // The next run uses the agent types this one read, not the files as they are by then.
      ...(this.agentTypes?.loaded ? { catalog: this.agentTypes.loaded } : {}),
      ...(report.scores ? { scores: report.scores } : {}),
      ...(this.scoreCalls() > 0 ? { scoreCalls: this.scoreCalls() } : {}),
    };
    const { resume: _resume, carry: _carry, ...input } = this.input;
    // Ceilings raised by `baton budget` hold in the next run too.
    const same = { ...input, options: { ...input.options, ...this.tracker.ceilings } };
    const resume = this.journal.remainingResume();
    return resume ? { ...same, resume, carry } : { ...same, carry };
  }
}
