// The interpreter's view of a run: agents, phases, logs, usage. Everything here derives from the
// workflow input, the script's calls and activity results, so it is replay-safe; the state
// query and the final result both read report().
import type {
  AgentCounts,
  AgentState,
  AgentView,
  ModelPrice,
  PhaseView,
  ProviderBackoff,
  RunInput,
  RunOverview,
  RunReport,
  RunStatus,
  ScriptErrorInfo,
  TokenUsage,
} from '../contract/run-types.js';
import { priceOf } from '../contract/models.js';
import { addUsage, emptyUsage, totalTokens, usageCost } from '../contract/pricing.js';
import { ProviderHold } from './provider-hold.js';

/** Log lines kept in the report (the newest); a report must stay well under Temporal's 2 MB. */
export const MAX_LOG_LINES = 1000;
const MAX_LOG_LINE_CHARS = 4000;

const FINAL_STATES: readonly AgentState[] = ['succeeded', 'failed', 'cached', 'stopped'];

export class RunTracker {
  private status: RunStatus = 'running';
  private result: unknown = null;
  private error: ScriptErrorInfo | null = null;
  private endedAt: number | null = null;
  private currentPhase: string | null = null;
  private readonly phaseTitles: string[];
  private readonly phaseMarkedAt = new Map<string, number>();
  private readonly agents: AgentView[] = [];
  private readonly logs: string[] = [];
  private droppedLogs = 0;
  // Running totals and a price per model: budgets are checked at every agent() call and the
  // report is built at every activation, so neither may walk all agents' prices each time.
  private spentOutput = 0;
  private spentCost = 0;
  private readonly prices = new Map<string, ModelPrice | null>();
  /** Holds back agents not yet started while the provider rate limits. */
  readonly providerHold = new ProviderHold();
  /** Called after each change the report shows (phase, agents, the run's end): the UI's details follow it. */
  onChange: (() => void) | null = null;

  constructor(
    private readonly input: RunInput,
    private readonly startedAt: number,
  ) {
    this.phaseTitles = (input.script.meta.phases ?? []).map((phase) => phase.title);
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
    this.logs.push(line.length > MAX_LOG_LINE_CHARS ? `${line.slice(0, MAX_LOG_LINE_CHARS)}…` : line);
    if (this.logs.length > MAX_LOG_LINES) {
      this.logs.shift();
      this.droppedLogs++;
    }
  }

  /** Registers an agent in call order; it is 'pending' until it gets a concurrency slot. */
  addAgent(fields: Pick<AgentView, 'label' | 'phase' | 'model' | 'workflow'>): AgentView {
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
    };
    if (view.phase !== null) this.notePhase(view.phase);
    this.agents.push(view);
    this.onChange?.();
    return view;
  }

  startAgent(view: AgentView): void {
    view.state = 'running';
    view.startedAt = Date.now();
    this.onChange?.();
  }

  endAgent(
    view: AgentView,
    state: AgentState,
    detail: { usage?: TokenUsage; turns?: number; lastToolCall?: string | null; error?: string | null } = {},
  ): void {
    view.state = state;
    view.endedAt = Date.now();
    if (detail.usage) {
      addUsage(view.tokens, detail.usage);
      this.spentOutput += detail.usage.output;
      this.spentCost += usageCost(this.priceOf(view.model), detail.usage);
    }
    if (detail.turns !== undefined) view.turns = detail.turns;
    if (detail.lastToolCall !== undefined) view.lastToolCall = detail.lastToolCall;
    if (detail.error !== undefined) view.error = detail.error;
    this.onChange?.();
  }

  /** An agent began waiting out a rate limit or overload: hold new agents back, count the wait. */
  noteProviderBackoff(backoff: ProviderBackoff): void {
    if (!this.providerHold.extend(backoff)) return;
    const agent = this.agents.find((a) => a.id === backoff.agentId);
    if (agent) agent.rateLimitWaits++;
  }

  /** Output tokens of every agent so far: what `--budget-tokens` limits. */
  spentOutputTokens(): number {
    return this.spentOutput;
  }

  costUsd(): number {
    return this.spentCost;
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
    this.onChange?.();
    return this.report();
  }

  report(): RunReport {
    return {
      ...this.overview(),
      agentList: this.agents.map((agent) => ({ ...agent, tokens: { ...agent.tokens } })),
      logs: this.droppedLogs > 0 ? [`(${this.droppedLogs} earlier log lines dropped)`, ...this.logs] : [...this.logs],
    };
  }

  /** The report without its agent list and logs: what the UI's details need at every change. */
  overview(): RunOverview {
    const { meta } = this.input.script;
    const { options } = this.input;
    const tokens = this.agents.reduce((sum, agent) => addUsage(sum, agent.tokens), emptyUsage());
    return {
      name: meta.name,
      description: meta.description,
      status: this.status,
      result: this.result,
      error: this.error,
      agents: this.counts(),
      tokens,
      costUsd: this.costUsd(),
      phases: this.phaseTitles.map((title) => this.phaseView(title)),
      agentsLeft: Math.max(0, options.maxAgents - this.agents.length),
      budget: { totalTokens: options.budgetTokens, spentTokens: this.spentOutputTokens(), maxCostUsd: options.maxCostUsd },
      providerBackoffUntil: this.status === 'running' ? this.providerHold.activeUntil() : null,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
    };
  }

  /** Each agent's usage priced at its own model's rates (cache reads 0.1x, writes 1.25x input). */
  private costOf(agents: AgentView[]): number {
    return agents.reduce((sum, agent) => sum + usageCost(this.priceOf(agent.model), agent.tokens), 0);
  }

  private priceOf(model: string): ModelPrice | null {
    let price = this.prices.get(model);
    if (price === undefined) {
      price = priceOf(model, this.input.options.modelTable);
      this.prices.set(model, price);
    }
    return price;
  }

  private notePhase(title: string): void {
    if (!this.phaseTitles.includes(title)) this.phaseTitles.push(title);
  }

  private counts(): AgentCounts {
    const counts: AgentCounts = { total: this.agents.length, succeeded: 0, failed: 0, cached: 0, stopped: 0, running: 0, pending: 0 };
    for (const agent of this.agents) counts[agent.state]++;
    return counts;
  }

  private phaseView(title: string): PhaseView {
    const agents = this.agents.filter((agent) => agent.phase === title);
    const byState: PhaseView['byState'] = {};
    for (const agent of agents) byState[agent.state] = (byState[agent.state] ?? 0) + 1;
    const starts = agents.flatMap((agent) => (agent.startedAt === null ? [] : [agent.startedAt]));
    const marked = this.phaseMarkedAt.get(title);
    if (marked !== undefined) starts.push(marked);
    const unfinished = agents.some((agent) => !FINAL_STATES.includes(agent.state));
    const ends = agents.flatMap((agent) => (agent.endedAt === null ? [] : [agent.endedAt]));
    const start = starts.length > 0 ? Math.min(...starts) : null;
    const end = unfinished ? (this.endedAt ?? Date.now()) : ends.length > 0 ? Math.max(...ends) : start;
    return {
      title,
      agents: agents.length,
      byState,
      tokens: agents.reduce((sum, agent) => sum + totalTokens(agent.tokens), 0),
      costUsd: this.costOf(agents),
      elapsedMs: start === null || end === null ? 0 : Math.max(0, end - start),
    };
  }
}
