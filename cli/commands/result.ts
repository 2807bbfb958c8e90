import { isLiveStatus } from '../../contract/run-summary.js';
import type { Command } from 'commander';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { loadSettings } from '../../config/settings.js';
import { fetchRunReport } from '../../client/run-report.js';
import { exitCodeFor } from '../exit-codes.js';

export function registerResult(program: Command): void {
  program
    .command('result')
    .description('the final result of a run')
    .argument('<run>', "the run id (workflow id, or Temporal's run id)")
    .option('--json', 'print JSON: { runId, workflowId, status, result, error }')
    .action(async (workflowId: string, flags: { json?: boolean }) => {
      const client = await connectClient(loadSettings().home);
      workflowId = await workflowIdOf(client, workflowId);
      const { report, runId } = await fetchRunReport(client, workflowId);
      if (flags.json) {
        console.log(JSON.stringify({ runId, workflowId, status: report.status, result: report.result ?? null, error: report.error }, null, 2));
      } else if (isLiveStatus(report.status)) {
        console.error(`${workflowId} is still ${report.status}; try 'baton status ${workflowId}'.`);
      } else {
        console.log(JSON.stringify(report.result ?? null, null, 2));
      }
      process.exitCode = isLiveStatus(report.status) ? 1 : exitCodeFor(report);
    });
}
