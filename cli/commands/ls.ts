import type { Command } from 'commander';
import { connectClient } from '../../client/connection.js';
import { listRuns, sortByCostPerPoint } from '../../client/list-runs.js';
import { ScoreRecords } from '../../client/score-records.js';
import { costPerPointText } from '../../contract/cost-per-point.js';
import { SCORE_NAME } from '../../contract/score-types.js';
import { loadSettings } from '../../config/settings.js';
import { CliError } from '../exit-codes.js';
import { formatTokens } from '../format.js';

export function registerLs(program: Command): void {
  program
    .command('ls')
    .description('recent runs, newest first: id, name, status, agents, tokens, cost, start time')
    .option('--json', 'print JSON: an array of { workflowId, runId, name, status, phase, agents, tokens, costUsd, startTime, closeTime, scores }')
    .option('--limit <n>', 'how many runs (default 20)', '20')
    .option('--query <visibility query>', `only runs that also match, e.g. 'BatonStatus = "failed"' or 'BatonScore > 3'`)
    .option('--sort <cost-per:NAME>', 'the listed runs by what a point of score NAME cost, cheapest first (runs without it last)')
    .action(async (flags: { json?: boolean; limit: string; query?: string; sort?: string }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError('--limit takes a whole number of at least 1');
      const sortBy = flags.sort === undefined ? undefined : /^cost-per:(.+)$/.exec(flags.sort)?.[1];
      if (flags.sort !== undefined && (sortBy === undefined || !SCORE_NAME.test(sortBy))) {
        throw new CliError(`--sort takes cost-per:NAME, NAME a score's name (e.g. --sort cost-per:confirmed), got ${JSON.stringify(flags.sort)}`);
      }
      const home = loadSettings().home;
      const client = await connectClient(home);
      const listed = await listRuns(client, { limit, query: flags.query });
      const runs = sortBy === undefined ? listed : await sortByCostPerPoint(listed, sortBy, await ScoreRecords.open(home));
      if (flags.json) {
        console.log(JSON.stringify(runs, null, 2));
        return;
      }
      if (runs.length === 0) {
        console.log("no runs yet; start one with 'baton run SCRIPT'");
        return;
      }
      const idWidth = Math.max(3, ...runs.map((r) => r.workflowId.length));
      const nameWidth = Math.max(4, ...runs.map((r) => r.name.length));
      const perWidth = Math.max(12, (sortBy?.length ?? 0) + 5);
      const perHeader = sortBy === undefined ? '' : `  ${`COST/${sortBy}`.padStart(perWidth)}`;
      console.log(`${'RUN'.padEnd(idWidth)}  ${'NAME'.padEnd(nameWidth)}  STATUS            AGENTS   TOKENS      COST${perHeader}  STARTED`);
      for (const run of runs) {
        const value = sortBy === undefined ? undefined : run.scores[sortBy];
        const per = sortBy === undefined ? '' : `  ${(value === undefined ? '-' : costPerPointText(run.costUsd, value)).padStart(perWidth)}`;
        console.log(
          `${run.workflowId.padEnd(idWidth)}  ${run.name.padEnd(nameWidth)}  ${run.status.padEnd(16)}  ${String(run.agents).padStart(6)}  ` +
            `${formatTokens(run.tokens).padStart(7)}  ${`$${run.costUsd.toFixed(4)}`.padStart(8)}${per}  ${run.startTime.replace('T', ' ').slice(0, 19)}`,
        );
      }
    });
}
