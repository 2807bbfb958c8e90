// A deliberately changed interpreter for the negative replay test: it takes one timer before
// running the script, which changes the command sequence of every run already in flight.
import { sleep } from '@temporalio/workflow';
import type { RunInput, RunReport } from '../../../contract/run-types.js';
import { batonRun as realBatonRun } from '../../../workflows/interpreter-workflow.js';

export async function batonRun(input: RunInput): Promise<RunReport> {
  await sleep(1);
  return realBatonRun(input);
}
