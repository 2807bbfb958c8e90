// The runAgent activity in a mocked Temporal activity context: how each kind of failure
// reaches Temporal (retry or not, with what delay and details), and which it rides out itself.
import type { Client } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { listProviderModels } from '../../activities/provider-models.js';
import type { ProviderRetryPolicy } from '../../activities/provider-retry.js';
import { PROVIDER_BACKOFF_SIGNAL, type AgentOutcome, type AgentRequest, type ProviderBackoff, type TurnReport } from '../../contract/run-types.js';
import {
  badRequest,
  overloaded,
  rateLimited,
  reply,
  scripted,
  serverError,
  startModelServer,
  text,
  toolUse,
  type ModelServer,
  type Reply,
} from '../model-server/index.js';
import { OFFERED_MODELS } from '../model-server/server.js';

const API_KEY = 'sk-ant-test-secret-key';
let server: ModelServer;
let root: string;

beforeAll(async () => {
  server = await startModelServer({ apiKey: API_KEY });
  root = await mkdtemp(path.join(tmpdir(), 'baton-activity-'));
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const request = (over: Partial<AgentRequest> = {}): AgentRequest => ({
  runId: 'run-1',
  agentId: 'a1',
  prompt: 'hello',
  label: 'greeter',
  phase: null,
  model: 'claude-sonnet-5-5',
  workspace: root,
  allow: [],
  ...over,
});

// Failures are the point of most tests here; the worker's warning per failure is noise.
// As Temporal schedules an agent: now, with the whole-agent timeout as its schedule-to-close.
const mockEnvironment = (info: { scheduleToCloseTimeoutMs?: number } = {}) =>
  new MockActivityEnvironment(
    { scheduledTimestampMs: Date.now(), scheduleToCloseTimeoutMs: info.scheduleToCloseTimeoutMs ?? 600_000 },
    { logger: new DefaultLogger('ERROR') },
  );

// Short waits, so the retry behaviour shows in milliseconds rather than the production seconds.
const FAST_RETRY: ProviderRetryPolicy = { rateLimitInitialMs: 40, rateLimitMaxMs: 160, transientRetries: 2, transientInitialMs: 20, transientMaxMs: 40 };

const activities = () => createActivities({ anthropic: { apiKey: API_KEY, baseURL: server.url }, providerRetry: FAST_RETRY });

/** A mock environment whose worker client records the signals the activity sends its workflow. */
function signallingEnvironment() {
  const signals: Array<{ workflowId: string; name: string; backoff: ProviderBackoff }> = [];
  const client = {
    withAbortSignal: (_signal: AbortSignal, fn: () => unknown) => fn(),
    workflow: {
      getHandle: (workflowId: string) => ({
        signal: async (name: string, backoff: ProviderBackoff) => void signals.push({ workflowId, name, backoff }),
        executeUpdate: async (_name: string, { args: [reports] }: { args: [TurnReport[]] }) => reports.map((r) => ({ agentId: r.agentId, go: true })),
      }),
    },
  } as unknown as Client;
  const env = new MockActivityEnvironment(
    { workflowExecution: { workflowId: 'run-1-workflow', runId: 'r1' }, scheduledTimestampMs: Date.now(), scheduleToCloseTimeoutMs: 600_000 },
    { logger: new DefaultLogger('ERROR'), client },
  );
  return { env, signals };
}

/** The requests this test made (the server is shared by the file). */
function requestsSince(start: number) {
  return server.requests.slice(start);
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('runAgent activity', () => {
  it('returns a succeeded outcome and heartbeats its progress', async () => {
    server.setResponder(scripted(reply(toolUse('Glob', { pattern: '*' })), reply(text('hi'))));
    const env = mockEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d) => beats.push(d));
    const outcome = await env.run(activities().runAgent, request());
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'hi', turns: 2, error: null });
    expect(beats).toContainEqual(expect.objectContaining({ turns: 1, lastToolCall: 'Glob {"pattern":"*"}' }));
  });

  it('fails without retry on a terminal failure, with the partial outcome as details', async () => {
    server.setResponder(() => reply(toolUse('Glob', { pattern: '*' })));
    const failure = await failureOf(mockEnvironment().run(activities().runAgent, request({ maxTurns: 2 })));
    expect(failure).toMatchObject({ type: 'MaxTurnsExceeded', nonRetryable: true });
    const [partial] = failure.details as [AgentOutcome];
    expect(partial).toMatchObject({ status: 'failed', result: null, turns: 2, error: { type: 'MaxTurnsExceeded' } });
    expect(partial.usage.output).toBeGreaterThan(0);
  });

  it('fails without retry when the API rejects the request, with its message', async () => {
    server.setResponder(scripted(badRequest('max_tokens: 16000 > 8192, which is the maximum allowed')));
    const failure = await failureOf(mockEnvironment().run(activities().runAgent, request()));
    expect(failure).toMatchObject({ type: 'ModelRequestRejected', nonRetryable: true });
    expect(failure.message).toContain('max_tokens: 16000 > 8192');
  });

  it('fails without retry when the API key is wrong, never echoing the key', async () => {
    const wrong = createActivities({ anthropic: { apiKey: 'sk-ant-wrong-key', baseURL: server.url } });
    const failure = await failureOf(mockEnvironment().run(wrong.runAgent, request()));
    expect(failure).toMatchObject({ type: 'ModelRequestRejected', nonRetryable: true });
    expect(JSON.stringify({ failure, message: failure.message, details: failure.details })).not.toContain('sk-ant-');
  });

  it('waits out a 429 for its retry-after, asks the run to hold new agents, and succeeds', async () => {
    server.setResponder(scripted(rateLimited(1), reply(text('after the wait'))));
    const start = server.requests.length;
    const { env, signals } = signallingEnvironment();
    const outcome = await env.run(activities().runAgent, request());
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'after the wait' });
    const [limited, retried] = requestsSince(start);
    expect(retried!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(1_000);
    expect(signals).toEqual([
      { workflowId: 'run-1-workflow', name: PROVIDER_BACKOFF_SIGNAL, backoff: { untilMs: expect.any(Number), reason: 'rate_limited', agentId: 'a1' } },
    ]);
    expect(signals[0]!.backoff.untilMs).toBeGreaterThanOrEqual(limited!.receivedAt + 1_000);
    expect(signals[0]!.backoff.untilMs).toBeLessThanOrEqual(retried!.receivedAt + 50);
  });

  it('waits out 529s for as long as they last, never counting them as failures', async () => {
    server.setResponder(scripted(overloaded(), overloaded(), overloaded(), overloaded(), overloaded(), reply(text('finally'))));
    const start = server.requests.length;
    const { env, signals } = signallingEnvironment();
    const outcome = await env.run(activities().runAgent, request());
    // Five overloads in a row: more than the quick retries a 5xx gets, and still no failure.
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'finally', error: null });
    expect(requestsSince(start)).toHaveLength(6);
    expect(signals.map((s) => s.backoff.reason)).toEqual(['overloaded', 'overloaded', 'overloaded', 'overloaded', 'overloaded']);
  });

  it('keeps waiting when it cannot reach the workflow (no client): the signal is best effort', async () => {
    server.setResponder(scripted(rateLimited(0.2), reply(text('fine'))));
    const outcome = await mockEnvironment().run(activities().runAgent, request());
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'fine' });
  });

  describe.each([
    ['a 500', serverError()],
    ['a reset connection', { resetConnection: true } as Reply],
  ])('on %s', (_name, fault) => {
    it('retries quickly inside the activity, without holding the run', async () => {
      server.setResponder(scripted(fault, reply(text('recovered'))));
      const start = server.requests.length;
      const { env, signals } = signallingEnvironment();
      expect(await env.run(activities().runAgent, request())).toMatchObject({ status: 'succeeded', result: 'recovered' });
      expect(requestsSince(start)).toHaveLength(2);
      expect(signals).toEqual([]);
    });

    it('goes back to Temporal as a retryable ModelUnavailable once its quick retries are spent', async () => {
      server.setResponder(scripted(fault, fault, fault));
      const start = server.requests.length;
      const failure = await failureOf(mockEnvironment().run(activities().runAgent, request()));
      expect(failure).toMatchObject({ type: 'ModelUnavailable', nonRetryable: false });
      expect(requestsSince(start)).toHaveLength(1 + FAST_RETRY.transientRetries);
    });
  });

  it('sends a 400 back at once: one request, no retry', async () => {
    server.setResponder(scripted(badRequest('messages: text content blocks must be non-empty')));
    const start = server.requests.length;
    const failure = await failureOf(mockEnvironment().run(activities().runAgent, request()));
    expect(failure).toMatchObject({ type: 'ModelRequestRejected', nonRetryable: true });
    expect(failure.message).toContain('text content blocks must be non-empty');
    expect(requestsSince(start)).toHaveLength(1);
  });

  it('stops waiting out a rate limit as soon as it is cancelled', async () => {
    server.setResponder(scripted(rateLimited(30)));
    const env = mockEnvironment();
    const running = env.run(activities().runAgent, request());
    setTimeout(() => env.cancel(), 300);
    const started = Date.now();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('propagates cancellation as Temporal’s CancelledFailure', async () => {
    server.setResponder(scripted({ ...reply(text('too late')), delayMs: 5_000 }));
    const env = mockEnvironment();
    const running = env.run(activities().runAgent, request());
    setTimeout(() => env.cancel(), 200);
    const started = Date.now();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

describe("the provider's model list", () => {
  it('is read from GET /v1/models, and is null where the provider offers no list', async () => {
    const listed = await listProviderModels({ apiKey: API_KEY, baseURL: server.url }, () => {});
    expect([...(listed ?? [])].sort()).toEqual([...OFFERED_MODELS].sort());
    const bare = await startModelServer({ models: null });
    try {
      expect(await listProviderModels({ apiKey: 'k', baseURL: bare.url }, () => {})).toBeNull();
    } finally {
      await bare.close();
    }
  });

  it('fails an agent on a model the provider does not list before any model call, naming it', async () => {
    const start = server.requests.length;
    const listed = createActivities({ anthropic: { apiKey: API_KEY, baseURL: server.url }, knownModels: new Set(OFFERED_MODELS) });
    const failure = await failureOf(mockEnvironment().run(listed.runAgent, request({ model: 'claude-sonnet-4-5' })));
    expect(failure.type).toBe('UnknownModel');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('"claude-sonnet-4-5"');
    expect(failure.message).toContain('claude-sonnet-5-5');
    expect(requestsSince(start)).toHaveLength(0);
  });
});
