import type { Client } from '@temporalio/client';
import { fairShareOf } from '../contract/fair-share.js';
import { INTERPRETER_WORKFLOW_TYPE, type RunInput } from '../contract/run-types.js';
import { BATON_SCRIPT, BATON_STATUS } from '../workflows/search-attributes.js';
import { DRY_RUN_STATUS } from '../workflows/run-details.js';
import { newRunId } from './run-id.js';

/** Workflow ids of dry runs (`baton check --dry-run`) start with this. */
export const DRY_RUN_ID_PREFIX = 'dry-run-';

export interface StartedRun {
  workflowId: string;
  runId: string;
}

/** Starts the interpreter workflow for one compiled script. */
export async function startRun(client: Client, input: RunInput, taskQueue: string): Promise<StartedRun> {
  // `baton check --dry-run`: an id and a status no one takes for a real run.
  const dryRun = input.options.dryRun === true;
  const workflowId = `${dryRun ? DRY_RUN_ID_PREFIX : ''}${newRunId(input.script.meta.name)}`;
  const handle = await client.workflow.start(INTERPRETER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [input],
    staticSummary: `${input.script.meta.name}: ${input.script.meta.description}`,
    // docs/fleet.md#fair-share-across-runs: the run's workflow tasks take their turn by the same key as its agents.
    priority: fairShareOf(input.options, workflowId),
    // Set at start so `baton ls` lists the run before a worker picks it up; the run keeps them current.
    typedSearchAttributes: [
      { key: BATON_SCRIPT, value: input.script.meta.name },
      { key: BATON_STATUS, value: dryRun ? DRY_RUN_STATUS : 'running' },
    ],
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}
