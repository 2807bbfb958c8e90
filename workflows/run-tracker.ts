// The interpreter's view of a run: agents, phases, logs, usage, approvals, scores, whether it is
// paused or stopping. The one writer of that state (docs/design.md#who-owns-a-runs-state): the
// other modules change it only through the methods here. Everything here derives from the
// workflow input, the script's calls, activity results and updates, so it is replay-safe; the
// state query and the final result both read report().
import {
  AGENT_PROMPT_PREVIEW_CHARS,
  type AgentDetail,
  type AgentCounts,
  type AgentState,
  type AgentView,
  type ProviderBackoff,
  type RunInput,
  type RunOverview,
  type RunReport,
  type RunStatus,
  type ScriptErrorInfo,
  type TokenUsage,
  type TurnReport,
} from '../contract/run-types.js';
import type { AgentContextView } from '../contract/agent-context.js';
import type { ReuseReport } from '../contract/call-journal.js';
import type { ScoreView } from '../contract/score-types.js';
import { addUsage, emptyUsage } from '../contract/pricing.js';
import { AgentDetails } from './agent-details.js';
import { ApprovalViews } from './approval-views.js';
import { ProviderHold } from './provider-hold.js';
import { RunLog } from './run-log.js';
import { FINAL_STATES, phaseView } from './run-phases.js';
import { SpendingLedger, type Ceilings, type UncountedSpend } from './spending-ledger.js';

/** Nulled parallel()/pipeline() errors the UI's details list (the newest); the log keeps them all. */
const MAX_NULLED_SHOWN = 10;

/** How an agent ended, beyond its state: `usage` and its pricing as in UncountedSpend. */
export interface EndDetail extends UncountedSpend {
  turns?: number;
  lastToolCall?: string | null;
  error?: string | null;
  context?: AgentContextView;
  /** The branch its work was pushed to (docs/fleet.md#git-remotes). */
  branch?: string | null;
}

export class RunTracker {
  private status: RunStatus = 'running';
  private result: unknown = null;
  private error: ScriptErrorInfo | null = null;
  private endedAt: number | null = null;
  private currentPhase: string | null = null;
  private readonly phaseTitles: string[];
  private readonly phaseMarkedAt = new Map<string, number>();
  private readonly agents: AgentView[] = [];
  private readonly logs = new RunLog();
  /** In a resumed or rerun run: what the call journal reused so far. */
  private reuse: ReuseReport | undefined;
  private readonly nulled: string[] = [];
  /** Models of this run's agents that the model table has no price for (their tokens cost $0 in the totals). */
  private readonly unpriced: string[] = [];
  /** Agents running now: the UI's details list them at every change, so they are not searched for. */
  private readonly running = new Set<AgentView>();
  /** Per agent attempt (`agentId|activityId/attempt`), the last turn counted: a resent report counts once. */
  private readonly turnsCounted = new Map<string, number>();
  /** What the run spent and may spend: every spend counted here is counted there too. */
  readonly spending: SpendingLedger;
  /** Holds back agents not yet started while the provider rate limits. */
  readonly providerHold = new ProviderHold();
  /**
   * Called after each change the report shows (phase, agents, the run's end): the UI's details
   * follow it. `live` marks a running agent's turn, which the details show but search attributes skip.
   */
  onChange: ((live?: boolean) => void) | null = null;
  /** Paused by `baton pause` (steering.ts); a budget hold is the ledger's. */
  private paused = false;
  /** Set once `baton stop` was accepted. */
  private stopping = false;
  /** What `baton agent` shows of each live agent beyond its line. */
  readonly details = new AgentDetails();
  /** The script's approve() calls in call order (approvals.ts asks and answers them). */
  readonly approvals: ApprovalViews;
  /** The run's scores, the last of each name (run-scores.ts checks them). */
  private readonly scoreList: ScoreView[] = [];

  constructor(
    private readonly input: RunInput,
    private readonly startedAt: number,
  ) {
    this.phaseTitles = (input.script.meta.phases ?? []).map((phase) => phase.title);
    this.spending = new SpendingLedger(input.options, () => this.onChange?.());
    this.approvals = new ApprovalViews(() => this.onChange?.());
    this.reuse = input.carry?.reuse;
  }

