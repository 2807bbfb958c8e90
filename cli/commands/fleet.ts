// `baton fleet`: the task queue's limits as the server holds them (docs/fleet.md#limits-across-runs): the rate of agent
// starts for the whole fleet and the weights of tenants (`baton run --tenant`).
import type { Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import { FAIRNESS_WEIGHT_RANGE, fairnessKey } from '../../contract/fair-share.js';
import { CliError } from '../exit-codes.js';

interface FleetFlags {
  rateLimit?: string;
  weight?: string[];
  json?: boolean;
}

export function registerFleet(program: Command): void {
  program
    .command('fleet')
    .description("show or set the task queue's limits, held by Temporal for every worker: agent starts per second and tenant weights")
    .option('--rate-limit <rps>', "agent starts per second on the whole queue, or 'none' to remove the limit")
    .option(
      '--weight <tenant=w>',
      "a tenant's weight (overrides what its runs ask for), or TENANT=default to remove it (repeatable)",
      (entry: string, entries: string[] = []) => [...entries, entry],
    )
    .option('--json', 'print the limits as JSON')
    .action(async (flags: FleetFlags) => {
      const rateLimit = parseRateLimit(flags.rateLimit);
      const weights = Object.fromEntries((flags.weight ?? []).map(parseWeight));
      const settings = loadSettings();
      const [{ connectClient }, { describeFleetLimits, updateFleetLimits }] = await Promise.all([
        import('../../client/connection.js'),
        import('../../client/task-queue-config.js'),
      ]);
      const client = await connectClient(settings.home);
      const target = { namespace: client.options.namespace, taskQueue: settings.taskQueue };
      try {
        const changing = rateLimit !== undefined || Object.keys(weights).length > 0;
        const limits = changing
          ? await updateFleetLimits(client.workflowService, target, { ...(rateLimit !== undefined ? { rateLimit } : {}), weights, reason: 'baton fleet' })
          : await describeFleetLimits(client.workflowService, target);
        if (flags.json) {
          console.log(JSON.stringify({ taskQueue: settings.taskQueue, ...limits }));
          return;
        }
        const rate = limits.rateLimit === null ? 'no rate limit' : `at most ${limits.rateLimit} agent starts/s`;
        const tenants = Object.entries(limits.weights).map(([tenant, weight]) => `${tenant}=${weight}`);
        console.log(
          `task queue '${settings.taskQueue}': ${rate}; tenant weights: ${tenants.length > 0 ? tenants.join(', ') : 'none set (each run or tenant weighs what it asked for, default 1)'}`,
        );
      } finally {
        await client.connection.close();
      }
    });
}

function parseRateLimit(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const rps = Number(value);
  if (!Number.isFinite(rps) || rps <= 0) throw new CliError("--rate-limit takes agent starts per second above 0 (e.g. 5 or 0.5), or 'none'");
  return rps;
}

function parseWeight(entry: string): [string, number | null] {
  const at = entry.lastIndexOf('=');
  const tenant = entry.slice(0, at).trim();
  const value = entry.slice(at + 1).trim();
  if (at <= 0 || tenant === '') throw new CliError(`--weight takes TENANT=WEIGHT, e.g. --weight team-search=2 (got '${entry}')`);
  // As the runs' tasks carry it: a name past 64 bytes is shortened the same way.
  if (value === 'default') return [fairnessKey(tenant), null];
  const weight = Number(value);
  if (!Number.isFinite(weight) || weight < FAIRNESS_WEIGHT_RANGE.min || weight > FAIRNESS_WEIGHT_RANGE.max) {
    throw new CliError(`--weight ${tenant}= takes a number from ${FAIRNESS_WEIGHT_RANGE.min} to ${FAIRNESS_WEIGHT_RANGE.max}, or 'default'`);
  }
  return [fairnessKey(tenant), weight];
}
