// Proxies for a run's bookkeeping activities, scheduled on the control queue of the run's task
// queue (contract/task-queues.ts) so that they never wait behind agents for a slot. Made per call:
// the queue is the running workflow's, and module code is shared by every workflow of a worker.
// The task queue is an attribute of the ScheduleActivityTask command, not matched on replay, so
// histories recorded when these ran on the agents' queue replay unchanged.
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import { controlQueueOf } from '../contract/task-queues.js';

/** An activity's options but its task queue, which is the control queue. */
export type ControlActivityOptions = Omit<ActivityOptions, 'taskQueue'>;

export function controlActivities<A extends object>(options: ControlActivityOptions) {
  return proxyActivities<A>({ ...options, taskQueue: controlQueueOf(workflowInfo().taskQueue) });
}
