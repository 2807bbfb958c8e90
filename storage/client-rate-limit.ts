// A token bucket per client address for the codec server: each client may make `perMinute`
// requests a minute, in bursts of as many (the UI decodes a page's payloads at once). It bounds
// how fast anyone can guess tokens or make the server read the blob store.
export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Clients remembered at most; past it, those whose bucket has refilled are forgotten. */
const MAX_CLIENTS = 10_000;

export class ClientRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(client: string): RateVerdict {
    const now = this.now();
    const perMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (this.buckets.size > MAX_CLIENTS) this.forgetIdle(now, perMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }

  private forgetIdle(now: number, perMs: number): void {
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.perMinute) this.buckets.delete(client);
    }
  }
}
