// The script-CPU fuse: QuickJS's interrupt handler decides when a script that computes without
// awaiting has run long enough. A script must end as failed within seconds, never by tripping
// Temporal's 5 s activation deadlock timeout (that only fails the workflow task, which Temporal
// retries forever: the run would look stuck).
import { inWorkflowContext, workflowInfo } from '@temporalio/workflow';
import { maybeGetActivator } from '@temporalio/workflow/lib/global-attributes.js';

/** QuickJS's JS_INTERRUPT_COUNTER_INIT: interpreter ticks (backward jumps, calls) per handler call. */
const QUICKJS_TICKS_PER_POLL = 10_000;
/**
 * Ticks per handler call once the fuse has shortened QuickJS's counter (see CounterCell). Each
 * poll reads the real clock (~0.75 µs in the sandbox), so 500 costs an empty loop ~15% speed and
 * keeps a loop of JSON round trips polling every ~0.5 s.
 */
export const TICKS_PER_POLL = 500;

/**
 * Interpreter ticks allowed per entry into QuickJS. Counting ticks, not time, makes the cut
 * deterministic: a replay with the same agent results trips at the same point.
 *
 * Calibration (2-core dev VM, Node 20, release-sync QuickJS 0.32). Rates, by counting handler
 * calls during 3 s of each loop in plain Node: an empty `while (true) {}` ~124 M ticks/s,
 * arithmetic ~33 M/s, object allocation ~8 M/s, string building ~6 M/s. Inside a workflow, with
 * this fuse's polling and clock reads, an empty loop runs ~97 M ticks/s: timed from start to
 * failed run, 150 M ticks end `while (true) {}` after ~1.55 s. Heavier loops (arithmetic,
 * calls, allocation, JSON) hit the wall-clock backstop first, at 2.5 s plus one poll gap.
 */
export const TICK_BUDGET = 150_000_000;

/**
 * Real time QuickJS may run within one workflow activation before it is interrupted: a backstop
 * for work the tick count underrates (a loop around JSON.parse of a big string ticks a few times
 * per millisecond). 2.5 s leaves room under Temporal's 5 s for the gap between two polls
 * (measured: ~550 ms in a loop of JSON round trips of 2,000 objects) on a loaded machine. Wall
 * time is not replay-safe, but it only ever ends a run that was about to be stuck.
 */
export const ACTIVATION_BACKSTOP_MS = 2_500;

/**
 * QuickJS's per-context interrupt counter, in wasm memory. QuickJS resets it to 10,000 before
 * each handler call; writing a smaller value from the handler makes QuickJS poll more often, so
 * a loop whose body is mostly native work (JSON, regex, big strings) still reaches the handler
 * every ~0.5 s instead of every ~10 s. A single builtin call on huge data (splitting a
 * 10 MB string into characters) never polls at all; nothing short of killing the isolate
 * bounds that. The field is found, not hard-coded: the one int32
 * of the context struct that holds 10,000 at two consecutive polls is shortened, and it must be
 * back at 10,000 at the poll after (QuickJS reset it). If that ever fails (another QuickJS
 * build), the fuse keeps QuickJS's own counter.
 */
export interface CounterCell {
  /** Int32 words of the JSContext struct, read fresh (wasm memory can grow and move). */
  words(): Int32Array;
}

export type FuseTrip = 'budget' | 'backstop';
type CounterState = { kind: 'unknown' } | { kind: 'candidates'; indexes: number[] } | { kind: 'probing' | 'active'; index: number } | { kind: 'off' };

export class CpuFuse {
  private ticks = 0;
  private counter: CounterState;
  private activationKey = '';
  private activationStartMs = 0;
  private clock: (() => number) | null = null;
  /** Why the script was interrupted, once it was; every later poll interrupts again. */
  tripped: FuseTrip | null = null;

  constructor(private readonly cell: CounterCell | null) {
    this.counter = cell ? { kind: 'unknown' } : { kind: 'off' };
  }

  /** Called each time the host re-enters QuickJS: the tick budget is per entry. */
  enter(): void {
    this.ticks = 0;
    const key = activationKey();
    if (key !== this.activationKey) {
      this.activationKey = key;
      this.clock = realClock();
      this.activationStartMs = this.clock?.() ?? 0;
    }
  }

  /** QuickJS's interrupt handler: true stops the script with an uncatchable InternalError. */
  readonly shouldInterrupt = (): boolean => {
    if (this.tripped) return true;
    this.ticks += this.counter.kind === 'active' || this.counter.kind === 'probing' ? TICKS_PER_POLL : QUICKJS_TICKS_PER_POLL;
    this.shortenCounter();
    if (this.ticks > TICK_BUDGET) {
      this.tripped = 'budget';
      return true;
    }
    // Every poll reads the real clock: skipping polls would blind the backstop when a fast loop
    // turns into a slow one.
    if (this.clock && this.clock() - this.activationStartMs > ACTIVATION_BACKSTOP_MS) {
      this.tripped = 'backstop';
      return true;
    }
    return false;
  };

  private shortenCounter(): void {
    if (!this.cell || this.counter.kind === 'off') return;
    const words = this.cell.words();
    const state = this.counter;
    if (state.kind === 'unknown') {
      const indexes: number[] = [];
      for (let i = 0; i < words.length; i++) if (words[i] === QUICKJS_TICKS_PER_POLL) indexes.push(i);
      this.counter = { kind: 'candidates', indexes };
      return;
    }
    if (state.kind === 'candidates') {
      const still = state.indexes.filter((i) => words[i] === QUICKJS_TICKS_PER_POLL);
      this.counter = still.length === 1 ? { kind: 'probing', index: still[0]! } : { kind: 'off' };
    } else if (words[state.index] === QUICKJS_TICKS_PER_POLL) {
      this.counter = { kind: 'active', index: state.index };
    } else {
      this.counter = { kind: 'off' };
    }
    if (this.counter.kind === 'probing' || this.counter.kind === 'active') words[this.counter.index] = TICKS_PER_POLL;
  }
}

// Date.now() is frozen for a whole activation and historyLength grows with each one, so the
// pair names the current activation. Outside a workflow (unit tests) there is just one.
function activationKey(): string {
  if (!inWorkflowContext()) return 'outside-workflow';
  return `${Date.now()}:${workflowInfo().historyLength}`;
}

// Date.now() is workflow time inside a workflow, so there the SDK's own real clock is used (it
// stamps log records with it); outside one (unit tests) Date.now() is real.
function realClock(): (() => number) | null {
  if (!inWorkflowContext()) return Date.now;
  const activator = maybeGetActivator() as { getTimeOfDay?: () => bigint } | undefined;
  const getTimeOfDay = activator?.getTimeOfDay;
  if (typeof getTimeOfDay !== 'function') return null;
  return () => Number(getTimeOfDay.call(activator)) / 1e6;
}
