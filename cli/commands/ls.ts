import type { Command } from 'commander';
import { connectClient } from '../../client/connection.js';
import { listRuns } from '../../client/list-runs.js';
import { loadSettings } from '../../config/settings.js';
import { CliError } from '../exit-codes.js';
import { formatTokens } from '../format.js';

export function registerLs(program: Command): void {
  program
    .command('ls')
    .description('recent runs, newest first: id, name, status, agents, tokens, cost, start time')
    .option('--json', 'print JSON: an array of { workflowId, runId, name, status, phase, agents, tokens, costUsd, startTime, closeTime }')
    .option('--limit <n>', 'how many runs (default 20)', '20')
    .option('--query <visibility query>', `only runs that also match, e.g. 'BatonStatus = "failed"'`)
    .action(async (flags: { json?: boolean; limit: string; query?: string }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError('--limit takes a whole number of at least 1');
      const client = await connectClient(loadSettings().home);
      const runs = await listRuns(client, { limit, query: flags.query });
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
      console.log(`${'RUN'.padEnd(idWidth)}  ${'NAME'.padEnd(nameWidth)}  STATUS            AGENTS   TOKENS      COST  STARTED`);
      for (const run of runs) {
        console.log(
          `${run.workflowId.padEnd(idWidth)}  ${run.name.padEnd(nameWidth)}  ${run.status.padEnd(16)}  ${String(run.agents).padStart(6)}  ` +
            `${formatTokens(run.tokens).padStart(7)}  ${`$${run.costUsd.toFixed(4)}`.padStart(8)}  ${run.startTime.replace('T', ' ').slice(0, 19)}`,
        );
      }
    });
}
