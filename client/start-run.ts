import type { Client } from '@temporalio/client';
import { INTERPRETER_WORKFLOW_TYPE, type RunInput } from '../contract/run-types.js';
import { newRunId } from './run-id.js';

export interface StartedRun {
  workflowId: string;
  runId: string;
}

/** Starts the interpreter workflow for one compiled script. */
export async function startRun(client: Client, input: RunInput, taskQueue: string): Promise<StartedRun> {
  const workflowId = newRunId(input.script.meta.name);
  const handle = await client.workflow.start(INTERPRETER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [input],
    staticSummary: `${input.script.meta.name}: ${input.script.meta.description}`,
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}
