import { NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { loadModelAccess } from '../config/model-access.js';
import { temporalConnectConfig } from '../config/temporal.js';
import { LocalCheckpointSlots, defaultCheckpointDir } from '../storage/checkpoint-slots.js';
import { batonDataConverter, defaultBlobStore } from '../storage/data-converter.js';
import { createBatonWorker } from './create-worker.js';

export interface RunWorkerOptions {
  home: string;
  taskQueue: string;
  /** Agents this worker runs at once (its fleet slots). */
  concurrency: number;
  /** Agents started per second on the whole task queue (server-enforced); undefined for none. */
  rateLimit?: number | undefined;
  /** Serve Prometheus metrics (the SDK's worker, task-queue and activity metrics) on this port. */
  metricsPort?: number | undefined;
  /** Export OpenTelemetry traces over OTLP/HTTP (workers/tracing.ts). */
  otel?: boolean | undefined;
  /** The OTLP/HTTP traces URL; else the exporter reads OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT. */
  otelEndpoint?: string | undefined;
}

/** `baton worker`: connects by Temporal's conventions and polls until SIGINT/SIGTERM. */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const modelAccess = loadModelAccess();
  // The SDK handles SIGINT/SIGTERM by shutting down running workers; one that arrives while
  // this worker is still connecting or bundling would find none and be lost, so note it here.
  let stopRequested = false;
  const noteStop = () => (stopRequested = true);
  process.once('SIGINT', noteStop).once('SIGTERM', noteStop);
  // The runtime is process-wide and must be installed before the first connection.
  if (options.metricsPort !== undefined) {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${options.metricsPort}` } } } });
  }
  const { connectionOptions, namespace } = temporalConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  const blobStore = defaultBlobStore(options.home);
  // Loaded only when on: a worker without --otel has no tracing interceptors or exporter.
  const tracing = options.otel ? (await import('./tracing.js')).createWorkerTracing({ endpoint: options.otelEndpoint }) : undefined;
  try {
    const worker = await createBatonWorker({
      connection,
      namespace,
      taskQueue: options.taskQueue,
      activities: createActivities({ anthropic: modelAccess, blobStore, checkpointSlots: new LocalCheckpointSlots(defaultCheckpointDir(options.home)) }),
      dataConverter: batonDataConverter(blobStore),
      maxConcurrentActivityTaskExecutions: options.concurrency,
      ...(options.rateLimit !== undefined ? { maxTaskQueueActivitiesPerSecond: options.rateLimit } : {}),
      tracing,
    });
    const limit = options.rateLimit !== undefined ? `, task queue limited to ${options.rateLimit} agent starts/s` : '';
    const metrics = options.metricsPort !== undefined ? `, metrics on :${options.metricsPort}/metrics` : '';
    const traces = tracing ? ', OpenTelemetry traces on' : '';
    console.error(`baton worker: polling task queue '${options.taskQueue}' on ${connectionOptions.address} (namespace ${namespace}), ${options.concurrency} agents at once${limit}${metrics}${traces}`);
    if (stopRequested) return;
    await worker.run();
  } finally {
    await tracing?.shutdown().catch((err: unknown) => console.error(`baton worker: flushing traces failed: ${String(err)}`));
    await connection.close();
  }
}
