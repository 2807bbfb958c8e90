// Waiting for a slot: an admitted agent holds one of the run's concurrency slots
// (concurrency-gate.ts) and may still not start. Why not, and how it then ends, is decided here:
// the provider's rate limit (docs/design.md#an-agents-durability), a pause or stop
// (docs/runs.md#steering-and-watching), continuing as new (docs/runs.md#long-runs), the run's
// ceiling (docs/runs.md#budgets), the script's end. The waits themselves stay in agent-runner.ts,
// so a call awaits exactly what it always awaited and issues the same commands.
import { isCancellation } from '@temporalio/workflow';
import type { AgentView } from '../contract/run-types.js';
import { ScriptFacingError } from './agent-options.js';
import { failure, type CallEnvelope } from './call-envelope.js';
import type { RunTracker } from './run-tracker.js';
import type { StartRefusal } from './steering.js';

export class AgentSlot {
  constructor(private readonly tracker: RunTracker) {}

  /**
   * While the provider rate limits, an agent not yet started waits (holding its slot, so call
   * order is kept) instead of running into the same limit; the wait to await, or null without a
   * hold, so runs that never saw one issue the same commands as before holds existed.
   */
  providerHold(): Promise<void> | null {
    return this.tracker.providerHold.activeUntil() === null ? null : this.tracker.providerHold.cleared();
  }

  /** The run was cancelled while the agent waited out the provider's hold: it never starts. */
  heldAndCancelled(view: Readonly<AgentView>, error: unknown): CallEnvelope {
    if (!isCancellation(error)) throw error;
    this.tracker.endAgent(view, 'stopped', { error: 'stopped: the run was cancelled' });
    return failure(new ScriptFacingError('RunStoppedError', `The run was stopped before agent ${view.id} started.`));
  }

  /** A stopped run or agent never starts (steering.beforeStart says why): it resolves to null or throws. */
  refused(view: Readonly<AgentView>, refusal: StartRefusal | null): CallEnvelope | null {
    if (!refusal) return null;
    this.tracker.endAgent(view, 'stopped', { error: refusal.reason });
    return refusal.error ? failure(refusal.error) : { ok: true, value: null };
  }

  /**
   * The last checks before the agent starts: once the budget is reached (`--on-budget stop`),
   * calls still waiting for a slot throw too; once the script has ended (`ending`), a slot
   * freed by a cancelled agent starts no other.
   */
  tooLate(view: Readonly<AgentView>, ending: boolean): CallEnvelope | null {
    const { spending } = this.tracker;
    const lateBudget = spending.mode === 'stop' ? spending.exceeded() : null;
    if (lateBudget) {
      this.tracker.endAgent(view, 'stopped', { error: lateBudget.message });
      return failure(lateBudget);
    }
    if (ending) {
      this.tracker.endAgent(view, 'stopped', { error: 'stopped: the run ended' });
      return failure(new ScriptFacingError('RunStoppedError', `The run ended before agent ${view.id} started.`));
    }
    return null;
  }
}
