// Provider faults as a user sees them (docs/design.md#an-agents-durability): a rate limit or an outage delays a run and never
// fails it, new agents are held back while the provider rate limits, and a request the API will
// never accept fails its agent at once with the API's message. The real worker and dev server;
// the model server plays the faults at the network boundary.
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../contract/run-types.js';
import {
  badRequest,
  echoResponder,
  firstUserText,
  overloaded,
  rateLimited,
  serverError,
  type RecordedRequest,
  type Reply,
  type Responder,
} from '../model-server/index.js';
import { batonStateQuery } from '../../contract/run-messages.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter() });
});
afterAll(async () => h?.close());

/**
 * The echo model, except that the first requests whose prompt contains a key of `plan` get that
 * key's replies in turn; `[delay=MS]` in a prompt delays its answer.
 */
function faults(plan: Record<string, Reply[]>): Responder {
  const asked = new Map<string, number>();
  return async (request, ctx) => {
    const prompt = firstUserText(request);
    const key = Object.keys(plan).find((k) => prompt.includes(k));
    if (key) {
      const n = asked.get(key) ?? 0;
      asked.set(key, n + 1);
      const planned = plan[key]![n];
      if (planned) return planned;
    }
    const delay = Number(/\[delay=(\d+)\]/.exec(prompt)?.[1] ?? 0);
    return { ...(await echoResponder(request, ctx)), delayMs: delay };
  };
}

/** The requests of this test whose task prompt contains `marker`, in arrival order. */
function requestsFor(since: number, marker: string): RecordedRequest[] {
  return h.modelServer.requests.slice(since).filter((r) => firstUserText(r.body).includes(marker));
}

describe('a rate limit', () => {
  it('delays the agent by its retry-after and never fails it', async () => {
    h.modelServer.setResponder(faults({ 'limited agent': [rateLimited(2)] }));
    const since = h.modelServer.requests.length;
    const report = await h.run(script("return await agent('limited agent');"));
    expect(report).toMatchObject({ status: 'completed', result: 'echo: limited agent', agents: { total: 1, succeeded: 1, failed: 0 } });
    const [limited, retried] = requestsFor(since, 'limited agent');
    expect(limited!.reply).toMatchObject({ kind: 'error', status: 429 });
    expect(retried!.reply).toMatchObject({ kind: 'message', status: 200 });
    expect(retried!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(2_000);
    expect(report.agentList[0]).toMatchObject({ state: 'succeeded', error: null, rateLimitWaits: 1 });
    expect(report.providerBackoffUntil).toBeNull();
  });

  it('holds agents that have not started until the retry-after has passed; running ones carry on', async () => {
    h.modelServer.setResponder(faults({ 'first [': [rateLimited(2)] }));
    const since = h.modelServer.requests.length;
    // Concurrency 2: a1 is rate limited while a2 runs; a2's slot then goes to a3, which must wait.
    const handle = await h.start(
      script("return await parallel([() => agent('first [a1]'), () => agent('second [a2] [delay=300]'), () => agent('third [a3]')]);"),
      { concurrency: 2 },
    );
    const report = (await handle.result()) as RunReport;
    expect(report).toMatchObject({ status: 'completed', agents: { succeeded: 3, failed: 0 } });
    expect(report.result).toEqual(['echo: first [a1]', 'echo: second [a2] [delay=300]', 'echo: third [a3]']);
    const [limited] = requestsFor(since, '[a1]');
    const [second] = requestsFor(since, '[a2]');
    const [third] = requestsFor(since, '[a3]');
    // a2 was already running: the hold does not touch it.
    expect(second!.receivedAt - limited!.receivedAt).toBeLessThan(1_000);
    expect(second!.reply).toMatchObject({ kind: 'message' });
    // a3 got a2's slot within a second, yet asked the model only once a1's retry-after was over.
    expect(third!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(2_000);
    expect(report.agentList.map((a) => a.rateLimitWaits)).toEqual([1, 0, 0]);
    // The hold (a signal, then a timer) replays: the run's history rebuilds the same commands.
    const replay = { workflowBundle: h.bundle, debugMode: false } as ReplayWorkerOptions;
    await expect(Worker.runReplayHistory(replay, await handle.fetchHistory())).resolves.toBeUndefined();
  });

  it('shows the hold in the live report while it is in force', async () => {
    h.modelServer.setResponder(faults({ 'held probe': [rateLimited(3)] }));
    const handle = await h.start(script("return await agent('held probe');"));
    let seen: number | null = null;
    for (let i = 0; i < 40 && seen === null; i++) {
      seen = (await handle.query(batonStateQuery)).providerBackoffUntil;
      if (seen === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const limited = h.modelServer.requests.filter((r) => firstUserText(r.body) === 'held probe')[0]!;
    expect(seen).toBeGreaterThanOrEqual(limited.receivedAt + 3_000);
    expect(seen).toBeLessThan(limited.receivedAt + 5_000);
    expect(((await handle.result()) as RunReport).agents.failed).toBe(0);
  });
});

describe('transient provider faults', () => {
  it.each([
    ['a 529 without retry-after', overloaded(), { kind: 'error', status: 529 }],
    ['a 500', serverError(), { kind: 'error', status: 500 }],
    ['a reset connection', { resetConnection: true } as Reply, { kind: 'reset' }],
  ])('absorbs %s: the run completes with the right result', async (name, fault, firstReply) => {
    const prompt = `survive ${name}`;
    h.modelServer.setResponder(faults({ [prompt]: [fault] }));
    const since = h.modelServer.requests.length;
    const report = await h.run(script(`return await agent(${JSON.stringify(prompt)});`));
    expect(report).toMatchObject({ status: 'completed', result: `echo: ${prompt}`, agents: { succeeded: 1, failed: 0 } });
    const seen = requestsFor(since, prompt);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.reply).toMatchObject(firstReply);
    expect(seen[1]!.reply).toMatchObject({ kind: 'message', status: 200 });
  });
});

describe('a request the API rejects', () => {
  it('fails the agent at once with the API message, in one request, and the run completes', async () => {
    const message = 'messages.0.content: prompt is too long: 250000 tokens > 200000 maximum';
    h.modelServer.setResponder(faults({ 'rejected agent': [badRequest(message)] }));
    const since = h.modelServer.requests.length;
    const started = Date.now();
    const report = await h.run(script("const bad = await agent('rejected agent');\nconst good = await agent('fine agent');\nreturn { bad, good };"));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(report).toMatchObject({ status: 'completed', result: { bad: null, good: 'echo: fine agent' }, agents: { total: 2, failed: 1, succeeded: 1 } });
    expect(report.agentList[0]).toMatchObject({ id: 'a1', state: 'failed', rateLimitWaits: 0 });
    expect(report.agentList[0]!.error).toContain('ModelRequestRejected');
    expect(report.agentList[0]!.error).toContain(message);
    expect(requestsFor(since, 'rejected agent')).toHaveLength(1);
  });
});
