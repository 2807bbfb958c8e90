// `batonNotify`: delivers one notification of a run to its `--notify` receivers. A child workflow
// the run starts and abandons (ParentClosePolicy ABANDON), so the posts are durable and retried
// with backoff without holding up the run, even after the run has ended; a receiver that never
// answers fails only this workflow's activity, never the run.
import { log } from '@temporalio/workflow';
import type { NotifyTarget } from '../contract/approval-types.js';
import type { NotifyActivities } from '../activities/send-notification.js';
import { controlActivities, type ControlActivityOptions } from './control-activities.js';

const NOTIFY_OPTIONS: ControlActivityOptions = {
  startToCloseTimeout: '30 seconds',
  // About 20 minutes of tries: 2 s, 4 s, 8 s, ... capped at 5 minutes apart.
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
  summary: 'notify',
};

export interface NotifyInput {
  targets: NotifyTarget[];
  body: Record<string, unknown>;
}

export async function batonNotify({ targets, body }: NotifyInput): Promise<{ delivered: number; failed: string[] }> {
  const failed: string[] = [];
  const { sendNotification } = controlActivities<NotifyActivities>(NOTIFY_OPTIONS);
  await Promise.all(
    targets.map((target) =>
      sendNotification({ target, body }).catch((error: unknown) => {
        log.warn('notification not delivered', { to: target.shown, error: (error as Error).message });
        failed.push(target.shown);
      }),
    ),
  );
  return { delivered: targets.length - failed.length, failed };
}
