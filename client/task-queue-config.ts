// The fleet's limits held by Temporal itself (docs/fleet.md#limits-across-runs): the task queue's rate limit of agent
// starts and the fairness weights of tenants, set with UpdateTaskQueueConfig. A worker's own
// `maxTaskQueueActivitiesPerSecond` is "last poller wins"; a limit in the queue's config is one
// value for the whole fleet, overrides what workers ask for, and can change while runs are live.
import type { temporal } from '@temporalio/proto';

/** The gRPC surface this needs; both the client's and the worker's connections have it. */
export interface TaskQueueConfigService {
  updateTaskQueueConfig(
    request: temporal.api.workflowservice.v1.IUpdateTaskQueueConfigRequest,
  ): Promise<temporal.api.workflowservice.v1.IUpdateTaskQueueConfigResponse>;
  describeTaskQueue(request: temporal.api.workflowservice.v1.IDescribeTaskQueueRequest): Promise<temporal.api.workflowservice.v1.IDescribeTaskQueueResponse>;
}

export interface FleetLimits {
  /** Agent starts per second on the whole queue; null: none set (the server's default). */
  rateLimit: number | null;
  /** Weights set for fairness keys (tenants), overriding what runs ask for. */
  weights: Record<string, number>;
}

export interface FleetLimitChange {
  /** A number sets the queue's limit; null removes it; absent leaves it. */
  rateLimit?: number | null;
  /** Tenant weights: a number sets the override, null removes it. */
  weights?: Record<string, number | null>;
  /** Shown by `temporal task-queue config get` next to the limit. */
  reason?: string;
}

// TASK_QUEUE_TYPE_ACTIVITY; a literal, so the proto package is needed for types only.
const ACTIVITY_QUEUE = 2;

/** Changes the activity queue's config (agents are activities) and returns what it now holds. */
export async function updateFleetLimits(
  service: TaskQueueConfigService,
  target: { namespace: string; taskQueue: string; identity?: string },
  change: FleetLimitChange,
): Promise<FleetLimits> {
  const weights = Object.entries(change.weights ?? {});
  const response = await service.updateTaskQueueConfig({
    namespace: target.namespace,
    identity: target.identity ?? 'baton',
    taskQueue: target.taskQueue,
    taskQueueType: ACTIVITY_QUEUE,
    ...(change.rateLimit === undefined
      ? {}
      : {
          updateQueueRateLimit: {
            ...(change.rateLimit === null ? {} : { rateLimit: { requestsPerSecond: change.rateLimit } }),
            reason: change.reason ?? 'baton',
          },
        }),
    setFairnessWeightOverrides: Object.fromEntries(weights.filter((entry): entry is [string, number] => entry[1] !== null)),
    unsetFairnessWeightOverrides: weights.filter(([, weight]) => weight === null).map(([key]) => key),
  });
  return limitsOf(response.config);
}

/** What the activity queue's config holds now. */
export async function describeFleetLimits(service: TaskQueueConfigService, target: { namespace: string; taskQueue: string }): Promise<FleetLimits> {
  const response = await service.describeTaskQueue({
    namespace: target.namespace,
    taskQueue: { name: target.taskQueue },
    taskQueueType: ACTIVITY_QUEUE,
    reportConfig: true,
  });
  return limitsOf(response.config);
}

function limitsOf(config: temporal.api.taskqueue.v1.ITaskQueueConfig | null | undefined): FleetLimits {
  const limit = config?.queueRateLimit?.rateLimit;
  return {
    rateLimit: limit ? (limit.requestsPerSecond ?? 0) : null,
    weights: { ...(config?.fairnessWeightOverrides ?? {}) },
  };
}
