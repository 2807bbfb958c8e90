// Resuming an agent from its checkpoint: the runAgent activity in a mocked Temporal context,
// attempt 1 failing mid-conversation and attempt 2 started with the heartbeat details attempt 1
// left, as Temporal would start a retry. The model server records what the "API" was asked.
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  INLINE_CHECKPOINT_MAX_CHARS,
  type Conversation,
  type HeartbeatDetails,
} from '../../activities/agent-checkpoint.js';
import { createActivities } from '../../activities/index.js';
import type { AgentOutcome, AgentRequest, TokenUsage } from '../../contract/run-types.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { LocalBlobStore } from '../../storage/local-blob-store.js';
import {
  reply,
  serverError,
  startModelServer,
  structured,
  text,
  toolResults,
  toolUse,
  type ModelServer,
  type RecordedRequest,
  type Reply,
} from '../model-server/index.js';

let server: ModelServer;
let root: string;
let blobDir: string;
let firstOfTest = 0;
const warnings: string[] = [];

beforeAll(async () => {
  server = await startModelServer();
  root = await mkdtemp(path.join(tmpdir(), 'baton-checkpoint-'));
  blobDir = await mkdtemp(path.join(tmpdir(), 'baton-checkpoint-blobs-'));
  await writeFile(path.join(root, 'notes.txt'), 'first line\nsecond line\n');
  await writeFile(path.join(root, 'todo.txt'), 'buy milk\n');
  // Random text gzips poorly: reading it makes a checkpoint far over the inline cap.
  const lines = Array.from({ length: 1100 }, () => randomBytes(60).toString('base64'));
  await writeFile(path.join(root, 'big.txt'), `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
  await rm(blobDir, { recursive: true, force: true });
});

beforeEach(() => {
  firstOfTest = server.requests.length;
  warnings.length = 0;
});

const requests = (): RecordedRequest[] => server.requests.slice(firstOfTest);

const request = (over: Partial<AgentRequest> = {}): AgentRequest => ({
  runId: 'run-1',
  agentId: 'a1',
  prompt: 'Read the notes.',
  label: 'reader',
  phase: null,
  model: 'claude-sonnet-5-5',
  workspace: root,
  allow: [],
  ...over,
});

/**
 * Plays turn i (i = assistant messages so far) from plan[i]; a list answers successive asks of
 * that turn. `asked[i]` counts how often the model was asked for turn i.
 */
function byTurn(plan: Array<Reply | Reply[]>): number[] {
  const asked = plan.map(() => 0);
  server.setResponder((req) => {
    const turn = req.messages.filter((m) => m.role === 'assistant').length;
    const step = plan[turn];
    if (!step) throw new Error(`no reply planned for turn ${turn}`);
    const replies = Array.isArray(step) ? step : [step];
    return replies[Math.min(asked[turn]++, replies.length - 1)]!;
  });
  return asked;
}

interface Attempt {
  outcome?: AgentOutcome;
  failure?: ApplicationFailure;
  beats: HeartbeatDetails[];
  /** What Temporal would hand the next attempt as `info.heartbeatDetails`. */
  details: HeartbeatDetails | undefined;
}

async function attempt(n: number, req: AgentRequest, heartbeatDetails?: unknown, blobStore?: BlobStore): Promise<Attempt> {
  const logger = new DefaultLogger('WARN', (entry) => warnings.push(entry.message));
  const env = new MockActivityEnvironment({ attempt: n, heartbeatDetails }, { logger });
  const beats: HeartbeatDetails[] = [];
  env.on('heartbeat', (d: HeartbeatDetails) => beats.push(d));
  // No quick in-activity retries: each 500 goes to Temporal, as one does once they are spent.
  const activities = createActivities({ anthropic: { apiKey: 'test-key', baseURL: server.url }, blobStore, providerRetry: { transientRetries: 0 } });
  const result = await env.run(activities.runAgent, req).then(
    (outcome) => ({ outcome: outcome as AgentOutcome }),
    (failure: ApplicationFailure) => ({ failure }),
  );
  return { ...result, beats, details: beats.at(-1) };
}

/** Usage the server reported for the given requests, in Baton's terms. */
function usageOf(recorded: RecordedRequest[]): TokenUsage {
  const total: TokenUsage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const { reply: r } of recorded) {
    if (r.kind !== 'message') continue;
    total.input += r.usage.input_tokens;
    total.output += r.usage.output_tokens;
    total.cacheRead += r.usage.cache_read_input_tokens ?? 0;
    total.cacheWrite += r.usage.cache_creation_input_tokens ?? 0;
  }
  return total;
}

const body = (r: RecordedRequest) => JSON.stringify(r.body);

const failingStore: BlobStore = {
  put: () => Promise.reject(new Error('disk full')),
  get: () => Promise.reject(new Error('disk full')),
};

describe('agent checkpoints', () => {
  it('resumes after the last completed turn: no completed turn is asked for twice, and usage spans both attempts', async () => {
    const asked = byTurn([
      reply(toolUse('Read', { file_path: 'notes.txt' })),
      reply(toolUse('Glob', { pattern: '*.txt' })),
      [serverError(), reply(text('Read both.'))],
    ]);
    const first = await attempt(1, request());
    expect(first.failure).toMatchObject({ type: 'ModelUnavailable', nonRetryable: false });
    const firstRequests = requests();
    expect(firstRequests).toHaveLength(3);
    expect(first.details).toMatchObject({ turns: 2, lastToolCall: 'Glob {"pattern":"*.txt"}', checkpoint: { v: 1, gzip: expect.any(String) } });
    // Progress heartbeats during a turn never drop the checkpoint Temporal would hand a retry.
    const firstWith = first.beats.findIndex((b) => b.checkpoint);
    expect(first.beats.slice(firstWith).every((b) => b.checkpoint)).toBe(true);

    const second = await attempt(2, request(), first.details);
    expect(second.outcome).toMatchObject({ status: 'succeeded', result: 'Read both.', turns: 3, lastToolCall: 'Glob {"pattern":"*.txt"}' });
    expect(asked).toEqual([1, 1, 2]);
    const secondRequests = requests().slice(3);
    expect(secondRequests).toHaveLength(1);
    // The retry's request is byte for byte the one attempt 1 was making when it failed.
    expect(body(secondRequests[0]!)).toBe(body(firstRequests[2]!));
    expect(secondRequests[0]!.body.messages).toHaveLength(5);
    expect(toolResults(secondRequests[0]!.body)[0]).toMatchObject({ content: expect.stringMatching(/notes\.txt/) });
    expect(second.outcome!.usage).toEqual(usageOf(requests()));
    expect(second.outcome!.usage.output).toBeGreaterThan(usageOf(secondRequests).output);
    // Until it saves a turn of its own, attempt 2 keeps offering the checkpoint it resumed from.
    expect(second.beats[0]!.checkpoint).toEqual(first.details!.checkpoint);
  });

  it('keeps a checkpoint over the inline cap in the blob store and heartbeats only its key', async () => {
    const asked = byTurn([reply(toolUse('Read', { file_path: 'big.txt' })), [serverError(), reply(text('A lot of noise.'))]]);
    const first = await attempt(1, request(), undefined, new LocalBlobStore(blobDir));
    const checkpoint = first.details!.checkpoint!;
    expect(checkpoint).toMatchObject({ v: 1, blob: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: expect.any(Number) });
    expect(JSON.stringify(first.details).length).toBeLessThan(1024);
    if (!('blob' in checkpoint)) throw new Error('expected a blob checkpoint');
    expect(checkpoint.bytes * (4 / 3)).toBeGreaterThan(INLINE_CHECKPOINT_MAX_CHARS);

    // Another worker, sharing the blob directory, runs the retry.
    const second = await attempt(2, request(), first.details, new LocalBlobStore(blobDir));
    expect(second.outcome).toMatchObject({ status: 'succeeded', result: 'A lot of noise.', turns: 2 });
    expect(asked).toEqual([1, 2]);
    expect(body(requests()[2]!)).toBe(body(requests()[1]!));
    expect(second.outcome!.usage).toEqual(usageOf(requests()));
  });

  it('sends a checkpoint under the cap inline and one over it to the store, or nowhere without one', async () => {
    const conversation = (chars: number): Conversation => ({
      messages: [{ role: 'user', content: [{ type: 'text', text: randomBytes(chars).toString('base64').slice(0, chars) }] }],
      turns: 1,
      lastToolCall: null,
      structuredFailures: 0,
      snapshot: null,
    });
    const store = new LocalBlobStore(blobDir);
    const under = conversation(6_000);
    const small = await encodeCheckpoint(under, store);
    expect(small).toMatchObject({ gzip: expect.any(String) });
    // Inline needs no store to read back.
    expect(await decodeCheckpoint(small, undefined)).toEqual(under);
    const big = await encodeCheckpoint(conversation(80_000), store);
    expect(big).toMatchObject({ blob: expect.any(String) });
    expect((await decodeCheckpoint(big, store)).messages).toHaveLength(1);
    await expect(encodeCheckpoint(conversation(80_000), undefined)).rejects.toThrow('no blob store is configured');
  });

  it('falls back to counting usage only when a big checkpoint cannot be stored: the retry starts over', async () => {
    const asked = byTurn([[reply(toolUse('Read', { file_path: 'big.txt' })), reply(text('Started over.'))], serverError()]);
    const first = await attempt(1, request(), undefined, failingStore);
    expect(first.failure).toMatchObject({ type: 'ModelUnavailable' });
    expect(first.details).toEqual({ turns: 1, usage: usageOf(requests()), lastToolCall: 'Read {"file_path":"big.txt"}' });
    expect(warnings.join('\n')).toContain('turn 1 could not be checkpointed (disk full); a retry would start the conversation over');

    const second = await attempt(2, request(), first.details, failingStore);
    expect(second.outcome).toMatchObject({ status: 'succeeded', result: 'Started over.', turns: 1 });
    expect(asked).toEqual([2, 1]);
    expect(requests()[2]!.body.messages).toHaveLength(1);
    expect(second.outcome!.usage).toEqual(usageOf(requests()));
    expect(second.outcome!.usage.output).toBeGreaterThan(usageOf(requests().slice(2)).output);
  });

  it('resumes from the last checkpoint it could save when a later one cannot be stored', async () => {
    const asked = byTurn([
      reply(toolUse('Glob', { pattern: '*.txt' })),
      [reply(toolUse('Read', { file_path: 'big.txt' })), reply(text('Redid turn 2.'))],
      serverError(),
    ]);
    const first = await attempt(1, request(), undefined, failingStore);
    expect(first.details).toMatchObject({ turns: 2, checkpoint: { gzip: expect.any(String) } });
    expect(warnings.join('\n')).toContain('a retry would resume from the previous checkpoint');

    const second = await attempt(2, request(), first.details, failingStore);
    expect(second.outcome).toMatchObject({ status: 'succeeded', result: 'Redid turn 2.', turns: 2 });
    expect(asked).toEqual([1, 2, 1]);
    expect(body(requests()[3]!)).toBe(body(requests()[1]!));
    expect(second.outcome!.usage).toEqual(usageOf(requests()));
  });

  it('carries failed StructuredOutput attempts over, so a retry cannot reset the limit', async () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    const asked = byTurn([reply(structured({ n: 'one' })), [serverError(), reply(structured({ n: 'two' }))], reply(structured({ n: 2 }))]);
    const first = await attempt(1, request({ schema }));
    expect(first.failure).toMatchObject({ type: 'ModelUnavailable' });
    const second = await attempt(2, request({ schema }), first.details);
    expect(second.outcome).toMatchObject({ status: 'succeeded', result: { n: 2 }, turns: 3 });
    expect(asked).toEqual([1, 2, 1]);
    expect(toolResults(requests().at(-1)!.body)[0]).toMatchObject({ is_error: true, content: expect.stringContaining('(attempt 3 of 5)') });
  });

  it('starts over, still counting the usage, when the checkpoint cannot be read', async () => {
    byTurn([reply(text('Fresh start.'))]);
    const spent = { input: 1000, output: 200, cacheRead: 0, cacheWrite: 0 };
    const lost = { turns: 4, usage: spent, lastToolCall: null, checkpoint: { v: 1, blob: 'f'.repeat(64), bytes: 10 } };
    const outcome = (await attempt(2, request(), lost, new LocalBlobStore(blobDir))).outcome!;
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'Fresh start.', turns: 1 });
    expect(requests()[0]!.body.messages).toHaveLength(1);
    expect(outcome.usage.input).toBe(1000 + usageOf(requests()).input);
    expect(outcome.usage.output).toBe(200 + usageOf(requests()).output);
    expect(warnings.join('\n')).toContain(`starts its conversation over: its checkpoint could not be read (Blob ${'f'.repeat(64)} is not in the blob store`);
  });

  it.each([
    ['no details', undefined],
    ["details that are not Baton's", { progress: 42 }],
    [
      'a checkpoint of another format version',
      { turns: 1, usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, lastToolCall: null, checkpoint: { v: 99, gzip: 'x' } },
    ],
  ])('starts fresh on a retry with %s', async (_name, details) => {
    byTurn([reply(text('ok'))]);
    const { outcome } = await attempt(3, request(), details);
    expect(outcome).toMatchObject({ status: 'succeeded', turns: 1, usage: usageOf(requests()) });
    expect(requests()[0]!.body.messages).toHaveLength(1);
  });
});
