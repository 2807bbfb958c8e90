// The host side of agent(): checks the call, queues it behind the concurrency gate, runs the
// agent activity and reports the outcome back to the script as a JSON envelope
// (`{ ok: true, value }` or `{ ok: false, error: { name, message } }`, see script-prelude.ts).
import { ActivityCancellationType, CancellationScope, condition, isCancellation, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { AgentDefinition } from '../contract/agent-context.js';
import type { AgentOutcome, AgentRequest, AgentView, CompiledScript, RunInput, TurnReport, TurnVerdict } from '../contract/run-types.js';
import { agentTitle } from '../contract/agent-title.js';
import { PASSED_OPTION_FIELDS, unknownOptionWarning } from '../contract/agent-options.js';
import { callKey } from '../contract/call-key.js';
import { TERMINAL_AGENT_FAILURES } from '../contract/terminal-agent-failures.js';
import { fairShareOf } from '../contract/fair-share.js';
import { resolveModel } from '../contract/models.js';
import type { BatonActivities } from '../activities/index.js';
import { defaultLabel, parseAgentOptions, ScriptFacingError, type AgentOptions } from './agent-options.js';
import { narrowNetAllowances } from '../contract/net-allowance.js';
import type { CallJournal, CallSlot } from './call-journal.js';
import type { ConcurrencyGate } from './concurrency-gate.js';
import type { RunContinuation } from './continue-as-new.js';
import { agentTurnsUpdate, providerBackoffSignal } from '../contract/run-messages.js';
import { dryRunAgent } from './dry-run-agent.js';
import type { AgentTypes, ResolvedAgentType } from './agent-types.js';
import type { SpendingLedger } from './spending-ledger.js';
import type { RunTracker } from './run-tracker.js';
import { partialOf, uncounted } from './partial-outcome.js';
import { AgentStoppedByUser, type Steering } from './steering.js';
import { SCHEMA_RETRIES_ERROR } from './claude-code-semantics.js';
import { agentFailureEnd } from './agent-failure.js';
import { CLAUDE_CODE_SEMANTICS_PATCH, IGNORE_UNKNOWN_AGENT_OPTIONS_PATCH, WAIT_FOR_CANCELLED_AGENTS_PATCH } from './patches.js';

/** docs/script-language.md#agent-options `timeout`'s default: the agent as a whole, all its attempts together. */
const DEFAULT_AGENT_TIMEOUT_MS = 3_600_000;

type Envelope = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

export class AgentRunner {
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
  /** Set by settle(): no agent may make another model call. */
  private ending = false;
  /** Unknown agent() options already warned about in the run's log: once per key. */
  private readonly warnedOptions = new Set<string>();

  constructor(
    private readonly input: RunInput,
    private readonly runId: string,
    private readonly tracker: RunTracker,
    private readonly gate: ConcurrencyGate,
    private readonly steering: Steering,
    private readonly journal: CallJournal,
    private readonly continuation: RunContinuation,
    private readonly agentTypes?: AgentTypes,
  ) {
    // Registered with the runner, before the script starts, so no activity's signal is missed.
    setHandler(providerBackoffSignal, (backoff) => this.tracker.noteProviderBackoff(backoff));
    setHandler(agentTurnsUpdate, (reports) => this.turns(reports));
    this.waitsForCancelledAgents = patched(WAIT_FOR_CANCELLED_AGENTS_PATCH);
    this.claudeCodeSemantics = patched(CLAUDE_CODE_SEMANTICS_PATCH);
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
    this.ending = true;
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
      if (this.tracker.recordTurn(report)) this.steering.noteTurn(report);
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
        (this.steering.stopRequested ? 'the run is stopping' : this.ending ? 'the run is ending' : (this.spending.reached?.message ?? null))
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
   * One agent() call, made by `script`: the run's own, or a nested workflow's (docs/script-language.md#globals
   * `workflow()`), whose phases give its agents' models and whose name they show under.
   * Resolves with the envelope JSON; rejects only on an interpreter bug.
   */
  async call(prompt: string, optionsJson: string, script: CompiledScript = this.input.script): Promise<string> {
    const slot: CallSlot = {};
    const envelope = await this.run(prompt, optionsJson, slot, script);
    this.journal.record(slot, envelope);
    return JSON.stringify(envelope);
  }

  private async run(prompt: string, optionsJson: string, slot: CallSlot, script: CompiledScript): Promise<Envelope> {
    let options: AgentOptions;
    try {
      // The patch is asked only when a call has unknown options, so other runs record no marker.
      const parsed = parseAgentOptions(optionsJson, () => !patched(IGNORE_UNKNOWN_AGENT_OPTIONS_PATCH));
      options = parsed.options;
      this.warnUnknown(parsed.unknown);
    } catch (error) {
      if (error instanceof ScriptFacingError) return failure(error);
      throw error;
    }
    const { maxAgents } = this.input.options;
    if (this.tracker.agentsStarted >= maxAgents) {
      return failure(
        new ScriptFacingError(
          'AgentLimitError',
          `This run may start at most ${maxAgents} agents and has started them all. ` +
            `Raise the cap with --max-agents N (e.g. --max-agents ${maxAgents * 2}).`,
        ),
      );
    }
    // A custom type's file may set the model; resolved without waiting once the run read its types.
    const pending = options.agentType && this.agentTypes ? this.agentTypes.resolve(options.agentType) : null;
    const agentType = pending instanceof Promise ? await pending : pending;
    const definition = agentType && 'definition' in agentType ? agentType.definition : undefined;
    // The id, label, phase and model are fixed now, in call order, before any waiting.
    const phase = options.phase ?? this.tracker.phase;
    const fields = {
      label: options.label ?? defaultLabel(prompt),
      phase,
      model: this.resolveModel(options, phase, script, definition),
      ...(script === this.input.script ? {} : { workflow: script.meta.name }),
    };
    // docs/configuration.md#models-and-prices: a cost ceiling cannot hold over a model without a price.
    if (this.spending.ceilings.maxCostUsd !== null && !this.spending.isPriced(fields.model)) {
      return failure(
        new ScriptFacingError(
          'Error',
          `agent() model "${fields.model}" has no price, so --max-cost cannot hold; add one under models.prices in the config file.`,
        ),
      );
    }
    // docs/runs.md#resuming-an-edited-script: a call answered by the journal (resumed or carried over) runs no activity.
    const call = { ...options, prompt, model: fields.model };
    const key = callKey(call);
    const reused = this.journal.reuse(key, fields, this.tracker, call);
    if (reused) return reused;
    // After the journal: a carried-over or cached call answers as before, whatever the spend.
    const overBudget = this.spending.exceeded();
    if (overBudget && this.spending.mode === 'stop') return failure(overBudget);
    // With `--on-budget pause` the call waits for a raise, in the gate's order (steering.beforeStart).
    if (overBudget) this.spending.hold(overBudget);
    const view = this.tracker.addAgent(fields, prompt);
    this.journal.open(slot, key, view, call);
    this.steering.noteAgent(view, prompt);
    if (agentType && 'unknown' in agentType) return unknownType(this.tracker, view, agentType);
    if (this.input.options.dryRun) return dryRunAgent(this.tracker, view, options);
    const release = await this.gate.acquire();
    try {
      // docs/design.md#an-agents-durability: while the provider rate limits, an agent not yet started waits (holding its slot,
      // so call order is kept) instead of running into the same limit. Without a hold nothing is
      // awaited, so runs that never saw one issue the same commands as before holds existed.
      if (this.tracker.providerHold.activeUntil() !== null) {
        try {
          await this.tracker.providerHold.cleared();
        } catch (error) {
          if (!isCancellation(error)) throw error;
          this.tracker.endAgent(view, 'stopped', { error: 'stopped: the run was cancelled' });
          return failure(new ScriptFacingError('RunStoppedError', `The run was stopped before agent ${view.id} started.`));
        }
      }
      // docs/runs.md#steering-and-watching: a paused run holds agents here; a stopped run or agent never starts.
      const refused = await this.steering.beforeStart(view);
      if (refused) {
        this.tracker.endAgent(view, 'stopped', { error: refused.reason });
        return refused.error ? failure(refused.error) : { ok: true, value: null };
      }
      // Continuing as new: this agent starts in the next run, which reissues the call.
      if (this.continuation.holding) return await this.continuation.park(view, release);
      // docs/runs.md#budgets: once the budget is reached, calls still waiting for a slot throw too.
      const lateBudget = this.spending.mode === 'stop' ? this.spending.exceeded() : null;
      if (lateBudget) {
        this.tracker.endAgent(view, 'stopped', { error: lateBudget.message });
        return failure(lateBudget);
      }
      // The script has ended (settle()): a slot freed by a cancelled agent starts no other.
      if (this.ending) {
        this.tracker.endAgent(view, 'stopped', { error: 'stopped: the run ended' });
        return failure(new ScriptFacingError('RunStoppedError', `The run ended before agent ${view.id} started.`));
      }
      this.tracker.startAgent(view);
      return await this.execute(view, this.request(view, prompt, options, definition), options, slot);
    } finally {
      release();
    }
  }

  private async execute(view: AgentView, request: AgentRequest, options: AgentOptions, slot: CallSlot): Promise<Envelope> {
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

  private request(view: AgentView, prompt: string, options: AgentOptions, definition: AgentDefinition | undefined): AgentRequest {
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

  /** Claude Code ignores options it does not know; the run's log says so, once per key. */
  private warnUnknown(keys: string[]): void {
    for (const key of keys) {
      if (this.warnedOptions.has(key)) continue;
      this.warnedOptions.add(key);
      this.continuation.log(`warning: ${unknownOptionWarning(key)}`);
    }
  }

  /** docs/script-language.md#agent-options precedence: the agent's own model, then its agent file's (docs/agents.md), then its phase's, then the run's default. */
  private resolveModel(options: AgentOptions, phase: string | null, script: CompiledScript, definition?: AgentDefinition): string {
    const phaseModel = script.meta.phases?.find((p) => p.title === phase)?.model;
    const { model, modelTable } = this.input.options;
    return resolveModel(options.model ?? definition?.model ?? phaseModel ?? model, modelTable);
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

/** Claude Code's behaviour for an unknown `agentType`: that agent fails (a `null` in the script), listing the types there are. */
function unknownType(tracker: RunTracker, view: AgentView, type: Extract<ResolvedAgentType, { unknown: string }>): Envelope {
  tracker.endAgent(view, 'failed', { error: `UnknownAgentType: ${type.unknown}` });
  return { ok: true, value: null };
}

function failure(error: ScriptFacingError): Envelope {
  return { ok: false, error: { name: error.name, message: error.message } };
}