  get phase(): string | null {
    return this.currentPhase;
  }

  get agentsStarted(): number {
    return this.agents.length;
  }

  enterPhase(title: string): void {
    this.currentPhase = title;
    this.notePhase(title);
    if (!this.phaseMarkedAt.has(title)) this.phaseMarkedAt.set(title, Date.now());
    this.onChange?.();
  }

  log(line: string): void {
    this.logs.add(line);
  }

  /** An error parallel() or pipeline() turned into null: shown in the UI's details too. */
  noteNulled(line: string): void {
    this.nulled.push(line);
    if (this.nulled.length > MAX_NULLED_SHOWN) this.nulled.shift();
    // `live`: the details follow, and no search attribute upsert (a command) is made for it.
    this.onChange?.(true);
  }

  /** The log lines of the runs this one continued from: `total` of them were shown, `lines` are the newest. */
  restoreLogs(lines: string[], total: number): void {
    this.logs.restore(lines, total);
  }

  /**
   * Registers an agent in call order; it is 'pending' until it gets a concurrency slot. The
   * report shows the start of `prompt` (an agent the journal answered has none).
   */
  addAgent(fields: Pick<AgentView, 'label' | 'phase' | 'model' | 'workflow'>, prompt?: string): Readonly<AgentView> {
    const view: AgentView = {
      id: `a${this.agents.length + 1}`,
      ...fields,
      state: 'pending',
      tokens: emptyUsage(),
      turns: 0,
      lastToolCall: null,
      error: null,
      startedAt: null,
      endedAt: null,
      rateLimitWaits: 0,
      costUsd: 0,
      lastProgressAt: null,
      stalls: 0,
    };
    if (view.phase !== null) this.notePhase(view.phase);
    // docs/configuration.md#models-and-prices: a model without a price shows as unpriced, not as free.
    if (!this.spending.isPriced(view.model)) {
      view.unpriced = true;
      if (!this.unpriced.includes(view.model)) this.unpriced.push(view.model);
    }
    if (prompt !== undefined) {
      view.prompt = prompt.length > AGENT_PROMPT_PREVIEW_CHARS ? `${prompt.slice(0, AGENT_PROMPT_PREVIEW_CHARS - 1)}…` : prompt;
      this.details.note(view, prompt);
    }
    this.agents.push(view);
    this.onChange?.();
    return view;
  }

  /**
   * An agent the call journal answered (call-journal.ts): registered and ended at once, shown
   * with the times and branch of the run it ran in (`startedAt` null: it did not run).
   */
  addReusedAgent(
    fields: Pick<AgentView, 'label' | 'phase' | 'model' | 'workflow'>,
    state: AgentState,
    detail: EndDetail,
    shown: { startedAt: number | null; endedAt?: number; branch?: string | null },
  ): Readonly<AgentView> {
    const view = this.own(this.addAgent(fields));
    this.endAgent(view, state, detail);
    view.startedAt = shown.startedAt;
    view.endedAt = shown.endedAt ?? view.endedAt;
    if (shown.branch) view.branch = shown.branch;
    return view;
  }

  /** What the call journal reused of `--resume-from` so far. */
  noteReuse(reuse: ReuseReport): void {
    this.reuse = reuse;
  }

  startAgent(agent: Readonly<AgentView>): void {
    const view = this.own(agent);
    view.state = 'running';
    view.startedAt = Date.now();
    view.lastProgressAt = view.startedAt;
    this.running.add(view);
    this.onChange?.();
  }

  /** The agents running now, in call order. */
  runningAgents(): Array<Readonly<AgentView>> {
    return [...this.running].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  }

  /**
   * A running agent's turn report (docs/runs.md#budgets): its usage counts now, priced at the tier of that one
   * call, and the live view follows. Null when the report is for no running agent of this run, or
   * was counted before (a resent update).
   */
  recordTurn(report: TurnReport): Readonly<AgentView> | null {
    const view = this.countTurn(report);
    if (view) this.details.noteTurn(report);
    return view;
  }

  /** The agent detail `baton agent` shows (agent-details.ts); for an agent the journal answered, its line is all this run knows. */
  agentDetail(agentId: string): AgentDetail | null {
    const live = this.details.detail(agentId);
    if (live) return live;
    const agent = this.report().agentList.find((a) => a.id === agentId);
    return agent ? { agent, prompt: agent.prompt ?? '', result: null, recentToolCalls: agent.lastToolCall ? [agent.lastToolCall] : [] } : null;
  }

