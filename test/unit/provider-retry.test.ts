// The retry policy around one model call: which faults are waited out (and for how long), which
// get a few quick retries, and which are thrown at once.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelOverloaded, ModelRateLimited, ModelRequestRejected, ModelUnavailable } from '../../activities/agent-errors.js';
import { runAgentLoop } from '../../activities/agent-loop.js';
import { DEFAULT_PROVIDER_RETRY, withProviderRetry, type ProviderRetryPolicy, type ProviderWait } from '../../activities/provider-retry.js';
import type { AgentRequest } from '../../contract/run-types.js';
import { rateLimited, reply, scripted, startModelServer, text, type ModelServer } from '../model-server/index.js';

const POLICY: ProviderRetryPolicy = { rateLimitInitialMs: 10, rateLimitMaxMs: 40, transientRetries: 2, transientInitialMs: 5, transientMaxMs: 10 };

/** A call that throws the given errors in turn, then returns 'ok'. */
function failing(...errors: Error[]) {
  let calls = 0;
  const call = async () => {
    const error = errors[calls++];
    if (error) throw error;
    return 'ok';
  };
  return { call, calls: () => calls };
}

async function retried(errors: Error[], options: { random?: () => number; policy?: ProviderRetryPolicy } = {}) {
  const waits: ProviderWait[] = [];
  const { call, calls } = failing(...errors);
  const result = await withProviderRetry(call, { policy: options.policy ?? POLICY, onWait: (w) => waits.push(w), random: options.random ?? (() => 1) }).catch(
    (e: unknown) => e,
  );
  return { result, waits, calls: calls() };
}

describe('withProviderRetry', () => {
  it('defaults to waits of 2 s doubling to 60 s for rate limits, and 3 quick retries for outages', () => {
    expect(DEFAULT_PROVIDER_RETRY).toMatchObject({ rateLimitInitialMs: 2_000, rateLimitMaxMs: 60_000, transientRetries: 3 });
  });

  it('honours retry-after, plus at most 10% (and at most 1 s) of jitter', async () => {
    const { result, waits } = await retried([new ModelRateLimited('limited', 30)]);
    expect(result).toBe('ok');
    expect(waits).toEqual([expect.objectContaining({ reason: 'rate_limited', delayMs: 33, fromRetryAfter: true, attempt: 1 })]);
    const atZero = await retried([new ModelRateLimited('limited', 30)], { random: () => 0 });
    expect(atZero.waits[0]!.delayMs).toBe(30);
  });

  it('backs off exponentially, capped, when the provider names no wait', async () => {
    const errors = Array.from({ length: 5 }, () => new ModelOverloaded('overloaded', undefined));
    const { result, waits } = await retried(errors);
    expect(result).toBe('ok');
    expect(waits.map((w) => [w.reason, w.delayMs, w.fromRetryAfter])).toEqual([
      ['overloaded', 10, false],
      ['overloaded', 20, false],
      ['overloaded', 40, false],
      ['overloaded', 40, false],
      ['overloaded', 40, false],
    ]);
    // Equal jitter: never less than half the step.
    const low = await retried([new ModelOverloaded('overloaded', undefined)], { random: () => 0 });
    expect(low.waits[0]!.delayMs).toBe(5);
  });

  it('never gives up on rate limits: only cancellation ends the wait', async () => {
    const errors = Array.from({ length: 12 }, () => new ModelRateLimited('limited', undefined));
    const { result, calls } = await retried(errors, { policy: { ...POLICY, rateLimitMaxMs: 10 } });
    expect(result).toBe('ok');
    expect(calls).toBe(13);
  });

  it('retries a 5xx or a dropped connection a few times, then throws it for Temporal to retry', async () => {
    const recovered = await retried([new ModelUnavailable('500', undefined), new ModelUnavailable('reset', undefined)]);
    expect(recovered.result).toBe('ok');
    expect(recovered.waits.map((w) => [w.reason, w.attempt])).toEqual([
      ['unavailable', 1],
      ['unavailable', 2],
    ]);
    const down = new ModelUnavailable('still down', undefined);
    const gaveUp = await retried([new ModelUnavailable('500', undefined), new ModelUnavailable('500', undefined), down]);
    expect(gaveUp.result).toBe(down);
    expect(gaveUp.calls).toBe(3);
  });

  it.each([
    ['a rejected request', new ModelRequestRejected('bad request', 400)],
    ['a bug', new TypeError('x is undefined')],
  ])('throws %s at once, without waiting', async (_name, error) => {
    const { result, waits, calls } = await retried([error]);
    expect(result).toBe(error);
    expect(waits).toEqual([]);
    expect(calls).toBe(1);
  });

  it('stops waiting when the signal fires, with its reason', async () => {
    const controller = new AbortController();
    const { call } = failing(new ModelRateLimited('limited', 60_000));
    const waiting = withProviderRetry(call, { policy: POLICY, signal: controller.signal });
    const reason = new Error('cancelled by the workflow');
    setTimeout(() => controller.abort(reason), 20);
    const started = Date.now();
    await expect(waiting).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('an agent waiting out a rate limit', () => {
  let server: ModelServer;
  let root: string;
  beforeAll(async () => {
    server = await startModelServer();
    root = await mkdtemp(path.join(tmpdir(), 'baton-provider-retry-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('keeps heartbeating through the wait, so Temporal never takes it for dead', async () => {
    server.setResponder(scripted(rateLimited(1), reply(text('done'))));
    const request: AgentRequest = { runId: 'r', agentId: 'a1', prompt: 'hi', label: 'hi', phase: null, model: 'claude-sonnet-5-5', workspace: root, allow: [] };
    const beats: number[] = [];
    const outcome = await runAgentLoop(request, {
      client: new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 }),
      heartbeat: () => beats.push(Date.now()),
      heartbeatIntervalMs: 100,
      providerRetry: { policy: POLICY },
    });
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'done' });
    const [limited, retried] = server.requests.map((r) => r.receivedAt);
    const during = beats.filter((t) => t > limited! && t < retried!);
    expect(during.length).toBeGreaterThanOrEqual(5);
  });
});
