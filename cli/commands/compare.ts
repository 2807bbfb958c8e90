import type { Command } from 'commander';
import { fetchComparedRun } from '../../client/compared-run.js';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { compareRuns } from '../../client/run-comparison.js';
import { ScoreRecords } from '../../client/score-records.js';
import { loadSettings } from '../../config/settings.js';
import { comparisonText } from '../compare-text.js';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('two runs side by side: scripts (a diff), args, agents and cost by phase and model, duration, failures, scores, results')
    .argument('<run-a>', "the first run's id (workflow id, or Temporal's run id)")
    .argument('<run-b>', "the second run's id")
    .option('--json', 'print JSON: the comparison object')
    .action(async (runA: string, runB: string, flags: { json?: boolean }) => {
      const home = loadSettings().home;
      const client = await connectClient(home);
      const records = await ScoreRecords.open(home);
      const [a, b] = await Promise.all([workflowIdOf(client, runA), workflowIdOf(client, runB)]);
      const comparison = compareRuns(await fetchComparedRun(client, records, a), await fetchComparedRun(client, records, b));
      if (flags.json) console.log(JSON.stringify(comparison, null, 2));
      else process.stdout.write(comparisonText(comparison));
    });
}
