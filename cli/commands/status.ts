import { isLiveStatus } from '../../contract/run-summary.js';
import { agentTitle } from '../../contract/agent-title.js';
import type { Command } from 'commander';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { loadSettings } from '../../config/settings.js';
import { fetchRunReport, toSummary } from '../../client/run-report.js';
import { exitCodeFor } from '../exit-codes.js';
import { endLines, formatTokens, liveNote, progressLines, usageTotal } from '../format.js';
import { watchRun } from '../watch-view.js';
import { scoresLine } from '../score-lines.js';
import { ScoreRecords } from '../../client/score-records.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('phases, agents and totals of a run, running or ended')
    .argument('<run>', 'the run id (workflow id) printed by `baton run`')
    .option('--json', 'print JSON: the `run --json` object plus `agentList`')
    .option('--watch', 'redraw live; keys: ↑↓ select, enter details, p pause/resume, x stop, r restart agent, a/n approve/reject, q quit')
    .action(async (workflowId: string, flags: { json?: boolean; watch?: boolean }) => {
      const home = loadSettings().home;
      const client = await connectClient(home);
      workflowId = await workflowIdOf(client, workflowId);
      if (flags.watch) {
        await watchRun(client, workflowId);
        return;
      }
      const { report, runId } = await fetchRunReport(client, workflowId, await ScoreRecords.open(home));
      // An ended run answers with its end's exit code (docs/cli.md#runs-exit-codes-and-errors): 3 when agents failed.
      const ended = !isLiveStatus(report.status);
      if (ended) process.exitCode = exitCodeFor(report);
      if (flags.json) {
        console.log(JSON.stringify({ ...toSummary(report, { runId, workflowId }), agentList: report.agentList }, null, 2));
        return;
      }
      console.log(progressLines(report, workflowId).join('\n'));
      for (const agent of report.agentList) {
        const live = liveNote(agent);
        const detail = [agent.error ?? agent.lastToolCall ?? '', live].filter(Boolean).join(' · ');
        console.log(
          `    ${agent.id.padEnd(5)} ${agent.state.padEnd(9)} ${agentTitle(agent).slice(0, 32).padEnd(32)} ${(agent.phase ?? '-').padEnd(12)} ${agent.model.padEnd(18)} ${formatTokens(usageTotal(agent.tokens)).padStart(7)} tok ${String(agent.turns).padStart(3)} turns  ${detail.slice(0, 120)}`,
        );
      }
      if (report.scores?.length) console.log(`  scores: ${scoresLine(report.scores)}`);
      for (const line of report.logs.slice(-5)) console.log(`  log: ${line}`);
      if (ended) for (const line of endLines(report)) console.log(line);
    });
}
