// Which ceiling a run starts with, and where it came from (docs/security.md, "Unattended runs").
// A run nobody watches (a schedule's firings, `--yes` without a terminal) that names no ceiling
// gets the config's unattended default with `--on-budget pause`: at the default it stops spending
// and waits, losing nothing, until `baton budget` raises it. `--no-ceiling` opts out knowingly.
import type { Settings } from '../config/settings.js';
import type { RunOptions } from '../contract/run-types.js';
import type { RunFlags } from './run-flags.js';

export type CeilingSource = 'flags' | 'unattended-default' | 'no-ceiling' | 'none';

export interface Ceiling {
  source: CeilingSource;
  /** One line for the card, the start line and `baton schedule describe`, e.g. `$5 (unattended default ...), then pause`. */
  text: string;
}

/** Sets the unattended default on `options` when it applies; says which ceiling the run has. */
export function applyCeiling(options: RunOptions, flags: RunFlags, settings: Settings, unattended: boolean): Ceiling {
  if (flags.maxCost !== undefined || flags.budgetTokens !== undefined) {
    const named = [
      options.budgetTokens !== null ? `${options.budgetTokens} output tokens (--budget-tokens)` : null,
      options.maxCostUsd !== null ? `$${options.maxCostUsd} (--max-cost)` : null,
    ].filter(Boolean);
    return { source: 'flags', text: `${named.join(', ')}${atCeiling(options)}` };
  }
  if (flags.ceiling === false) return { source: 'no-ceiling', text: 'none (--no-ceiling: nothing stops its spending)' };
  if (!unattended) return { source: 'none', text: 'none (--budget-tokens, --max-cost)' };
  options.maxCostUsd = settings.unattendedMaxCostUsd;
  if (flags.onBudget === undefined) options.onBudget = 'pause';
  return {
    source: 'unattended-default',
    text: `$${options.maxCostUsd} (unattended default, defaults.unattended.maxCostUsd in ${settings.configPath}; --max-cost or --no-ceiling to choose)${atCeiling(options)}`,
  };
}

function atCeiling(options: RunOptions): string {
  return options.onBudget === 'pause' ? ", then pause until 'baton budget RUN --max-cost USD' raises it" : ', then stop';
}

/** `baton run` is unattended when nobody can answer a prompt: its stdin is not a terminal. */
export function nobodyWatching(): boolean {
  return !process.stdin.isTTY;
}
