import type { Client } from '@temporalio/client';
import { fetchRunScript, RunSourceError } from '../client/run-source.js';
import { SaveRefused, saveWorkflow, type SaveOutcome } from '../library/save-workflow.js';
import { slugOf } from '../contract/script-name.js';
import { CliError, EXIT } from './exit-codes.js';
import { workflowPlacesHere } from './script-argument.js';

export interface SaveRunOptions {
  personal?: boolean;
  name?: string;
  force?: boolean;
}

/** Saves a run's original script as a named workflow: `baton save` and the watch view's `s`. */
export async function saveRun(client: Client, runId: string, options: SaveRunOptions = {}): Promise<SaveOutcome & { name: string }> {
  let script;
  try {
    script = await fetchRunScript(client, runId);
  } catch (error) {
    if (error instanceof RunSourceError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  const name = options.name ?? slugOf(script.meta.name);
  try {
    const saved = saveWorkflow({
      source: script.source,
      name,
      originalFileName: script.fileName,
      personal: options.personal ?? false,
      force: options.force ?? false,
      places: workflowPlacesHere(),
    });
    return { ...saved, name };
  } catch (error) {
    if (error instanceof SaveRefused) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}
