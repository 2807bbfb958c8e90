// A fleet's task queue carries its runs' workflow tasks and agents; beside it, every worker also
// polls the queue's control queue, where a run's bookkeeping activities go (listing the
// provider's models, reading the agent types, pinning a repository, loading a saved workflow,
// posting a notification). On the agents' queue such a task waits for an agent slot to free,
// which on a busy fleet is the length of an agent (docs/fleet.md#the-control-queue); on its own
// queue it runs at once, and the queue's rate limit and fair share stay about agents.

/** The control queue of a fleet's task queue; both are polled by every Baton worker. */
export function controlQueueOf(taskQueue: string): string {
  // ':' is rare in task queue names, so the control queue is unlikely to be another fleet's queue.
  return `${taskQueue}:control`;
}
