// A Baton worker: the interpreter workflow plus the agent activity on one task queue.
import { existsSync } from 'node:fs';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createRepoActivities } from '../activities/repo-activities.js';
import { createScriptActivities } from '../activities/resolve-script.js';
import type { WorkerTracing } from './tracing.js';
import { PREBUILT_BUNDLE_PATH, PREBUILT_TRACED_BUNDLE_PATH, workflowBundlerOptions, workflowsPath } from './workflow-bundle.js';
import { deploymentOptions, type WorkerDeployment } from './worker-deployment.js';

export { PREBUILT_BUNDLE_PATH, PREBUILT_TRACED_BUNDLE_PATH, workflowBundlerOptions, workflowsPath } from './workflow-bundle.js';

export interface BatonWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Usually createActivities(config) from activities/. */
  activities: object;
  /** A bundle made with workflowBundlerOptions(); else the prebuilt one, else bundled now. */
  workflowBundle?: { codePath: string } | undefined;
  maxConcurrentActivityTaskExecutions?: number;
  /**
   * Take the next agent straight from the workflow task that schedules it (eager activity
   * dispatch): one server hop less per agent, but it skips the task queue's matching, so fair
   * share across runs and the queue's rate limit do not hold for it. Off unless asked for.
   */
  eagerActivities?: boolean | undefined;
  /** A Worker Deployment version (workers/worker-deployment.ts); absent: an unversioned worker. */
  deployment?: WorkerDeployment | undefined;
  /** E.g. the blob-store codec; clients and workers of a deployment must agree on it. */
  dataConverter?: DataConverter;
  /** OpenTelemetry tracing (createWorkerTracing); off when absent, and then no interceptors. */
  tracing?: WorkerTracing | undefined;
}

export async function createBatonWorker(options: BatonWorkerOptions): Promise<Worker> {
  // Traced workers need the workflow interceptors in their bundle: the prebuilt traced one, else bundled now.
  const prebuilt = options.tracing ? PREBUILT_TRACED_BUNDLE_PATH : PREBUILT_BUNDLE_PATH;
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> =
    options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : existsSync(prebuilt)
        ? { workflowBundle: { codePath: prebuilt } }
        : { workflowsPath: workflowsPath(), bundlerOptions: workflowBundlerOptions() };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // Every worker runs the whole bundle, so it also serves the schedule launcher's activity.
    activities: { ...createScriptActivities(), ...createRepoActivities(), ...options.activities },
    ...workflowSource,
    // Heartbeats carry the agent's checkpoint; by default the SDK holds them back for up to
    // 80% of the heartbeat timeout (24 s), which a crash would lose. Send within a second.
    maxHeartbeatThrottleInterval: '1 second',
    defaultHeartbeatThrottleInterval: '1 second',
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.tracing ? { interceptors: options.tracing.interceptors, sinks: options.tracing.sinks } : {}),
    ...(options.maxConcurrentActivityTaskExecutions !== undefined
      ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions }
      : {}),
    // Eagerly dispatched activities skip matching, where the queue's fairness and rate limit
    // live (temporalio/temporal#6800): a run finishing an agent would take the freed slot for
    // its own next one ahead of every other run's backlog.
    ...(options.eagerActivities ? {} : { maxEagerActivityReservationsPerWorkflowTask: 0 }),
    ...deploymentOptions(options.deployment),
  });
}