  private countTurn(report: TurnReport): AgentView | null {
    const view = this.agents[Number(report.agentId.slice(1)) - 1];
    if (!view || view.id !== report.agentId) return null;
    if (report.event === 'stalled') {
      view.stalls = (view.stalls ?? 0) + 1;
      view.stalled = true;
      view.lastProgressAt = Date.now();
      this.onChange?.(true);
      return view;
    }
    const key = `${report.agentId}|${report.attemptKey}`;
    if ((this.turnsCounted.get(key) ?? 0) >= report.turn) return null;
    this.turnsCounted.set(key, report.turn);
    this.spend(view, report.usage, this.spending.turnCost(view.model, report.usage, report.cacheWrite1h ?? 0, report.webSearches ?? 0));
    view.turns = report.turn;
    view.stalled = false;
    view.lastProgressAt = Date.now();
    if (report.toolCalls.length > 0) view.lastToolCall = report.toolCalls[report.toolCalls.length - 1]!;
    this.onChange?.(true);
    return view;
  }

  /**
   * Ends an agent. `usage` is what it spent beyond its counted turn reports (its last turn; all of
   * it for an outcome from before turn reports), priced as one call when `oneCall` says it was.
   */
  endAgent(agent: Readonly<AgentView>, state: AgentState, detail: EndDetail = {}): void {
    const view = this.own(agent);
    if (detail.branch !== undefined) view.branch = detail.branch;
    view.state = state;
    view.endedAt = Date.now();
    view.stalled = false;
    this.running.delete(view);
    this.spendUncounted(view, detail);
    if (detail.turns !== undefined) view.turns = Math.max(view.turns, detail.turns);
    if (detail.lastToolCall !== undefined) view.lastToolCall = detail.lastToolCall;
    if (detail.error !== undefined) view.error = detail.error;
    if (detail.context !== undefined) view.context = detail.context;
    this.onChange?.();
  }

  /** Counts usage no turn report brought: an outcome's, or a cancelled attempt's (see partial-outcome.ts). */
  spendUncounted(agent: Readonly<AgentView>, detail: UncountedSpend): void {
    if (!detail.usage) return;
    const view = this.own(agent);
    this.spend(view, detail.usage, this.spending.uncountedCost(view.model, { ...detail, usage: detail.usage }));
    this.onChange?.();
  }

  /** `baton agent restart`: what the cancelled attempt spent counts once, and the agent starts over. */
  restartAgent(agent: Readonly<AgentView>, spent: UncountedSpend): void {
    const view = this.own(agent);
    this.spendUncounted(view, spent);
    view.restarts = (view.restarts ?? 0) + 1;
    this.onChange?.();
  }

  /** An agent began waiting out a rate limit or overload: hold new agents back, count the wait. */
  noteProviderBackoff(backoff: ProviderBackoff): void {
    if (!this.providerHold.extend(backoff)) return;
    const agent = this.agents.find((a) => a.id === backoff.agentId);
    if (agent) agent.rateLimitWaits++;
  }

  /** The writable view behind one this tracker handed out (read-only to every other module). */
  private own(agent: Readonly<AgentView>): AgentView {
    return agent as AgentView;
  }

  private spend(view: AgentView, usage: TokenUsage, cost: number): void {
    addUsage(view.tokens, usage);
    view.costUsd = (view.costUsd ?? 0) + cost;
    this.spending.add(usage, cost);
  }

  /** Output tokens of every agent so far: what `--budget-tokens` limits. */
  spentOutputTokens(): number {
    return this.spending.spentOutputTokens;
  }

  costUsd(): number {
    return this.spending.costUsd;
  }

  /** The run's ceilings (docs/runs.md#budgets): from its options, raised by `baton budget`. */
  get ceilings(): Ceilings {
    return this.spending.ceilings;
  }

