// A Baton worker: the interpreter workflow plus the agent activity on the fleet's task queue, and
// beside it a second SDK worker on the queue's control queue for the runs' bookkeeping
// activities (contract/task-queues.ts), so those never wait for an agent slot.
import { existsSync } from 'node:fs';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createRepoActivities } from '../activities/repo-activities.js';
import { createScriptActivities } from '../activities/resolve-script.js';
import type { WorkerTracing } from './tracing.js';
import { PREBUILT_BUNDLE_PATH, PREBUILT_TRACED_BUNDLE_PATH, workflowBundlerOptions, workflowsPath } from './workflow-bundle.js';
import { deploymentOptions, type WorkerDeployment } from './worker-deployment.js';
import { EagerWhenIdleSlots } from './eager-when-idle.js';
import { watchQueueLimit } from './queue-limit-watch.js';
import { controlQueueOf } from '../contract/task-queues.js';

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
   * Whether to take the next agent straight from the workflow task that schedules it (eager
   * activity dispatch): one server hop less per agent, but it skips the task queue's matching,
   * where fair share across runs and the queue's rate limit live. `when-idle` (the default) does
   * it only while no task waits on the queue and the queue has no rate limit, so fair share holds
   * whenever there is someone to share with; `always` skips fair share; `never` never does it.
   */
  eagerActivities?: EagerActivities | undefined;
  /** A Worker Deployment version (workers/worker-deployment.ts); absent: an unversioned worker. */
  deployment?: WorkerDeployment | undefined;
  /** E.g. the blob-store codec; clients and workers of a deployment must agree on it. */
  dataConverter?: DataConverter;
  /** OpenTelemetry tracing (createWorkerTracing); off when absent, and then no interceptors. */
  tracing?: WorkerTracing | undefined;
}

export type EagerActivities = 'when-idle' | 'always' | 'never';

/** The two SDK workers of one Baton worker, run and shut down together. */
export interface BatonWorker {
  /** Resolves once both have stopped; rejects with the first failure, after stopping the other. */
  run(): Promise<void>;
  shutdown(): void;
  /** The agents' worker's state (the control worker follows it). */
  getState(): ReturnType<Worker['getState']>;
}

export async function createBatonWorker(options: BatonWorkerOptions): Promise<BatonWorker> {
  // Traced workers need the workflow interceptors in their bundle: the prebuilt traced one, else bundled now.
  const prebuilt = options.tracing ? PREBUILT_TRACED_BUNDLE_PATH : PREBUILT_BUNDLE_PATH;
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : existsSync(prebuilt)
      ? { workflowBundle: { codePath: prebuilt } }
      : { workflowsPath: workflowsPath(), bundlerOptions: workflowBundlerOptions() };
  const eager = options.eagerActivities ?? 'when-idle';
  const slots = options.maxConcurrentActivityTaskExecutions ?? DEFAULT_ACTIVITY_SLOTS;
  // Assigned once below; the queue watch, created first, reads it through this binding.
  // eslint-disable-next-line prefer-const
  let worker: Worker | undefined;
  const limitWatch =
    eager === 'when-idle'
      ? watchQueueLimit(options.connection.workflowService, { namespace: options.namespace, taskQueue: options.taskQueue }, () => worker?.getState())
      : undefined;
  // Every worker runs the whole bundle, so it also serves the schedule launcher's activity. Both
  // queues have every activity: a run recorded before the control queue existed still schedules
  // its bookkeeping on the agents' queue when it replays and goes on.
  const activities = { ...createScriptActivities(), ...createRepoActivities(), ...options.activities };
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    activities,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...deploymentOptions(options.deployment),
  };
  worker = await Worker.create({
    ...common,
    taskQueue: options.taskQueue,
    ...workflowSource,
    // Heartbeats carry the agent's checkpoint; by default the SDK holds them back for up to
    // 80% of the heartbeat timeout (24 s), which a crash would lose. Send within a second.
    maxHeartbeatThrottleInterval: '1 second',
    defaultHeartbeatThrottleInterval: '1 second',
    ...(options.tracing ? { interceptors: options.tracing.interceptors, sinks: options.tracing.sinks } : {}),
    // Eagerly dispatched activities skip matching, where the queue's fairness and rate limit
    // live (temporalio/temporal#6800): a run finishing an agent would take the freed slot for
    // its own next one ahead of every other run's backlog, unless the queue has none.
    ...(limitWatch
      ? {
          tuner: {
            workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: SDK_DEFAULT_SLOTS.workflow },
            activityTaskSlotSupplier: new EagerWhenIdleSlots({ slots, eagerAllowed: () => !limitWatch.limited() }),
            localActivityTaskSlotSupplier: { type: 'fixed-size', numSlots: SDK_DEFAULT_SLOTS.localActivity },
            nexusTaskSlotSupplier: { type: 'fixed-size', numSlots: SDK_DEFAULT_SLOTS.nexus },
          },
          maxConcurrentActivityTaskPolls: Math.min(SDK_DEFAULT_ACTIVITY_POLLS, slots),
        }
      : { maxConcurrentActivityTaskExecutions: slots }),
    ...(eager === 'never' ? { maxEagerActivityReservationsPerWorkflowTask: 0 } : {}),
  });
  let control: Worker;
  try {
    control = await Worker.create({
      ...common,
      taskQueue: controlQueueOf(options.taskQueue),
      ...(options.tracing ? { interceptors: { activity: options.tracing.interceptors.activity ?? [] } } : {}),
      // Short tasks, none of them an agent: a few at a time is plenty, and --concurrency is about agents.
      maxConcurrentActivityTaskExecutions: CONTROL_ACTIVITY_SLOTS,
    });
  } catch (error) {
    await release(worker);
    throw error;
  }
  return pair(worker, control);
}

function pair(agents: Worker, control: Worker): BatonWorker {
  let stopped = false;
  let running: Promise<void> | null = null;
  const shutdown = () => {
    stopped = true;
    for (const w of [agents, control]) if (w.getState() === 'RUNNING') w.shutdown();
  };
  const runBoth = async () => {
    // Shut down before it ran (a signal during start-up): both still release their connection.
    if (stopped) return void (await Promise.all([release(agents), release(control)]));
    // One failing stops the other, so a caller awaiting run() is never left with half a worker.
    const runs = [agents, control].map((w) => w.run().catch((error: unknown) => (shutdown(), Promise.reject(error))));
    const settled = await Promise.allSettled(runs);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  return {
    run() {
      if (running) throw new Error('this Baton worker is already running');
      return (running = runBoth());
    },
    shutdown,
    getState: () => agents.getState(),
  };
}

/** A created worker that will not run: started and stopped at once, so it lets go of its connection and threads. */
function release(worker: Worker): Promise<void> {
  return worker.runUntil(Promise.resolve());
}

const CONTROL_ACTIVITY_SLOTS = 20;

/** The SDK's own defaults, kept when a custom slot supplier means the tuner is given whole. */
const DEFAULT_ACTIVITY_SLOTS = 100;
const SDK_DEFAULT_SLOTS = { workflow: 40, localActivity: 100, nexus: 100 };
const SDK_DEFAULT_ACTIVITY_POLLS = 10;
