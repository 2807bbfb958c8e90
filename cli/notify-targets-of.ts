// `--notify URL` (and `notify` in the config file) for `baton run` and `baton schedule create`:
// the URLs go to the deployment's blob store and the run options carry only their keys
// (client/notify-targets.ts), so a webhook's secret never reaches a history.
import type { Settings } from '../config/settings.js';
import type { RunOptions } from '../contract/run-types.js';
import { storeNotifyTargets } from '../client/notify-targets.js';
import { openStorage } from '../storage/open-storage.js';

export async function addNotifyTargets(options: RunOptions, flagUrls: string[] | undefined, settings: Settings): Promise<void> {
  const urls = [...settings.notify, ...(flagUrls ?? [])];
  if (urls.length === 0) return;
  const storage = await openStorage(settings.blobStore);
  try {
    options.notify = await storeNotifyTargets(storage.blobStore, urls);
  } finally {
    storage.close();
  }
}