  /** `baton pause` and `baton resume`: whether new agents may start (steering.ts holds them). */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.onChange?.();
  }

  get pausedByRequest(): boolean {
    return this.paused;
  }

  /** `baton stop` was accepted: the run ends `stopped` whatever the script does next. */
  requestStop(): void {
    this.stopping = true;
    this.paused = false;
    this.onChange?.();
  }

  get stopRequested(): boolean {
    return this.stopping;
  }

  /** The run's scores, the last of each name. */
  get scores(): readonly Readonly<ScoreView>[] {
    return this.scoreList;
  }

  /** The scores of the runs this one continued from. */
  restoreScores(scores: ScoreView[]): void {
    this.scoreList.push(...scores);
  }

  /** The run's scores now (run-scores.ts decides what replaces what). */
  setScores(scores: readonly ScoreView[]): void {
    this.scoreList.splice(0, this.scoreList.length, ...scores);
    this.onChange?.();
  }

  /** Ends the run; agents still pending or running are reported as stopped. */
  finish(status: RunStatus, outcome: { result?: unknown; error?: ScriptErrorInfo }): RunReport {
    this.status = status;
    this.result = outcome.result ?? null;
    this.error = outcome.error ?? null;
    this.endedAt = Date.now();
    for (const agent of this.agents) {
      if (!FINAL_STATES.includes(agent.state)) this.endAgent(agent, 'stopped');
    }
    // An approve() the script never awaited to the end: nobody will answer it now.
    this.approvals.endWaits();
    this.onChange?.();
    return this.report();
  }

  report(): RunReport {
    return {
      ...this.overview(),
      agentList: this.agents.map((agent) => ({ ...agent, tokens: { ...agent.tokens } })),
      logs: this.logs.lines(),
      logTotal: this.logs.total,
    };
  }

  /** The report without its agent list and logs: what the UI's details need at every change. */
  overview(): RunOverview {
    const { meta } = this.input.script;
    const { options } = this.input;
    const tokens = this.agents.reduce((sum, agent) => addUsage(sum, agent.tokens), emptyUsage());
    const ceilings = this.spending.ceilings;
    const pausedReason = this.status === 'running' ? (this.spending.heldReason ?? (this.paused ? 'paused by request (baton pause)' : null)) : null;
    return {
      name: meta.name,
      description: meta.description,
      status: this.shownStatus(pausedReason),
      result: this.result,
      error: this.error,
      agents: this.counts(),
      tokens,
      costUsd: this.costUsd(),
      ...(this.unpriced.length > 0 ? { unpricedModels: [...this.unpriced] } : {}),
      phases: this.phaseTitles.map((title) =>
        phaseView(title, this.agents, this.phaseMarkedAt.get(title), this.endedAt, (model) => this.spending.priceOf(model)),
      ),
      agentsLeft: Math.max(0, options.maxAgents - this.agents.length),
      budget: { totalTokens: ceilings.budgetTokens, spentTokens: this.spentOutputTokens(), maxCostUsd: ceilings.maxCostUsd },
      pausedReason,
      ...(this.approvals.list.length > 0 ? { approvals: this.approvals.list.map((approval) => ({ ...approval })) } : {}),
      ...(this.reuse ? { reuse: { ...this.reuse } } : {}),
      ...(this.scoreList.length > 0 ? { scores: this.scoreList.map((score) => ({ ...score })) } : {}),
      ...(this.nulled.length > 0 ? { nulled: [...this.nulled] } : {}),
      ...(options.repo?.commit ? { repo: { url: options.repo.url, ref: options.repo.ref, commit: options.repo.commit } } : {}),
      providerBackoffUntil: this.status === 'running' ? this.providerHold.activeUntil() : null,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
    };
  }

  /** A running run is `paused` while held, and `waiting` while a person is asked (approve()): that is what someone must act on, even in a paused run. */
  private shownStatus(pausedReason: string | null): RunStatus {
    if (this.status !== 'running') return this.status;
    if (this.approvals.waiting().length > 0) return 'waiting';
    return pausedReason ? 'paused' : 'running';
  }

  private notePhase(title: string): void {
    if (!this.phaseTitles.includes(title)) this.phaseTitles.push(title);
  }

  private counts(): AgentCounts {
    const counts: AgentCounts = { total: this.agents.length, succeeded: 0, failed: 0, cached: 0, stopped: 0, running: 0, pending: 0 };
    for (const agent of this.agents) counts[agent.state]++;
    return counts;
  }
}
