import type { Command } from 'commander';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { fetchRunReport, toSummary } from '../../client/run-report.js';
import { loadSettings } from '../../config/settings.js';
import { isLiveStatus } from '../../contract/run-summary.js';
import { exitCodeFor } from '../exit-codes.js';
import { reportMarkdown } from '../report-markdown.js';
import { ScoreRecords } from '../../client/score-records.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('the run as a markdown report: outcome and why, time, cost by phase and model, failed agents with causes, branches, approvals, log')
    .argument('<run>', "the run id (workflow id, or Temporal's run id)")
    .option('--json', 'print JSON: the `status --json` object (the report in data)')
    .action(async (workflowId: string, flags: { json?: boolean }) => {
      const home = loadSettings().home;
      const client = await connectClient(home);
      workflowId = await workflowIdOf(client, workflowId);
      const { report, runId } = await fetchRunReport(client, workflowId, await ScoreRecords.open(home));
      if (flags.json) console.log(JSON.stringify({ ...toSummary(report, { runId, workflowId }), agentList: report.agentList }, null, 2));
      else process.stdout.write(reportMarkdown(report, workflowId));
      if (!isLiveStatus(report.status)) process.exitCode = exitCodeFor(report);
    });
}
