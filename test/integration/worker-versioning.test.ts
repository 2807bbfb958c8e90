// docs/fleet.md#upgrading-workers-under-running-runs: workers registered as versions of a Worker Deployment (`baton worker
// --deployment NAME --build-id ID`) pin each run to the version it started on. A run started on
// build A keeps every workflow task and every agent on A after build B becomes current; a run
// started after that goes to B; a pinned run moves to the current build when it continues as
// new. All builds run the same bundle here: what is tested is where
// Temporal sends each task, recorded per worker.
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { RepoCache } from '../../activities/repo-cache.js';
import type { AgentRequest, RunInput, RunOptions } from '../../contract/run-types.js';
import { startRun } from '../../client/start-run.js';
import { batonDataConverter } from '../../storage/data-converter.js';
import { LocalBlobStore } from '../../storage/local-blob-store.js';
import { LocalCheckpointSlots } from '../../storage/checkpoint-slots.js';
import { createBatonWorker, type BatonWorker } from '../../workers/create-worker.js';
import { firstUserText, reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { bundleInterpreter, compile, defaultRunOptions, script } from './interpreter-harness.js';
import { tempDir } from '../harness/temp-dir.js';

const deploymentName = `baton-test-${randomUUID().slice(0, 8)}`;
const taskQueue = `versioning-${randomUUID()}`;
/** Which build ran each agent, by prompt. */
const ranOn = new Map<string, string>();
/** An agent whose prompt starts with `[NAME]` answers only once `NAME` is released. */
function hold() {
  let release: () => void = () => {};
  let reach: () => void = () => {};
  return {
    released: new Promise<void>((resolve) => (release = resolve)),
    release: () => release(),
    reached: new Promise<void>((resolve) => (reach = resolve)),
    reach: () => reach(),
  };
}
const holds = { hold: hold(), 'hold-can': hold() };

let modelServer: ModelServer;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let bundlePath: string;
let blobStore: LocalBlobStore;
const workers: { worker: BatonWorker; running: Promise<void> }[] = [];

beforeAll(async () => {
  const bundle = await bundleInterpreter();
  bundlePath = join(tempDir('baton-bundle-'), 'bundle.js');
  writeFileSync(bundlePath, bundle.code);
  modelServer = await startModelServer({
    responder: async (request) => {
      // A held agent answers only once the test has made another build current.
      const name = /^\[([\w-]+)\]/.exec(firstUserText(request))?.[1];
      const held = name === 'hold' || name === 'hold-can' ? holds[name] : undefined;
      if (held) {
        held.reach();
        await held.released;
      }
      return reply(text('done'));
    },
  });
  const address = inject('temporalAddress');
  nativeConnection = await NativeConnection.connect({ address });
  connection = await Connection.connect({ address });
  blobStore = new LocalBlobStore(tempDir('baton-blobs-'));
  client = new Client({ connection, namespace: 'default', dataConverter: batonDataConverter(blobStore) });
});

afterAll(async () => {
  for (const held of Object.values(holds)) held.release();
  for (const { worker } of workers) worker.shutdown();
  await Promise.all(workers.map(({ running }) => running));
  await nativeConnection?.close();
  await connection?.close();
  await modelServer?.close();
});

/** A worker registered as `deploymentName`/`buildId`, recording which build runs each agent. */
async function startVersionedWorker(buildId: string): Promise<void> {
  const activities = createActivities({
    anthropic: { apiKey: 'test-key', baseURL: modelServer.url, maxRetries: 0 },
    blobStore,
    checkpointSlots: new LocalCheckpointSlots(tempDir('baton-checkpoints-')),
    repos: new RepoCache(tempDir('baton-repos-')),
  });
  const worker = await createBatonWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: {
      ...activities,
      runAgent: (request: AgentRequest) => {
        ranOn.set(request.prompt, buildId);
        return activities.runAgent(request);
      },
    },
    workflowBundle: { codePath: bundlePath },
    dataConverter: batonDataConverter(blobStore),
    deployment: { name: deploymentName, buildId },
  });
  workers.push({ worker, running: worker.run() });
}

