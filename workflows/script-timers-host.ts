// The host side of the script's timers (script-timers.ts): each wait is a durable workflow timer
// in its own cancellation scope, so clearTimeout() cancels it and a restart of the worker or the
// server does not lose it. A wait below 1 ms (setTimeout(fn) or 0) starts no workflow timer: it
// fires on the next turn, which is deterministic without one.
//
// A run that continues as new re-executes the script from the top: the timers it starts again
// keep the deadlines they had (carried by start order), so time already waited is not waited
// twice; those already due fire at once, in deadline order, and those cleared stay cleared.
import { CancellationScope, condition, isCancellation, sleep } from '@temporalio/workflow';

/** What a timer's host promise resolves to: it fired, the script cleared it, or the run was stopped. */
export type TimerState = 'fired' | 'cleared' | 'stopped';

/** By start order: the deadline (workflow time, ms) of each timer started so far, or null once cleared. */
export type CarriedTimers = Array<number | null>;

interface Armed {
  ordinal: number;
  scope: CancellationScope | null;
  clear: () => void;
}

export class ScriptTimers {
  private readonly armed = new Map<number, Armed>();
  private readonly deadlines: CarriedTimers = [];
  private due: Array<{ deadline: number; ordinal: number; resolve: (state: TimerState) => void }> = [];
  private watchingStop = false;
  private stopping = false;

  constructor(
    private readonly stopRequested: () => boolean,
    private readonly carried: CarriedTimers = [],
  ) {}

  /** The deadlines to hand to the next run when this one continues as new. */
  carry(): CarriedTimers {
    return [...this.deadlines];
  }

  /** Resolves when the timer the script numbered `id` fires, is cleared, or the run stops. */
  start(id: number, ms: number): Promise<TimerState> {
    this.watchStop();
    const ordinal = this.deadlines.length;
    const earlier = this.carried[ordinal];
    if (earlier === null) return this.parked(id, ordinal);
    const deadline = earlier ?? Date.now() + Math.max(0, ms);
    this.deadlines.push(deadline);
    const wait = deadline - Date.now();
    if (wait < 1) return this.fireNextTurn(id, ordinal, deadline);

    const scope = new CancellationScope();
    let cleared = false;
    this.armed.set(id, { ordinal, scope, clear: () => ((cleared = true), scope.cancel()) });
    return scope
      .run(() => sleep(wait))
      .then(
        (): TimerState => 'fired',
        (error: unknown): TimerState => {
          if (!isCancellation(error)) throw error;
          return cleared ? 'cleared' : 'stopped';
        },
      )
      .finally(() => this.forget(id, ordinal));
  }

  /** clearTimeout/clearInterval: the script only calls it for a timer of its own that is armed. */
  clear(id: number): void {
    const armed = this.armed.get(id);
    if (!armed) return;
    this.deadlines[armed.ordinal] = null;
    armed.clear();
  }

  // Due timers resolve together after the current turn, in deadline order (then start order),
  // as they fired in the run before.
  private fireNextTurn(id: number, ordinal: number, deadline: number): Promise<TimerState> {
    return new Promise<TimerState>((resolve) => {
      let settled = false;
      const once = (state: TimerState) => {
        if (settled) return;
        settled = true;
        this.forget(id, ordinal);
        resolve(state);
      };
      this.armed.set(id, { ordinal, scope: null, clear: () => once('cleared') });
      this.due.push({ deadline, ordinal, resolve: once });
      if (this.due.length === 1) void Promise.resolve().then(() => this.flushDue());
    });
  }

  private flushDue(): void {
    const due = this.due.sort((a, b) => a.deadline - b.deadline || a.ordinal - b.ordinal);
    this.due = [];
    for (const timer of due) timer.resolve(this.stopping ? 'stopped' : 'fired');
  }

  // A timer the run before cleared: it never fires, and waits for the script to clear it again.
  private parked(id: number, ordinal: number): Promise<TimerState> {
    this.deadlines.push(null);
    return new Promise<TimerState>((resolve) => {
      this.armed.set(id, { ordinal, scope: null, clear: () => (this.forget(id, ordinal), resolve('cleared')) });
    });
  }

  private forget(id: number, ordinal: number): void {
    if (this.armed.get(id)?.ordinal === ordinal) this.armed.delete(id);
  }

  // `baton stop` while timers wait: each resolves 'stopped' and the script ends with
  // RunStoppedError, instead of the run waiting out a long timer. One condition for all timers.
  private watchStop(): void {
    if (this.watchingStop) return;
    this.watchingStop = true;
    condition(() => this.stopRequested()).then(
      () => {
        this.stopping = true;
        for (const armed of this.armed.values()) armed.scope?.cancel();
      },
      () => undefined,
    );
  }
}
