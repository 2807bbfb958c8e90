// Running an agent: its activity, in a cancellation scope of its own, under steering
// (steering.ts), and how it ends: its outcome, or a failure or cancellation mapped to one
// (agent-failure.ts, agent-cancellation.ts), recorded by the run's tracker. Also the running
// agents' turn reports (docs/design.md#turn-reports-are-updates): their usage counts as it comes,
// and each learns whether it may make its next model call.
import { ActivityCancellationType, CancellationScope, condition, isCancellation, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { AgentDefinition } from '../contract/agent-context.js';
import type { AgentOutcome, AgentRequest, AgentView, RunInput, TurnReport, TurnVerdict } from '../contract/run-types.js';
import { agentTitle } from '../contract/agent-title.js';
import { PASSED_OPTION_FIELDS } from '../contract/agent-options.js';
import { TERMINAL_AGENT_FAILURES } from '../contract/terminal-agent-failures.js';
import { fairShareOf } from '../contract/fair-share.js';
import { narrowNetAllowances } from '../contract/net-allowance.js';
import { agentTurnsUpdate, providerBackoffSignal } from '../contract/run-messages.js';
import type { BatonActivities } from '../activities/index.js';
import { ScriptFacingError, type AgentOptions } from './agent-options.js';
import { agentFailureEnd } from './agent-failure.js';
import { failure, type CallEnvelope } from './call-envelope.js';
import type { CallSlot } from './call-journal.js';
import { SCHEMA_RETRIES_ERROR } from './claude-code-semantics.js';
import { partialOf, uncounted } from './partial-outcome.js';
import type { RunTracker } from './run-tracker.js';
import type { SpendingLedger } from './spending-ledger.js';
import { AgentStoppedByUser, type Steering } from './steering.js';
import { CLAUDE_CODE_SEMANTICS_PATCH, WAIT_FOR_CANCELLED_AGENTS_PATCH } from './patches.js';

/** docs/script-language.md#agent-options `timeout`'s default: the agent as a whole, all its attempts together. */
const DEFAULT_AGENT_TIMEOUT_MS = 3_600_000;

export class AgentExecution {
  /** docs/runs.md#budgets: each running agent's scope, so reaching the budget can cancel them all. */
  private readonly runningScopes = new Map<string, CancellationScope>();
  /**
   * A cancelled agent (stopped by `baton stop`, `baton agent stop` or a ceiling) is waited for
   * until its attempt has ended and said what it spent, the call then at the model included, so
   * a stopped run's totals hold every call the provider billed. Bounded by the heartbeat timeout
   * when its worker is gone.
   */
  private readonly waitsForCancelledAgents: boolean;
  /**
   * Claude Code's script-visible semantics (claude-code-semantics.ts): read once, here, for the
   * whole run; the prelude gets it too.
   */
  readonly claudeCodeSemantics: boolean;
  /** Set by settle(): no agent may make another model call, and none starts. */
  private endingRun = false;

  constructor(
    private readonly input: RunInput,
    private readonly runId: string,
    private readonly tracker: RunTracker,
    private readonly steering: Steering,
  ) {
    // Registered before the script starts, so no activity's signal is missed.
    setHandler(providerBackoffSignal, (backoff) => this.tracker.noteProviderBackoff(backoff));
    setHandler(agentTurnsUpdate, (reports) => this.turns(reports));
    this.waitsForCancelledAgents = patched(WAIT_FOR_CANCELLED_AGENTS_PATCH);
    this.claudeCodeSemantics = patched(CLAUDE_CODE_SEMANTICS_PATCH);
  }

  /** True once the script has ended and settle() cancels the agents still running. */
  get ending(): boolean {
    return this.endingRun;
  }

  private get spending(): SpendingLedger {
    return this.tracker.spending;
  }

  /**
   * Before the run ends: agents still running (the script did not wait for them, or it ended on
   * an error while they ran) are cancelled and waited for, so none goes on spending after the
   * run and what each spent is in the report. Whatever cancelled the run, this wait is not cut
   * short: a cancelled agent answers within seconds, or its heartbeat timeout ends it.
   */
  async settle(): Promise<void> {
    if (!this.waitsForCancelledAgents || this.runningScopes.size === 0) return;
    this.endingRun = true;
    for (const scope of this.runningScopes.values()) scope.cancel();
    await CancellationScope.nonCancellable(() => condition(() => this.runningScopes.size === 0));
  }

  /**
   * docs/runs.md#budgets: a batch of running agents' turn reports. Their usage counts now, the ceilings are
   * checked, and each agent learns whether it may make its next model call: held while the run
   * waits at a ceiling (`--on-budget pause`), refused once it stops.
   */
  private async turns(reports: TurnReport[]): Promise<TurnVerdict[]> {
    for (const report of reports) {
      this.tracker.recordTurn(report);
    }
    this.checkBudget();
    return Promise.all(reports.map((report) => this.verdict(report.agentId)));
  }

  private async verdict(agentId: string): Promise<TurnVerdict> {
    const refusal = (): string | null => {
      const agent = this.runningScopes.has(agentId) ? null : `agent ${agentId} is not running in this run`;
      return (
        agent ??
        this.steering.requestFor(agentId) ??
        (this.steering.stopRequested ? 'the run is stopping' : this.endingRun ? 'the run is ending' : (this.spending.reached?.message ?? null))
      );
    };
    if (this.spending.held && refusal() === null) {
      try {
        await condition(() => !this.spending.held || refusal() !== null);
      } catch (error) {
        if (!isCancellation(error)) throw error;
        return { agentId, go: false, reason: 'the run was cancelled' };
      }
    }
    const reason = refusal();
    return reason === null ? { agentId, go: true } : { agentId, go: false, reason };
  }

  /**
   * Starts the agent and runs it to its end. The activity is scheduled before this returns,
   * with no step between the agent's start and its command.
   */
  start(view: Readonly<AgentView>, prompt: string, options: AgentOptions, definition: AgentDefinition | undefined, slot: CallSlot): Promise<CallEnvelope> {
    this.tracker.startAgent(view);
    return this.execute(view, this.request(view, prompt, options, definition), options, slot);
  }

  private async execute(view: Readonly<AgentView>, request: AgentRequest, options: AgentOptions, slot: CallSlot): Promise<CallEnvelope> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
    const { runAgent } = proxyActivities<BatonActivities>({
      // docs/script-language.md#agent-options: `timeout` bounds the agent as a whole, every attempt and wait together; a
      // per-attempt timeout would let five retries cost five times as long.
      scheduleToCloseTimeout: timeoutMs,
      // The activity heartbeats every 5 s whatever it is doing (activities/agent-loop.ts), so a
      // crashed or partitioned worker is given up on, and the agent retried, within this.
      heartbeatTimeout: '30 seconds',
      retry: {
        initialInterval: '5 seconds',
        backoffCoefficient: 2,
        maximumInterval: '2 minutes',
        maximumAttempts: 5,
        nonRetryableErrorTypes: TERMINAL_AGENT_FAILURES,
      },
      summary: `${view.phase ?? 'no phase'} · ${agentTitle(view)} · ${view.model}`,
      // docs/fleet.md#fair-share-across-runs: runs on one task queue share its slots round-robin by this key (the run, or its
      // tenant). An attribute of the ScheduleActivityTask command, so replay is unaffected.
      priority: fairShareOf(this.input.options, this.runId),
      cancellationType: this.waitsForCancelledAgents ? ActivityCancellationType.WAIT_CANCELLATION_COMPLETED : ActivityCancellationType.TRY_CANCEL,
    });
    // Its own scope, so reaching the budget cancels it like `baton stop` does (no command
    // differs until then: a scope is not a command).
    const scope = new CancellationScope({ cancellable: true });
    try {
      this.runningScopes.set(view.id, scope);
      let outcome: AgentOutcome;
      try {
        outcome = await scope.run(() => this.steering.run(view, () => runAgent(request)));
      } finally {
        this.runningScopes.delete(view.id);
      }
      this.tracker.details.noteOutcome(view.id, outcome);
      this.tracker.endAgent(view, outcome.status, {
        ...(outcome.branch !== undefined ? { branch: outcome.branch } : {}),
        ...uncounted(outcome),
        ...(outcome.context ? { context: outcome.context } : {}),
        turns: outcome.turns,
        lastToolCall: outcome.lastToolCall,
        error: outcome.error ? `${outcome.error.type}: ${outcome.error.message}` : null,
      });
      this.checkBudget();
      if (outcome.branch !== undefined) slot.branch = outcome.branch;
      return { ok: true, value: outcome.status === 'succeeded' ? (outcome.result ?? null) : null };
    } catch (error) {
      if (error instanceof AgentStoppedByUser) {
        this.tracker.endAgent(view, 'stopped', { ...uncounted(error.spent), error: error.message });
        return { ok: true, value: null };
      }
      this.tracker.details.noteFailure(view.id, error);
      const end = agentFailureEnd(error, {
        agentId: view.id,
        timeoutMs,
        scopeCancelled: scope.consideredCancelled,
        runStopping: this.steering.stopRequested,
        // Steering acted on any `baton agent stop|restart` before this (steering.ts).
        request: null,
        budgetReached: this.spending.reached !== null,
      });
      if (end.kind === 'not-agent-failure') throw error;
      const reached = this.spending.reached;
      if (end.kind === 'stopped' && end.byBudget && reached) {
        // docs/runs.md#budgets: an agent in flight when the budget is reached is stopped; its call throws.
        this.tracker.endAgent(view, 'stopped', { ...uncounted(partialOf(error)), error: `stopped: ${reached.message}` });
        return failure(new ScriptFacingError('BudgetExhaustedError', `Agent ${view.id} was stopped: ${reached.message}`));
      }
      if (end.kind === 'stopped') {
        this.tracker.endAgent(view, 'stopped', { ...uncounted(partialOf(error)), error: 'stopped: the run was cancelled' });
        return failure(new ScriptFacingError('RunStoppedError', `The run was stopped while agent ${view.id} was running.`));
      }
      // docs/script-language.md#globals: an agent that failed terminally (after its retries) resolves to null.
      const partial = partialOf(error);
      this.tracker.endAgent(view, 'failed', {
        ...uncounted(partial),
        ...(partial?.context ? { context: partial.context } : {}),
        turns: partial?.turns,
        lastToolCall: partial?.lastToolCall,
        error: end.error,
      });
      this.checkBudget();
      // As on Claude Code: a schema no attempt met throws (a null slot inside parallel()/pipeline()).
      if (this.claudeCodeSemantics && end.schemaExhausted !== null) return failure(new ScriptFacingError(SCHEMA_RETRIES_ERROR, end.schemaExhausted));
      return { ok: true, value: null };
    }
  }

  private request(view: Readonly<AgentView>, prompt: string, options: AgentOptions, definition: AgentDefinition | undefined): AgentRequest {
    const { workspace, allow } = this.input.options;
    const request: AgentRequest = {
      runId: this.runId,
      agentId: view.id,
      prompt,
      label: view.label,
      phase: view.phase,
      model: view.model,
      workspace,
      allow,
    };
    for (const field of PASSED_OPTION_FIELDS) {
      if (options[field] !== undefined) Object.assign(request, { [field]: options[field] });
    }
    if (definition) request.definition = definition;
    if (this.input.options.personal) request.personal = this.input.options.personal;
    if (this.input.options.scheduledBy !== undefined) request.scheduledBy = this.input.options.scheduledBy;
    const repo = this.input.options.repo;
    if (repo?.commit) request.repo = { url: repo.url, commit: repo.commit, ...(repo.pushUrl ? { pushUrl: repo.pushUrl } : {}) };
    // Only set when there is a network to give, so runs without --allow-net send what they always sent.
    const runNet = this.input.options.allowNet ?? [];
    const allowNet = options.allowNet ? narrowNetAllowances(runNet, options.allowNet).kept : runNet;
    if (allowNet.length > 0) request.allowNet = allowNet;
    return request;
  }

  /**
   * docs/runs.md#budgets, called whenever usage is recorded (a turn report, an agent's end): on reaching
   * `--budget-tokens` or `--max-cost`, `--on-budget pause` holds the run; otherwise every running
   * agent is cancelled (as `baton stop` cancels them) and no new one starts. Only a run that
   * reaches its budget issues the cancellations.
   */
  private checkBudget(): void {
    if (!this.spending.check()) return;
    for (const scope of this.runningScopes.values()) scope.cancel();
  }
}