/** What `temporal worker deployment set-current-version` does; the version exists once its worker polls. */
async function makeCurrent(buildId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await connection.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: 'default',
        deploymentName,
        buildId,
        identity: 'worker-versioning.test',
        ignoreMissingTaskQueues: true,
      });
      break;
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  // The server then tells the task queue's partitions; a run started before they know goes to the old current.
  for (;;) {
    const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({ namespace: 'default', deploymentName });
    const inProgress = workerDeploymentInfo?.routingConfigUpdateState === 1; // ROUTING_CONFIG_UPDATE_STATE_IN_PROGRESS
    if (workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId === buildId && !inProgress) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function start(body: string, options: Partial<RunOptions> = {}): Promise<WorkflowHandle> {
  const input: RunInput = { script: await compile(script(body, { name: 'versioned' })), options: { ...defaultRunOptions(), ...options } };
  const { workflowId, runId } = await startRun(client, input, taskQueue);
  // The first run of the chain: a run that continues as new gets a new run id.
  return client.workflow.getHandle(workflowId, runId);
}

/** The build ids of the workers that completed the run's workflow tasks, in order. */
async function workflowTaskBuilds(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const completed = event.workflowTaskCompletedEventAttributes;
    return completed ? [completed.deploymentVersion?.buildId ?? '(unversioned)'] : [];
  });
}

async function pinnedBuild(handle: WorkflowHandle): Promise<string | null | undefined> {
  const { raw } = await handle.describe();
  return raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId;
}

it('a run started on build A stays on A after build B becomes current; new runs go to B', { timeout: 120_000 }, async () => {
  await startVersionedWorker('A');
  await makeCurrent('A');
  const first = await start(`const one = await agent('[hold] first run, agent one')
const two = await agent('first run, agent two')
return [one, two]`);
  await holds.hold.reached;
  expect(await pinnedBuild(first)).toBe('A');

  await startVersionedWorker('B');
  await makeCurrent('B');
  const second = await start(`return await agent('second run')`);
  await second.result();
  holds.hold.release();
  await first.result();

  // Every task of the first run, before and after B became current, was A's.
  expect(ranOn.get('[hold] first run, agent one')).toBe('A');
  expect(ranOn.get('first run, agent two')).toBe('A');
  const firstBuilds = await workflowTaskBuilds(first);
  console.log(`first run's workflow tasks completed by builds: ${firstBuilds.join(' ')}`);
  expect(firstBuilds.length).toBeGreaterThanOrEqual(3);
  expect(new Set(firstBuilds)).toEqual(new Set(['A']));
  expect(await pinnedBuild(first)).toBe('A');

  // The run started after B became current ran entirely on B.
  expect(ranOn.get('second run')).toBe('B');
  expect(new Set(await workflowTaskBuilds(second))).toEqual(new Set(['B']));
  expect(await pinnedBuild(second)).toBe('B');
  const { raw } = await first.describe();
  console.log(`first run: behavior ${String(raw.workflowExecutionInfo?.versioningInfo?.behavior)} (1 = PINNED)`);
  expect(raw.workflowExecutionInfo?.versioningInfo?.behavior).toBe(1);
});

it('a run pinned to build C moves to build D, current by then, when it continues as new', { timeout: 120_000 }, async () => {
  await startVersionedWorker('C');
  await makeCurrent('C');
  // Continues as new after its first agent ends; the second agent runs in the next run.
  const run = await start(
    `const one = await agent('[hold-can] chain, agent one')
const two = await agent('chain, agent two')
return [one, two]`,
    { continueAsNewAfterAgents: 1 },
  );
  const { runId: firstRunId } = await run.describe();
  await holds['hold-can'].reached;
  await startVersionedWorker('D');
  await makeCurrent('D');
  holds['hold-can'].release();
  const latest = client.workflow.getHandle(run.workflowId);
  await latest.result();

  expect(ranOn.get('[hold-can] chain, agent one')).toBe('C');
  expect(ranOn.get('chain, agent two')).toBe('D');
  expect(new Set(await workflowTaskBuilds(run))).toEqual(new Set(['C']));
  const { runId: lastRunId } = await latest.describe();
  expect(lastRunId).not.toBe(firstRunId);
  const next = client.workflow.getHandle(run.workflowId, lastRunId);
  expect(new Set(await workflowTaskBuilds(next))).toEqual(new Set(['D']));
  expect(await pinnedBuild(next)).toBe('D');
});
