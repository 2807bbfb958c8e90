// `baton run --personal-context`: the starter's ~/.claude memory, agents and skills ride in the run's
// options, inline when small, else through the deployment's blob store by key (as --notify URLs
// do), so a big one is stored once rather than copied into every agent's request.
import type { Settings } from '../config/settings.js';
import { PERSONAL_CONTEXT_INLINE_CHARS } from '../contract/agent-context.js';
import type { RunOptions } from '../contract/run-types.js';
import { readPersonalContext } from '../library/personal-context.js';
import { openStorage } from '../storage/open-storage.js';

export async function addPersonalContext(options: RunOptions, home: string, settings: Settings): Promise<void> {
  const { context, warnings } = readPersonalContext(home);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const json = JSON.stringify(context);
  if (json.length <= PERSONAL_CONTEXT_INLINE_CHARS) {
    options.personal = { inline: context };
    return;
  }
  const storage = await openStorage(settings.blobStore);
  try {
    options.personal = { blob: await storage.blobStore.put(new TextEncoder().encode(json)) };
  } finally {
    storage.close();
  }
}
