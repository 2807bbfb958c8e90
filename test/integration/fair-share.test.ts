// docs/fleet.md#fair-share-across-runs: runs on one task queue share its slots by fairness key (the run's workflow
// id, or its tenant with a weight), so a small run is not starved behind a big one's backlog.
// One worker of 4 slots; every agent makes one model call, and the model server records the
// order agents start in. Orders are asserted, not timings, but for one bound: a run's model
// listing (docs/fleet.md#the-control-queue) waits well under one agent's length for a worker.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { RepoCache } from '../../activities/repo-cache.js';
import type { RunInput, RunOptions } from '../../contract/run-types.js';
import { controlQueueOf } from '../../contract/task-queues.js';
import { startRun } from '../../client/start-run.js';
import { batonDataConverter } from '../../storage/data-converter.js';
import { LocalBlobStore } from '../../storage/local-blob-store.js';
import { LocalCheckpointSlots } from '../../storage/checkpoint-slots.js';
import { createBatonWorker, type BatonWorker } from '../../workers/create-worker.js';
import { firstUserText, reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { bundleInterpreter, compile, defaultRunOptions, script } from './interpreter-harness.js';
import { tempDir } from '../harness/temp-dir.js';

const SLOTS = 4;
// Long enough that waves stay apart when the machine is busy (the order is what is checked).
const AGENT_MS = 1000;

/** Agent starts in order, each as the run tag its prompt carries (`[big] 7` → `big`). */
const starts: string[] = [];
let modelServer: ModelServer;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let worker: BatonWorker;
let running: Promise<void>;
let taskQueue: string;

beforeAll(async () => {
  const bundle = await bundleInterpreter();
  modelServer = await startModelServer({
    responder: (request) => {
      starts.push(/^\[(\w+)\]/.exec(firstUserText(request))?.[1] ?? '?');
      return { ...reply(text('done')), delayMs: AGENT_MS };
    },
  });
  const address = inject('temporalAddress');
  nativeConnection = await NativeConnection.connect({ address });
  connection = await Connection.connect({ address });
  const blobStore = new LocalBlobStore(tempDir('baton-blobs-'));
  const dataConverter = batonDataConverter(blobStore);
  client = new Client({ connection, namespace: 'default', dataConverter });
  taskQueue = `fair-share-${randomUUID()}`;
  const bundlePath = join(tempDir('baton-bundle-'), 'bundle.js');
  (await import('node:fs')).writeFileSync(bundlePath, bundle.code);
  worker = await createBatonWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: createActivities({
      anthropic: { apiKey: 'test-key', baseURL: modelServer.url, maxRetries: 0 },
      blobStore,
      checkpointSlots: new LocalCheckpointSlots(tempDir('baton-checkpoints-')),
      repos: new RepoCache(tempDir('baton-repos-')),
    }),
    workflowBundle: { codePath: bundlePath },
    dataConverter,
    maxConcurrentActivityTaskExecutions: SLOTS,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await connection?.close();
  await modelServer?.close();
});

/** A run of `agents` agents tagged `tag`, started as `baton run` starts one. */
async function startTagged(tag: string, agents: number, options: Partial<RunOptions> = {}): Promise<WorkflowHandle> {
  return startInput(await taggedInput(tag, agents, options));
}

async function taggedInput(tag: string, agents: number, options: Partial<RunOptions> = {}): Promise<RunInput> {
  const compiled = await compile(
    script(`return await parallel(Array.from({ length: ${agents} }, (_, i) => () => agent('[${tag}] ' + (i + 1))))`, { name: `fair-${tag}` }),
  );
  return { script: compiled, options: { ...defaultRunOptions(), ...options } };
}

async function startInput(input: RunInput): Promise<WorkflowHandle> {
  const { workflowId } = await startRun(client, input, taskQueue);
  return client.workflow.getHandle(workflowId);
}

/** Resolves once `count` of the run's agents are scheduled (waiting for a slot or running). */
async function scheduled(handle: WorkflowHandle, count: number): Promise<void> {
  for (;;) {
    const { raw } = await handle.describe();
    if ((raw.pendingActivities ?? []).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("a small run started behind a big one gets its agents started within two waves of the worker's slots", { timeout: 120_000 }, async () => {
  starts.length = 0;
  // 40 agents at up to 16 at once: a backlog of 12 waiting for the worker's 4 slots.
  const big = await startTagged('big', 40);
  await scheduled(big, 16);
  const small = await startTagged('small', SLOTS);
  await scheduled(small, SLOTS);
  const from = starts.length;
  await small.result();
  const after = starts.slice(from);
  const lastSmall = after.lastIndexOf('small');
  console.log(`starts after the small run was scheduled: ${after.slice(0, 16).join(' ')}`);
  expect(after.filter((tag) => tag === 'small')).toHaveLength(SLOTS);
  // First come, first served, its 4 agents would start after the big run's backlog of 12.
  expect(lastSmall + 1).toBeLessThanOrEqual(2 * SLOTS);
  await big.result();
});

it('a tenant of weight 2 gets about twice the slots of a tenant of weight 1', { timeout: 180_000 }, async () => {
  starts.length = 0;
  const heavy = await startTagged('heavy', 40, { tenant: `heavy-${randomUUID()}`, tenantWeight: 2 });
  const light = await startTagged('light', 40, { tenant: `light-${randomUUID()}`, tenantWeight: 1 });
  await Promise.all([scheduled(heavy, 16), scheduled(light, 16)]);
  const from = starts.length;
  await Promise.all([heavy.result(), light.result()]);
  // While both tenants have a backlog: the 36 starts after both were fully scheduled.
  const window = starts.slice(from, from + 36);
  const heavyCount = window.filter((tag) => tag === 'heavy').length;
  const lightCount = window.filter((tag) => tag === 'light').length;
  console.log(`weight 2 vs weight 1 over ${window.length} starts: ${heavyCount} vs ${lightCount}`);
  expect(heavyCount + lightCount).toBe(36);
  // Twice would be 24 vs 12; round-robin at weight 1 each would be 18 vs 18.
  expect(heavyCount).toBeGreaterThanOrEqual(21);
  expect(lightCount).toBeGreaterThanOrEqual(8);
});

it("a run's model listing starts at once on the control queue, not after an agent slot frees", { timeout: 120_000 }, async () => {
  // Every slot busy with the big run's agents, which run in waves of 4 that end together.
  const big = await startTagged('big', 24);
  await scheduled(big, 16);
  // Compiled beforehand, so the run starts right after a wave does: the next slot then frees about an agent's length later.
  const smallInput = await taggedInput('small', 1);
  const seen = modelServer.requests.length;
  while (modelServer.requests.length === seen) await new Promise((resolve) => setTimeout(resolve, 5));
  const small = await startInput(smallInput);
  await small.result();
  const listing = activitySpan((await small.fetchHistory()).events ?? [], 'listModels');
  expect(listing.taskQueue).toBe(controlQueueOf(taskQueue));
  // On the agents' queue it would have waited for the next wave, about AGENT_MS.
  expect(listing.waitedMs).toBeLessThan(AGENT_MS / 2);
  await big.result();
});

/** Where the named activity was scheduled and how long it waited there for a worker. */
function activitySpan(events: temporal.api.history.v1.IHistoryEvent[], type: string): { taskQueue: string; waitedMs: number } {
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type);
  const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === Number(scheduled?.eventId));
  if (!scheduled || !started) throw new Error(`the run has no started ${type} activity`);
  const ms = (e: temporal.api.history.v1.IHistoryEvent) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6);
  return { taskQueue: scheduled.activityTaskScheduledEventAttributes!.taskQueue!.name ?? '', waitedMs: ms(started) - ms(scheduled) };
}
