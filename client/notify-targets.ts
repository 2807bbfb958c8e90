// `--notify URL` on the client side: each URL goes into the deployment's blob store (the one every
// worker reads) with a random salt, and the run's input carries only its key and its scheme and
// host. So a webhook's token or password is in no history, no log and no status; the worker reads
// the URL back when it posts (activities/send-notification.ts).
import { randomUUID } from 'node:crypto';
import type { NotifyTarget } from '../contract/approval-types.js';
import type { BlobStore } from '../storage/blob-store.js';

/** Why a --notify URL cannot be used, or null. */
export function notifyUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `--notify takes an http(s) URL, got ${JSON.stringify(shownNotifyUrl(url))}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `--notify takes an http(s) URL, got a ${parsed.protocol} one`;
  return null;
}

/** What messages show of a notify URL: scheme and host, never the path or query (webhook tokens live there). */
export function shownNotifyUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname !== '/' || parsed.search ? '/…' : ''}`;
  } catch {
    return '(not a URL)';
  }
}

export async function storeNotifyTargets(blobStore: BlobStore, urls: string[]): Promise<NotifyTarget[]> {
  const targets: NotifyTarget[] = [];
  for (const url of [...new Set(urls)]) {
    // The salt keeps the key from being a plain hash of the URL, which a short secret would not survive.
    const ref = await blobStore.put(new TextEncoder().encode(JSON.stringify({ url, salt: randomUUID() })));
    targets.push({ ref, shown: shownNotifyUrl(url) });
  }
  return targets;
}
