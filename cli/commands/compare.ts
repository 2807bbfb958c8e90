import type { Command } from 'commander';
import { fetchComparedRun } from '../../client/compared-run.js';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { compareRuns, type ComparedRun } from '../../client/run-comparison.js';
import { ScoreRecords } from '../../client/score-records.js';
import { loadSettings } from '../../config/settings.js';
import { comparisonText } from '../compare-text.js';
import { CliError, EXIT } from '../exit-codes.js';

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
      // Both read at once; when both fail, the error is about RUN_A, whichever answered first.
      const [readA, readB] = await Promise.allSettled([fetchComparedRun(client, records, a), fetchComparedRun(client, records, b)]);
      const comparison = compareRuns(settled(readA, a), settled(readB, b));
      if (flags.json) console.log(JSON.stringify(comparison, null, 2));
      else process.stdout.write(comparisonText(comparison));
    });
}

/** A run read for compare, or its error; an unknown run says so in one line, however it was found missing. */
function settled(read: PromiseSettledResult<ComparedRun>, workflowId: string): ComparedRun {
  if (read.status === 'fulfilled') return read.value;
  const name = (read.reason as Error | undefined)?.name;
  if (name === 'RunSourceError' || name === 'WorkflowNotFoundError') {
    throw new CliError(`baton: no run with id ${workflowId} on this server. 'baton ls' lists recent runs.`, EXIT.otherEnd);
  }
  throw read.reason;
}
