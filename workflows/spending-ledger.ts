// What a run has spent and what it may spend (docs/runs.md#budgets): output tokens and dollars
// so far, a price per model, and the ceilings `--budget-tokens` and `--max-cost` set (raised by
// `baton budget`). On reaching one the run either stops its agents (`--on-budget stop`, the
// default) or holds them (`--on-budget pause`) until a raise. Owned by the run's tracker
// (run-tracker.ts), which counts every spend here; no Temporal call, so it is unit-tested alone.
import type { BudgetRaise } from '../contract/run-messages.js';
import type { ModelPrice, RunOptions, SteeringAnswer, TokenUsage } from '../contract/run-types.js';
import { priceOf } from '../contract/models.js';
import { turnCost, usageCost, WEB_SEARCH_USD } from '../contract/pricing.js';
import { ScriptFacingError } from './agent-options.js';

export interface Ceilings {
  budgetTokens: number | null;
  maxCostUsd: number | null;
}

/** Usage no turn report brought (partial-outcome.ts), and how to price it. */
export interface UncountedSpend {
  usage?: TokenUsage;
  /** Priced as one model call (at the tier of its prompt), not as a sum of calls. */
  oneCall?: boolean;
  webSearches?: number;
  /** Its cost as already priced (a journal entry's). */
  costUsd?: number;
}

export class SpendingLedger {
  readonly mode: 'stop' | 'pause';
  // Running totals and a price per model: budgets are checked at every agent() call and the
  // report is built at every activation, so neither may walk all agents' prices each time.
  private output = 0;
  private cost = 0;
  private readonly prices = new Map<string, ModelPrice | null>();
  private readonly limits: Ceilings;
  /** With `--on-budget pause`: the ceiling the run is held at, or null. */
  private heldAt: ScriptFacingError | null = null;
  /** With `--on-budget stop`: the ceiling reached, once it is (the run's agents are then stopped). */
  private stoppedAt: ScriptFacingError | null = null;

  /**
   * `options.modelTable` is read when a model is first priced, not now: the provider's aliases
   * are added to it after the run starts. `changed` is called when a hold starts or ends.
   */
  constructor(
    private readonly options: Pick<RunOptions, 'modelTable' | 'budgetTokens' | 'maxCostUsd' | 'onBudget'>,
    private readonly changed: () => void = () => {},
  ) {
    this.mode = options.onBudget ?? 'stop';
    this.limits = { budgetTokens: options.budgetTokens, maxCostUsd: options.maxCostUsd };
  }

  /** The ceilings now: from the run's options, raised by `baton budget`. */
  get ceilings(): Ceilings {
    return { ...this.limits };
  }

  /** Output tokens of every agent so far: what `--budget-tokens` limits. */
  get spentOutputTokens(): number {
    return this.output;
  }

  /** Dollars of every agent so far, each model call priced at its own tier: what `--max-cost` limits. */
  get costUsd(): number {
    return this.cost;
  }

  /** Whether the run's model table prices `model` (docs/configuration.md#models-and-prices: `--max-cost` refuses unpriced ones). */
  isPriced(model: string): boolean {
    return this.priceOf(model) !== null;
  }

  priceOf(model: string): ModelPrice | null {
    let price = this.prices.get(model);
    if (price === undefined) {
      price = priceOf(model, this.options.modelTable);
      this.prices.set(model, price);
    }
    return price;
  }

  /** What one reported model turn cost, priced at the tier of that one call. */
  turnCost(model: string, usage: TokenUsage, cacheWrite1h: number, webSearches: number): number {
    return turnCost(this.priceOf(model), usage, cacheWrite1h) + webSearches * WEB_SEARCH_USD;
  }

  /** What usage no turn report brought cost. */
  uncountedCost(model: string, spend: UncountedSpend & { usage: TokenUsage }): number {
    const price = this.priceOf(model);
    return spend.costUsd ?? (spend.oneCall ? turnCost(price, spend.usage) : usageCost(price, spend.usage)) + (spend.webSearches ?? 0) * WEB_SEARCH_USD;
  }

  /** Counts a spend in the run's totals. */
  add(usage: TokenUsage, cost: number): void {
    this.output += usage.output;
    this.cost += cost;
  }

