// Whether the task queue has a rate limit in its config (`baton fleet --rate-limit`,
// `baton worker --rate-limit`), re-read every few seconds: eagerly dispatched agents skip the
// server's limiter, so a worker that dispatches eagerly when the queue is empty
// (workers/eager-when-idle.ts) must stop doing so while a limit is set, even one set after it started.
import { describeFleetLimits, type TaskQueueConfigService } from '../client/task-queue-config.js';

const RECHECK_MS = 5_000;

export interface QueueLimitWatch {
  /** True from the first look until one finds no limit: unknown counts as limited. */
  limited(): boolean;
  stop(): void;
}

/** `workerState` ends the watch once the worker has stopped. */
export function watchQueueLimit(
  service: TaskQueueConfigService,
  target: { namespace: string; taskQueue: string },
  workerState: () => string | undefined,
): QueueLimitWatch {
  let limited = true;
  let stopped = false;
  const look = () =>
    describeFleetLimits(service, target).then(
      (limits) => (limited = limits.rateLimit !== null),
      // A failed look keeps the last answer; the next one may succeed.
      () => undefined,
    );
  void look();
  const timer = setInterval(() => {
    const state = workerState();
    if (state === 'STOPPED' || state === 'FAILED') stop();
    else if (!stopped) void look();
  }, RECHECK_MS);
  timer.unref();
  function stop(): void {
    stopped = true;
    clearInterval(timer);
  }
  return { limited: () => limited, stop };
}
