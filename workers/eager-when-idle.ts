// The worker's agent slots, handed out so that eager activity dispatch happens only while the
// task queue has no backlog. An eagerly dispatched agent skips matching, where the queue's fair
// share and rate limit live (temporalio/temporal#6800); when nothing waits on the queue there is
// nobody to be unfair to, and the agent saves a server hop. The SDK asks `tryReserveSlot` for
// each eager reservation (when a workflow task's completion schedules agents) and `reserveSlot`
// before each poll, so the supplier can tell: a poll that has waited a while without a task means
// the server had nothing to give it, so the queue is empty. A freed slot goes to a poller first
// (`releaseSlot` hands it on at once), so a backlog always wins a freed slot over an eager start.
import type { ActivitySlotInfo, CustomSlotSupplier, SlotMarkUsedContext, SlotPermit, SlotReleaseContext } from '@temporalio/worker';

/**
 * How long a poll must have waited without a task before the queue counts as empty. A poll that
 * finds a backlog returns within a round trip to the server (about 1 ms locally), so a poll this
 * old has found none; the fastest recent delivery stretches it for a distant server.
 */
const IDLE_POLL_MS = 20;

/** Deliveries the round-trip estimate looks back over. */
const DELIVERY_WINDOW = 32;

interface Permit extends SlotPermit {
  id: number;
}

export interface EagerWhenIdleOptions {
  /** The worker's agent slots (`baton worker --concurrency`). */
  slots: number;
  /** False while eager dispatch must not happen at all (a rate limit on the queue). */
  eagerAllowed?: () => boolean;
  now?: () => number;
}

export class EagerWhenIdleSlots implements CustomSlotSupplier<ActivitySlotInfo> {
  readonly type = 'custom';
  private issued = 0;
  private nextId = 1;
  /** Permits reserved for a poll that has not yet brought a task: id → when reserved. */
  private readonly polling = new Map<number, number>();
  private readonly waiters: Array<(permit: Permit) => void> = [];
  /**
   * How long the last deliveries took from reserve to task, newest last. Their fastest is the
   * round trip to the server (no delivery beats it); the others include time the poll waited
   * idle, which must not count, or a quiet queue would look ever farther away and never empty.
   */
  private readonly deliveriesMs: number[] = [];
  /** Counters for the worker's log and the bench. */
  readonly counts = { eager: 0, refused: 0 };
  private readonly now: () => number;

  constructor(private readonly options: EagerWhenIdleOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1) throw new RangeError(`slots must be a positive integer, got ${options.slots}`);
    this.now = options.now ?? Date.now;
    // Bound: the SDK calls these from its own code with `this` unbound.
    this.reserveSlot = this.reserveSlot.bind(this);
    this.tryReserveSlot = this.tryReserveSlot.bind(this);
    this.markSlotUsed = this.markSlotUsed.bind(this);
    this.releaseSlot = this.releaseSlot.bind(this);
  }

  /** Before a poll: a slot when one is free, else the first one freed (FIFO among pollers). */
  reserveSlot(_ctx: unknown, abortSignal: AbortSignal): Promise<SlotPermit> {
    if (this.issued < this.options.slots) return Promise.resolve(this.issue(true));
    return new Promise((resolve, reject) => {
      const waiter = (permit: Permit) => {
        abortSignal.removeEventListener('abort', onAbort);
        resolve(permit);
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(abortSignal.reason);
      };
      abortSignal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** An eager start: only with a free slot and an empty queue. Must not block. */
  tryReserveSlot(_ctx?: unknown): SlotPermit | null {
    if (this.issued >= this.options.slots || !this.queueIsEmpty()) {
      this.counts.refused++;
      return null;
    }
    this.counts.eager++;
    return this.issue(false);
  }

  markSlotUsed(ctx: SlotMarkUsedContext<ActivitySlotInfo>): void {
    const id = (ctx.permit as Permit).id;
    const reservedAt = this.polling.get(id);
    if (reservedAt === undefined) return;
    this.polling.delete(id);
    this.deliveriesMs.push(this.now() - reservedAt);
    if (this.deliveriesMs.length > DELIVERY_WINDOW) this.deliveriesMs.shift();
  }

  releaseSlot(ctx: SlotReleaseContext<ActivitySlotInfo>): void {
    this.polling.delete((ctx.permit as Permit).id);
    const next = this.waiters.shift();
    // The slot passes straight to a waiting poller, so a backlog gets it before any eager start.
    if (next) next(this.issue(true, false));
    else this.issued--;
  }

  /** True when some poll has waited past the idle bound without a task. */
  queueIsEmpty(): boolean {
    if (this.options.eagerAllowed && !this.options.eagerAllowed()) return false;
    const roundTripMs = this.deliveriesMs.length > 0 ? Math.min(...this.deliveriesMs) : 0;
    const bound = Math.max(IDLE_POLL_MS, 3 * roundTripMs);
    const now = this.now();
    for (const reservedAt of this.polling.values()) if (now - reservedAt >= bound) return true;
    return false;
  }

  private issue(forPoll: boolean, count = true): Permit {
    if (count) this.issued++;
    const permit = { id: this.nextId++ };
    if (forPoll) this.polling.set(permit.id, this.now());
    return permit;
  }
}
