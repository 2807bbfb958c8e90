// The run's concurrency cap (docs/script-language.md#limits): at most `capacity` agents hold a slot, and callers get
// slots strictly in the order they asked. Plain promises only, so it is deterministic on replay.

export type Release = () => void;

export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<(release: Release) => void> = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`concurrency must be a positive integer, got ${capacity}`);
  }

  /** Resolves with a release function once a slot is free; FIFO among waiters. */
  acquire(): Promise<Release> {
    if (this.active < this.capacity && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the oldest waiter, so a later caller can never overtake it.
      if (next) next(this.releaser());
      else this.active--;
    };
  }
}
