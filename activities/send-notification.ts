// The `sendNotification` activity (`baton run --notify URL`): one JSON POST to one receiver. The
// URL is read from the blob store by its reference, here on the worker, so it never travels in a
// history; messages name only its scheme and host. Temporal retries a failure with backoff
// (workflows/notify-workflow.ts); a receiver that refuses the request for good is not retried.
import { ApplicationFailure } from '@temporalio/common';
import type { NotifyTarget } from '../contract/approval-types.js';
import type { BlobStore } from '../storage/blob-store.js';

/** A receiver gets this long to answer one POST. */
const POST_TIMEOUT_MS = 10_000;

export interface Notice {
  target: NotifyTarget;
  /** The run's `--json` summary plus `event`. */
  body: Record<string, unknown>;
}

export interface NotifyActivities {
  sendNotification(notice: Notice): Promise<{ status: number }>;
}

export function createNotifyActivities(blobStore: BlobStore | undefined): NotifyActivities {
  return {
    async sendNotification({ target, body }) {
      if (!blobStore)
        throw ApplicationFailure.create({
          type: 'NotifyUnavailable',
          message: `this worker has no blob store to read the --notify URL for ${target.shown} from`,
          nonRetryable: true,
        });
      const stored = JSON.parse(new TextDecoder().decode(await blobStore.get(target.ref))) as { url: string };
      const { url, headers } = splitCredentials(stored.url);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'baton-notify', ...headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(POST_TIMEOUT_MS),
        });
        await response.arrayBuffer();
      } catch (error) {
        // Only the error's code: a message could quote the URL.
        const cause = (error as { cause?: { code?: string } }).cause;
        const code = cause?.code ?? (error as Error).name;
        throw ApplicationFailure.create({ type: 'NotifyFailed', message: `POST to ${target.shown} failed: ${code}` });
      }
      if (response.ok) return { status: response.status };
      // 4xx (except timeouts and rate limits) will not change on a retry.
      const final = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      throw ApplicationFailure.create({ type: 'NotifyRefused', message: `POST to ${target.shown} answered ${response.status}`, nonRetryable: final });
    },
  };
}

/** fetch() refuses URLs with credentials: user:password becomes a Basic authorization header. */
function splitCredentials(raw: string): { url: string; headers: Record<string, string> } {
  const parsed = new URL(raw);
  if (!parsed.username && !parsed.password) return { url: raw, headers: {} };
  const basic = Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64');
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), headers: { authorization: `Basic ${basic}` } };
}
