import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { listProviderModelEntries } from '../activities/provider-models.js';
import { RepoCache } from '../activities/repo-cache.js';
import { loadModelAccess } from '../config/model-access.js';
import { temporalConnectConfig } from '../config/temporal.js';
import type { BlobStoreLocation } from '../config/blob-store-location.js';
import { openStorage } from '../storage/open-storage.js';
import { startBashSandbox } from './bash-sandbox-startup.js';
import { controlQueueOf } from '../contract/task-queues.js';
import { createBatonWorker, PREBUILT_BUNDLE_PATH, PREBUILT_TRACED_BUNDLE_PATH, type EagerActivities } from './create-worker.js';
import { adoptIfNew, defaultBuildId } from './worker-deployment.js';
import { updateFleetLimits } from '../client/task-queue-config.js';

export interface RunWorkerOptions {
  home: string;
  /** Payloads over 16 KiB and agent checkpoints (settings' blobStore): shared by every worker and client. */
  blobStore: BlobStoreLocation;
  taskQueue: string;
  /** Agents this worker runs at once (its fleet slots). */
  concurrency: number;
  /**
   * Agents started per second on the whole task queue: set at start in the queue's own config
   * (UpdateTaskQueueConfig), which the server enforces for every worker; undefined leaves it.
   */
  rateLimit?: number | undefined;
  /** `--eager-activities WHEN`: eager activity dispatch when the queue is idle (default), always, or never. */
  eagerActivities?: EagerActivities | undefined;
  /** `--deployment NAME [--build-id ID]`: a Worker Deployment version; absent: unversioned. */
  deployment?: { name: string; buildId?: string | undefined } | undefined;
  /** Serve Prometheus metrics (the SDK's worker, task-queue and activity metrics) on this port. */
  metricsPort?: number | undefined;
  /** Export OpenTelemetry traces over OTLP/HTTP (workers/tracing.ts). */
  otel?: boolean | undefined;
  /** The OTLP/HTTP traces URL; else the exporter reads OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT. */
  otelEndpoint?: string | undefined;
  /** `--unsafe-bash`: run agents' Bash without the sandbox (logged loudly at start). */
  unsafeBash?: boolean | undefined;
}

/** Each of the workflow thread's two young-generation halves, in MiB (V8's default is 16). */
const WORKFLOW_THREAD_SEMI_SPACE_MIB = 4;

/** `baton worker`: connects by Temporal's conventions and polls until SIGINT/SIGTERM. */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const modelAccess = loadModelAccess();
  // The workflow thread's isolate is created with the worker, from the flags then in force. Its
  // young generation would grow to V8's default 32 MiB; workflow tasks allocate little per
  // activation, so a quarter of that keeps their latency and leaves the memory to agents
  // (docs/performance.md). The main isolate keeps its size: V8 fixes it at process start.
  setFlagsFromString(`--max-semi-space-size=${WORKFLOW_THREAD_SEMI_SPACE_MIB}`);
  // The SDK handles SIGINT/SIGTERM by shutting down running workers; one that arrives while
  // this worker is still connecting or bundling would find none and be lost, so note it here.
  let stopRequested = false;
  const noteStop = () => (stopRequested = true);
  process.once('SIGINT', noteStop).once('SIGTERM', noteStop);
  // The runtime is process-wide and must be installed before the first connection.
  if (options.metricsPort !== undefined) {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${options.metricsPort}` } } } });
  }
  const storage = await openStorage(options.blobStore);
  // An unreachable bucket is named now, not at the first big payload of someone's run.
  await storage.check().catch((error: unknown) => {
    storage.close();
    throw error;
  });
  const listedAt = Date.now();
  const listed = await listProviderModelEntries(modelAccess, (message) => console.error(`baton worker: ${message}`));
  const knownModels = listed ? new Set(listed.map((model) => model.id)) : null;
  const bash = await startBashSandbox(options.home, options.unsafeBash === true, (line) => console.error(line));
  const { connectionOptions, namespace } = temporalConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  // Loaded only when on: a worker without --otel has no tracing interceptors or exporter.
  const tracing = options.otel ? (await import('./tracing.js')).createWorkerTracing({ endpoint: options.otelEndpoint }) : undefined;
  try {
    // docs/fleet.md#limits-across-runs: one limit for the fleet, held by the server, not "the last worker to poll wins".
    if (options.rateLimit !== undefined) {
      await updateFleetLimits(
        connection.workflowService,
        { namespace, taskQueue: options.taskQueue },
        { rateLimit: options.rateLimit, reason: 'baton worker --rate-limit' },
      );
    }
    const deployment = options.deployment
      ? { name: options.deployment.name, buildId: options.deployment.buildId ?? defaultBuildId(tracing ? PREBUILT_TRACED_BUNDLE_PATH : PREBUILT_BUNDLE_PATH) }
      : undefined;
    const worker = await createBatonWorker({
      connection,
      namespace,
      taskQueue: options.taskQueue,
      activities: createActivities({
        anthropic: modelAccess,
        blobStore: storage.blobStore,
        checkpointSlots: storage.checkpointSlots,
        repos: new RepoCache(join(options.home, 'repos')),
        ...(knownModels ? { knownModels } : {}),
        providerModels: { models: listed, listedAt },
      }),
      dataConverter: storage.dataConverter,
      maxConcurrentActivityTaskExecutions: options.concurrency,
      eagerActivities: options.eagerActivities,
      deployment,
      tracing,
    });
    const limit = options.rateLimit !== undefined ? `, task queue limited to ${options.rateLimit} agent starts/s` : '';
    const metrics = options.metricsPort !== undefined ? `, metrics on :${options.metricsPort}/metrics` : '';
    const traces = tracing ? ', OpenTelemetry traces on' : '';
    const models = knownModels ? `, ${knownModels.size} models offered by the provider` : '';
    const version = deployment ? `, deployment ${deployment.name} build ${deployment.buildId}` : '';
    const eager = { always: ', eager activities always (no fair share)', never: ', no eager activities', 'when-idle': '' }[
      options.eagerActivities ?? 'when-idle'
    ];
    console.error(
      `baton worker: polling task queue '${options.taskQueue}' (and '${controlQueueOf(options.taskQueue)}' for runs' bookkeeping) on ${connectionOptions.address} (namespace ${namespace}), ${options.concurrency} agents at once${limit}${eager}${version}${metrics}${traces}${models}, blob store ${storage.description}, ${bash}`,
    );
    if (stopRequested) {
      // Stopped during start-up: run() after shutdown() releases both SDK workers at once, so the connection can close.
      worker.shutdown();
      return await worker.run();
    }
    const running = worker.run();
    // Awaited below; a failure while the deployment is looked at must not go unhandled meanwhile.
    running.catch(() => undefined);
    if (deployment) {
      const adopted = await adoptIfNew(connection.workflowService, namespace, deployment, () => worker.getState() !== 'RUNNING');
      if (adopted) console.error(`baton worker: deployment ${deployment.name} had no current version; ${adopted} is now current`);
    }
    await running;
  } finally {
    await tracing?.shutdown().catch((err: unknown) => console.error(`baton worker: flushing traces failed: ${String(err)}`));
    await connection.close();
    storage.close();
  }
}