  /** The error of a ceiling the spend has reached, or null. */
  exceeded(): ScriptFacingError | null {
    const { budgetTokens, maxCostUsd } = this.limits;
    const spent = this.output;
    const how = this.mode === 'pause' ? 'the run waits until `baton budget RUN` raises it' : 'catch BudgetExhaustedError to finish with what you have';
    if (budgetTokens !== null && spent >= budgetTokens) {
      return new ScriptFacingError(
        'BudgetExhaustedError',
        `The run's token budget is spent: ${spent} of ${budgetTokens} output tokens. Raise it with --budget-tokens N (baton budget RUN --budget-tokens N), or ${how}.`,
      );
    }
    const cost = this.cost;
    if (maxCostUsd !== null && cost >= maxCostUsd) {
      return new ScriptFacingError(
        'BudgetExhaustedError',
        `The run's cost cap is reached: $${cost.toFixed(4)} of $${maxCostUsd}. Raise it with --max-cost USD (baton budget RUN --max-cost USD), or ${how}.`,
      );
    }
    return null;
  }

  /** True while the run is held at a ceiling (`--on-budget pause`). */
  get held(): boolean {
    return this.heldAt !== null;
  }

  get heldReason(): string | null {
    return this.heldAt && `budget: ${this.heldAt.message}`;
  }

  /** `--on-budget pause`: holds the run at `ceiling` (idempotent). */
  hold(ceiling: ScriptFacingError): void {
    if (this.heldAt) return;
    this.heldAt = ceiling;
    this.changed();
  }

  /** With `--on-budget stop`, the ceiling the run reached, or null: its agents stop and no new one starts. */
  get reached(): ScriptFacingError | null {
    return this.stoppedAt;
  }

  /**
   * Called whenever usage is counted: a ceiling just reached holds the run (`--on-budget pause`)
   * or stops it. Returns the ceiling the first time it stops the run, so the caller cancels the
   * agents running then; null otherwise.
   */
  check(): ScriptFacingError | null {
    if (this.stoppedAt) return null;
    const reached = this.exceeded();
    if (!reached) return null;
    if (this.mode === 'pause') {
      this.hold(reached);
      return null;
    }
    this.stoppedAt = reached;
    return reached;
  }

  /** Why `baton budget` cannot raise the ceilings as asked; throws an error its caller sees. */
  checkRaise(raise: BudgetRaise): void {
    if (raise.budgetTokens === undefined && raise.maxCostUsd === undefined) throw new Error('give --max-cost USD or --budget-tokens N.');
    if (raise.budgetTokens !== undefined && !(Number.isInteger(raise.budgetTokens) && raise.budgetTokens > 0))
      throw new Error('--budget-tokens takes a whole number above 0.');
    if (raise.maxCostUsd !== undefined && !(raise.maxCostUsd > 0)) throw new Error('--max-cost takes a number of US dollars above 0.');
    if (this.mode === 'stop' && this.exceeded())
      throw new Error('the run already reached its ceiling and is stopping its agents (start runs with --on-budget pause to raise a ceiling once reached).');
  }

  /** `baton budget`: new ceilings; a run held at the old one goes on if the spend is now below them. */
  raise(raise: BudgetRaise): SteeringAnswer {
    if (raise.budgetTokens !== undefined) this.limits.budgetTokens = raise.budgetTokens;
    if (raise.maxCostUsd !== undefined) this.limits.maxCostUsd = raise.maxCostUsd;
    const { budgetTokens, maxCostUsd } = this.limits;
    const ceilings = `ceilings now ${budgetTokens ?? 'no'} output tokens, ${maxCostUsd === null ? 'no cost cap' : `$${maxCostUsd}`}`;
    const still = this.exceeded();
    if (this.heldAt && !still) {
      this.heldAt = null;
      this.changed();
      return { status: 'running', message: `${ceilings}; the run goes on` };
    }
    if (still) this.heldAt = still;
    return { status: this.heldAt ? 'paused' : 'running', message: still ? `${ceilings}; still at a ceiling: ${still.message}` : ceilings };
  }
}
