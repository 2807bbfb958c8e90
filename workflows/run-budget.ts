// The run's ceilings (docs/runs.md#budgets): `--budget-tokens` (output tokens) and `--max-cost` (all tokens,
// priced). Spend is checked whenever usage arrives, after every model turn of every agent. On
// reaching a ceiling the run either stops its agents (`--on-budget stop`, the default; agent-runner.ts
// cancels them) or holds them (`--on-budget pause`): no agent starts and running ones wait before
// their next model call, until `baton budget` raises the ceiling.
import { setHandler } from '@temporalio/workflow';
import type { RunOptions, SteeringAnswer } from '../contract/run-types.js';
import { ScriptFacingError } from './agent-options.js';
import type { RunTracker } from './run-tracker.js';
import { raiseBudgetUpdate, type BudgetRaise } from '../contract/run-messages.js';

export class RunBudget {
  readonly mode: 'stop' | 'pause';
  /** With `--on-budget pause`: the ceiling the run is held at, or null. */
  private heldAt: ScriptFacingError | null = null;
  /** Called when a hold starts or ends (the report shows it). */
  onChange: (() => void) | null = null;

  constructor(
    options: RunOptions,
    private readonly tracker: RunTracker,
  ) {
    this.mode = options.onBudget ?? 'stop';
    setHandler(raiseBudgetUpdate, (raise) => this.raise(raise), { validator: (raise) => this.checkRaise(raise) });
  }

  /** True while the run is held at a ceiling (`--on-budget pause`). */
  get held(): boolean {
    return this.heldAt !== null;
  }

  get heldReason(): string | null {
    return this.heldAt && `budget: ${this.heldAt.message}`;
  }

  /** The error of a ceiling the spend has reached, or null. */
  exceeded(): ScriptFacingError | null {
    const { budgetTokens, maxCostUsd } = this.tracker.ceilings;
    const spent = this.tracker.spentOutputTokens();
    const how = this.mode === 'pause' ? 'the run waits until `baton budget RUN` raises it' : 'catch BudgetExhaustedError to finish with what you have';
    if (budgetTokens !== null && spent >= budgetTokens) {
      return new ScriptFacingError(
        'BudgetExhaustedError',
        `The run's token budget is spent: ${spent} of ${budgetTokens} output tokens. Raise it with --budget-tokens N (baton budget RUN --budget-tokens N), or ${how}.`,
      );
    }
    const cost = this.tracker.costUsd();
    if (maxCostUsd !== null && cost >= maxCostUsd) {
      return new ScriptFacingError(
        'BudgetExhaustedError',
        `The run's cost cap is reached: $${cost.toFixed(4)} of $${maxCostUsd}. Raise it with --max-cost USD (baton budget RUN --max-cost USD), or ${how}.`,
      );
    }
    return null;
  }

  /** `--on-budget pause`: holds the run at `ceiling` (idempotent). */
  hold(ceiling: ScriptFacingError): void {
    if (this.heldAt) return;
    this.heldAt = ceiling;
    this.onChange?.();
  }

  private checkRaise(raise: BudgetRaise): void {
    if (raise.budgetTokens === undefined && raise.maxCostUsd === undefined) throw new Error('give --max-cost USD or --budget-tokens N.');
    if (raise.budgetTokens !== undefined && !(Number.isInteger(raise.budgetTokens) && raise.budgetTokens > 0))
      throw new Error('--budget-tokens takes a whole number above 0.');
    if (raise.maxCostUsd !== undefined && !(raise.maxCostUsd > 0)) throw new Error('--max-cost takes a number of US dollars above 0.');
    if (this.mode === 'stop' && this.exceeded())
      throw new Error('the run already reached its ceiling and is stopping its agents (start runs with --on-budget pause to raise a ceiling once reached).');
  }

  private raise(raise: BudgetRaise): SteeringAnswer {
    if (raise.budgetTokens !== undefined) this.tracker.ceilings.budgetTokens = raise.budgetTokens;
    if (raise.maxCostUsd !== undefined) this.tracker.ceilings.maxCostUsd = raise.maxCostUsd;
    const { budgetTokens, maxCostUsd } = this.tracker.ceilings;
    const ceilings = `ceilings now ${budgetTokens ?? 'no'} output tokens, ${maxCostUsd === null ? 'no cost cap' : `$${maxCostUsd}`}`;
    const still = this.exceeded();
    if (this.heldAt && !still) {
      this.heldAt = null;
      this.onChange?.();
      return { status: 'running', message: `${ceilings}; the run goes on` };
    }
    if (still) this.heldAt = still;
    return { status: this.heldAt ? 'paused' : 'running', message: still ? `${ceilings}; still at a ceiling: ${still.message}` : ceilings };
  }
}
