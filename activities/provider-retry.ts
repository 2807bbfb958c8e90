// How one model call rides out provider faults inside the agent's activity (docs/design.md#an-agents-durability). A rate limit
// or an overload is waited out here for as long as it lasts: only the agent's timeout or a
// cancellation ends the wait, so it delays the run and never fails it. A 5xx or a dropped or
// stalled connection gets a few quick retries, then goes back to Temporal, whose retry of the
// activity resumes the agent from its checkpoint. Anything else is thrown at once.
import { ensureError, ModelOverloaded, ModelRateLimited, ModelUnavailable } from './agent-errors.js';

export interface ProviderRetryPolicy {
  /** Wait after a 429/529 that names no retry-after; doubles with each consecutive one. */
  rateLimitInitialMs: number;
  rateLimitMaxMs: number;
  /** Quick retries of a 5xx or connection fault before it goes to Temporal's retry policy. */
  transientRetries: number;
  transientInitialMs: number;
  transientMaxMs: number;
}

export const DEFAULT_PROVIDER_RETRY: ProviderRetryPolicy = {
  rateLimitInitialMs: 2_000,
  rateLimitMaxMs: 60_000,
  transientRetries: 3,
  transientInitialMs: 1_000,
  transientMaxMs: 8_000,
};

/** One wait before retrying the call, as announced to `onWait`. */
export interface ProviderWait {
  /** `rate_limited` and `overloaded` waits hold back the run's other agents; `unavailable` ones do not. */
  reason: 'rate_limited' | 'overloaded' | 'unavailable';
  delayMs: number;
  /** Epoch ms at which the call is made again. */
  untilMs: number;
  /** 1-based: how many waits of this kind this call has made so far. */
  attempt: number;
  /** Whether the provider said how long to wait (retry-after), rather than Baton's backoff. */
  fromRetryAfter: boolean;
  error: Error;
}

export interface ProviderRetryDeps {
  policy: ProviderRetryPolicy;
  signal?: AbortSignal;
  onWait?: (wait: ProviderWait) => void;
  /** For tests: the source of jitter (default Math.random). */
  random?: () => number;
}

/** Calls `call` until it succeeds, waiting out provider faults as the policy says. */
export async function withProviderRetry<T>(call: () => Promise<T>, deps: ProviderRetryDeps): Promise<T> {
  const random = deps.random ?? Math.random;
  let limited = 0;
  let transient = 0;
  for (;;) {
    try {
      return await call();
    } catch (e) {
      const error = ensureError(e);
      if (deps.signal?.aborted) throw error;
      let wait: Omit<ProviderWait, 'untilMs'>;
      if (error instanceof ModelRateLimited || error instanceof ModelOverloaded) {
        limited++;
        const backoff = exponential(deps.policy.rateLimitInitialMs, deps.policy.rateLimitMaxMs, limited, random);
        wait = {
          reason: error instanceof ModelRateLimited ? 'rate_limited' : 'overloaded',
          ...delayFor(error.retryAfterMs, backoff, random),
          attempt: limited,
          error,
        };
      } else if (error instanceof ModelUnavailable && transient < deps.policy.transientRetries) {
        transient++;
        const backoff = exponential(deps.policy.transientInitialMs, deps.policy.transientMaxMs, transient, random);
        wait = { reason: 'unavailable', ...delayFor(error.retryAfterMs, backoff, random), attempt: transient, error };
      } else {
        throw error;
      }
      deps.onWait?.({ ...wait, untilMs: Date.now() + wait.delayMs });
      await pause(wait.delayMs, deps.signal);
    }
  }
}

// retry-after is honoured, plus a little jitter so agents limited together do not all come back
// in the same instant; without it, the backoff applies.
function delayFor(retryAfterMs: number | undefined, backoffMs: number, random: () => number) {
  if (retryAfterMs === undefined || retryAfterMs <= 0) return { delayMs: backoffMs, fromRetryAfter: false };
  return { delayMs: Math.ceil(retryAfterMs + random() * Math.min(1_000, retryAfterMs * 0.1)), fromRetryAfter: true };
}

/** Doubling from `initialMs`, capped at `maxMs`, with "equal jitter": between half and all of it. */
function exponential(initialMs: number, maxMs: number, attempt: number, random: () => number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return Math.ceil(ceiling / 2 + random() * (ceiling / 2));
}

/** Resolves after `ms`; rejects with the abort reason as soon as `signal` fires. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The agent was cancelled while waiting to retry the model call.');
}
