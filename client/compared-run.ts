// Reads what `baton compare` needs of one run: its report (with the scores given after it
// ended) and the input it started with (script source, args, options).
import type { Client } from '@temporalio/client';
import type { ComparedRun } from './run-comparison.js';
import { fetchRunReport } from './run-report.js';
import { fetchRunInput } from './run-source.js';
import type { ScoreRecords } from './score-records.js';

export async function fetchComparedRun(client: Client, records: ScoreRecords, workflowId: string): Promise<ComparedRun> {
  const [{ report }, input] = await Promise.all([fetchRunReport(client, workflowId, records), fetchRunInput(client, workflowId)]);
  return input ? { workflowId, report, input } : { workflowId, report };
}
