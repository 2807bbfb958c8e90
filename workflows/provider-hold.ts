// The run's hold on new agents while the provider rate limits (docs/design.md#an-agents-durability: a rate limit never starts a
// stampede). Agent activities that begin waiting out a 429/529 signal how long for; agents that
// have not started yet wait on a workflow timer until the latest such time has passed, while
// running agents carry on. State changes only through signals, which history records, and the
// workflow clock, so a replay takes the same waits.
import { sleep as workflowSleep } from '@temporalio/workflow';
import type { ProviderBackoff } from '../contract/run-types.js';

// A provider asks for seconds, at most a minute or two; a longer hold is a bug or a bad clock,
// and must not park a run for hours.
export const MAX_HOLD_MS = 5 * 60_000;

export class ProviderHold {
  private untilMs = 0;

  constructor(
    private readonly sleep: (ms: number) => Promise<void> = workflowSleep,
    private readonly now: () => number = Date.now,
  ) {}

  /** Extends the hold to `backoff.untilMs` (never shortens it). False for a malformed signal. */
  extend(backoff: ProviderBackoff): boolean {
    const until = backoff?.untilMs;
    if (typeof until !== 'number' || !Number.isFinite(until)) return false;
    this.untilMs = Math.max(this.untilMs, Math.min(until, this.now() + MAX_HOLD_MS));
    return true;
  }

  /** The time until which agents not yet started are held, or null when no hold is in force. */
  activeUntil(): number | null {
    return this.untilMs > this.now() ? this.untilMs : null;
  }

  /** Resolves once no hold is in force, however often it was extended meanwhile. */
  async cleared(): Promise<void> {
    for (let left = this.untilMs - this.now(); left > 0; left = this.untilMs - this.now()) {
      await this.sleep(left);
    }
  }
}
