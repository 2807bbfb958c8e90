// The runAgent activity in a mocked Temporal activity context: how each kind of failure
// reaches Temporal (retry or not, with what delay and details).
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { AgentOutcome, AgentRequest } from '../../contract/run-types.js';
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
const mockEnvironment = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

const activities = () => createActivities({ anthropic: { apiKey: API_KEY, baseURL: server.url, maxRetries: 0 } });

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
    const wrong = createActivities({ anthropic: { apiKey: 'sk-ant-wrong-key', baseURL: server.url, maxRetries: 0 } });
    const failure = await failureOf(mockEnvironment().run(wrong.runAgent, request()));
    expect(failure).toMatchObject({ type: 'ModelRequestRejected', nonRetryable: true });
    expect(JSON.stringify({ failure, message: failure.message, details: failure.details })).not.toContain('sk-ant-');
  });

  describe.each([
    ['a 429', rateLimited(7), 'ModelRateLimited', 7000],
    ['a 529', overloaded(), 'ModelOverloaded', undefined],
    ['a 500', serverError(), 'ModelUnavailable', undefined],
    ['a reset connection', { resetConnection: true } as Reply, 'ModelUnavailable', undefined],
  ])('on %s', (_name, fault, type, delayMs) => {
    it(`rethrows a retryable ${type}${delayMs ? ' honouring retry-after' : ''}`, async () => {
      server.setResponder(scripted(fault));
      const failure = await failureOf(mockEnvironment().run(activities().runAgent, request()));
      expect(failure).toMatchObject({ type, nonRetryable: false });
      expect(failure.nextRetryDelay).toBe(delayMs);
    });
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
