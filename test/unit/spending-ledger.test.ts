// The run's spending ledger (workflows/spending-ledger.ts): totals, prices, and what reaching
// `--budget-tokens` or `--max-cost` does with `--on-budget stop` and `--on-budget pause`.
import { describe, expect, it } from 'vitest';
import { defaultModelTable } from '../../contract/models.js';
import type { RunOptions, TokenUsage } from '../../contract/run-types.js';
import { SpendingLedger } from '../../workflows/spending-ledger.js';

const usage = (input: number, output: number): TokenUsage => ({ input, output, cacheRead: 0, cacheWrite: 0 });

function ledger(over: Partial<Pick<RunOptions, 'budgetTokens' | 'maxCostUsd' | 'onBudget'>> = {}) {
  const changes: number[] = [];
  const options = { modelTable: defaultModelTable(), budgetTokens: null, maxCostUsd: null, ...over };
  const spending = new SpendingLedger(options, () => changes.push(changes.length));
  return { spending, changes };
}

describe('SpendingLedger', () => {
  it('sums output tokens and dollars, pricing a turn at its model and counting web searches', () => {
    const { spending } = ledger();
    // sonnet 5.5: $2 / $10 per million; a web search is $0.01.
    const cost = spending.turnCost('claude-sonnet-5-5', usage(1_000_000, 100_000), 0, 2);
    expect(cost).toBeCloseTo(2 + 1 + 0.02, 10);
    spending.add(usage(1_000_000, 100_000), cost);
    spending.add(usage(0, 50), 0.5);
    expect(spending.spentOutputTokens).toBe(100_050);
    expect(spending.costUsd).toBeCloseTo(3.52, 10);
  });

  it('prices usage no turn report brought as one call, as a sum, or at the cost it already has', () => {
    const { spending } = ledger();
    const spent = usage(1_000_000, 0);
    expect(spending.uncountedCost('claude-sonnet-5-5', { usage: spent, oneCall: true })).toBeCloseTo(2, 10);
    expect(spending.uncountedCost('claude-sonnet-5-5', { usage: spent, webSearches: 1 })).toBeCloseTo(2.01, 10);
    expect(spending.uncountedCost('claude-sonnet-5-5', { usage: spent, costUsd: 0.25 })).toBe(0.25);
    // A model the table has no price for costs nothing in the totals, and says so.
    expect(spending.isPriced('claude-mystery-1')).toBe(false);
    expect(spending.uncountedCost('claude-mystery-1', { usage: spent })).toBe(0);
  });

  it('reads the model table when a model is first priced, so aliases added after the start count', () => {
    const options = { modelTable: defaultModelTable(), budgetTokens: null, maxCostUsd: null };
    const spending = new SpendingLedger(options);
    options.modelTable = { ...options.modelTable, prices: {} };
    expect(spending.isPriced('claude-sonnet-5-5')).toBe(false);
  });

  it('with --on-budget stop, reaching the token budget stops the run once, and refuses a raise', () => {
    const { spending, changes } = ledger({ budgetTokens: 100 });
    spending.add(usage(0, 99), 0);
    expect(spending.check()).toBeNull();
    spending.add(usage(0, 1), 0);
    const reached = spending.check();
    expect(reached?.name).toBe('BudgetExhaustedError');
    expect(reached?.message).toBe(
      "The run's token budget is spent: 100 of 100 output tokens. Raise it with --budget-tokens N (baton budget RUN --budget-tokens N), or catch BudgetExhaustedError to finish with what you have.",
    );
    expect(spending.reached).toBe(reached);
    // Only the first check after the ceiling cancels the running agents.
    expect(spending.check()).toBeNull();
    expect(spending.held).toBe(false);
    expect(changes).toEqual([]);
    expect(() => spending.checkRaise({ budgetTokens: 1000 })).toThrow(/already reached its ceiling/);
  });

  it('with --on-budget pause, reaching the cost cap holds the run until a raise clears it', () => {
    const { spending, changes } = ledger({ maxCostUsd: 1, onBudget: 'pause' });
    spending.add(usage(0, 10), 1.5);
    expect(spending.check()).toBeNull();
    expect(spending.held).toBe(true);
    expect(spending.heldReason).toBe(
      "budget: The run's cost cap is reached: $1.5000 of $1. Raise it with --max-cost USD (baton budget RUN --max-cost USD), or the run waits until `baton budget RUN` raises it.",
    );
    expect(changes).toHaveLength(1);
    // Still at the ceiling after a raise too small: held.
    expect(spending.raise({ maxCostUsd: 1.2 })).toMatchObject({
      status: 'paused',
      message: expect.stringMatching(/^ceilings now no output tokens, \$1.2; still at a ceiling/),
    });
    expect(spending.raise({ maxCostUsd: 5 })).toEqual({ status: 'running', message: 'ceilings now no output tokens, $5; the run goes on' });
    expect(spending.held).toBe(false);
    expect(spending.ceilings).toEqual({ budgetTokens: null, maxCostUsd: 5 });
    expect(changes).toHaveLength(2);
  });

  it('refuses a raise that names no ceiling or a bad value', () => {
    const { spending } = ledger();
    expect(() => spending.checkRaise({})).toThrow('give --max-cost USD or --budget-tokens N.');
    expect(() => spending.checkRaise({ budgetTokens: 1.5 })).toThrow('--budget-tokens takes a whole number above 0.');
    expect(() => spending.checkRaise({ maxCostUsd: 0 })).toThrow('--max-cost takes a number of US dollars above 0.');
    expect(() => spending.checkRaise({ budgetTokens: 10 })).not.toThrow();
  });
});
