import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { z } from 'zod';
import { connectClient } from '../../client/connection.js';
import { checkCron, OVERLAP_POLICIES, parseEvery, ScheduleSpecError, type ScheduleTiming } from '../../client/schedule-spec.js';
import {
  createSchedule,
  deleteSchedule,
  describeSchedule,
  listSchedules,
  pauseSchedule,
  ScheduleError,
  triggerSchedule,
  unpauseSchedule,
  type ScheduleDetails,
} from '../../client/schedules.js';
import { loadSettings } from '../../config/settings.js';
import { approvalCard } from '../approval-card.js';
import { addNotifyTargets } from '../notify-targets-of.js';
import { compileOrExit } from '../compile-or-exit.js';
import { CliError, EXIT } from '../exit-codes.js';
import { projectionLine } from '../dry-run.js';
import { parseArgsJson, parseRunFlags, refuseUnpricedModels, runOptionsFrom } from '../run-flags.js';
import { applyCeiling } from '../unattended-ceiling.js';
import { withAgentOptions } from '../shared-run-options.js';
import { resolveScriptArgument, scriptLookupOf, workflowPlacesHere } from '../script-argument.js';

const scheduleId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'a schedule id is letters, digits, dots, dashes and underscores, like nightly-cleanup');

const createFlagsSchema = z
  .object({
    cron: z.string().optional(),
    every: z.string().optional(),
    script: z.string({ error: '--script SCRIPT_OR_NAME is required: the script file or saved workflow to run' }).min(1),
    pin: z.boolean().optional(),
    overlap: z.enum(OVERLAP_POLICIES, { error: `--overlap takes ${OVERLAP_POLICIES.join(', ')}` }).optional(),
  })
  .refine((f) => (f.cron === undefined) !== (f.every === undefined), {
    error: "give exactly one of --cron EXPR (e.g. '0 2 * * *') or --every DUR (e.g. 1h)",
  });

const SCHEDULE_KEYS = ['cron', 'every', 'script', 'pin', 'overlap'];

export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('recurring runs as Temporal Schedules');

  const create = schedule
    .command('create')
    .description('create a schedule that runs a script or saved workflow; a name is resolved again at each firing unless --pin')
    .argument('<id>', 'the schedule id, e.g. nightly-cleanup')
    .option('--cron <expr>', "when, as cron in UTC: '0 2 * * *' (5 fields), or 7 fields starting with seconds")
    .option('--every <duration>', 'when, as an interval: 30s, 15m, 1h30m, 1d')
    .option('--script <script>', 'the script file, or the name of a saved workflow')
    .option('--args <json>', 'arguments passed to the script as `args` at every firing')
    .option('--pin', 'run the script as compiled now at every firing (default: read it again at each firing)')
    .option('--overlap <policy>', `when a firing finds the last run still going: ${OVERLAP_POLICIES.join(', ')} (default skip)`);
  withAgentOptions(create)
    .option('--budget-tokens <n>', 'output-token ceiling for each run')
    .option('--max-cost <usd>', 'cost ceiling for each run in US dollars (default: defaults.unattended.maxCostUsd, then pause)')
    .option('--on-budget <action>', "at a ceiling: 'pause' the agents until 'baton budget RUN' raises it (default when no ceiling is named) or 'stop' them")
    .option('--no-ceiling', 'run with no ceiling at all instead of the unattended default')
    .option('--workspace <dir>', 'directory the agents work in (default: here)')
    .option('--repo <url>', 'a git remote the agents work on instead; each run pins its --ref (default HEAD) when it fires')
    .option('--ref <ref>', 'with --repo: the branch, tag or commit each run pins')
    .option('--push-remote <url>', "with --repo: push the agents' branches here instead")
    .option(
      '--notify <url>',
      "POST each run's JSON summary (plus `event`) here when it waits at approve() or ends (repeatable)",
      (url: string, urls: string[] = []) => [...urls, url],
    )
    .option('--auto-approve', "answer every run's approve() calls with yes at once")
    .action(async (id: string, raw: Record<string, unknown>) => {
      const sid = parseOr(scheduleId, id);
      const flags = parseOr(createFlagsSchema, pick(raw, SCHEDULE_KEYS, true));
      const runFlags = parseRunFlags(pick(raw, SCHEDULE_KEYS, false));
      const timing = timingOf(flags);
      const settings = loadSettings();
      const places = workflowPlacesHere();
      const resolved = resolveScriptArgument(flags.script, places);
      const script = await compileOrExit(resolved.path, places);
      const args = parseArgsJson(runFlags.args);
      const options = runOptionsFrom(runFlags, settings);
      // Nobody watches a schedule's firings.
      const ceiling = applyCeiling(options, runFlags, settings, true);
      refuseUnpricedModels(
        script,
        options,
        ceiling.source === 'unattended-default' ? 'The unattended default ceiling (defaults.unattended.maxCostUsd)' : '--max-cost',
      );
      const projection = await projectionLine(
        await connectClient(settings.home),
        { script, ...(args === undefined ? {} : { args }), options },
        settings.taskQueue,
      );
      process.stderr.write(`${approvalCard({ script, args, options }, ceiling, projection)}\n`);
      await addNotifyTargets(options, runFlags.notify, settings);

      // Its payloads (a pinned script, big args) serve every firing: kept apart from runs' in an object store.
      const client = await connectClient(settings.home, { forSchedules: true });
      await scheduleCall(() =>
        createSchedule(client, {
          scheduleId: sid,
          timing,
          overlap: flags.overlap ?? 'skip',
          script,
          ref: resolved.ref,
          lookup: scriptLookupOf(places),
          pinned: flags.pin ?? false,
          ...(args === undefined ? {} : { args }),
          options,
          taskQueue: settings.taskQueue,
          ceiling: ceiling.text,
          projection,
        }),
      );
      const when = 'cron' in timing ? `cron ${timing.cron}` : `every ${flags.every}`;
      console.log(`created schedule ${sid}: ${script.meta.name} ${when}, overlap ${flags.overlap ?? 'skip'}`);
      if (flags.pin) {
        console.error('pinned: every firing runs the script as compiled now.');
      } else {
        console.error(
          `not pinned: each firing reads ${'name' in resolved.ref ? `the saved workflow ${resolved.ref.name}` : resolved.path} again, on a worker: ` +
            'workers must see these files (and the workspace), as they must for agents.',
        );
      }
    });

  schedule
    .command('ls')
    .description("Baton's schedules")
    .option('--json', 'print JSON: an array of { scheduleId, script, pinned, timing, paused, note, nextRunAt, lastRunAt }')
    .action(async (flags: { json?: boolean }) => {
      const schedules = await listSchedules(await client());
      if (flags.json) return void console.log(JSON.stringify(schedules, null, 2));
      if (schedules.length === 0) return void console.log("no schedules; create one with 'baton schedule create ID --every 1d --script NAME'");
      const idWidth = Math.max(2, ...schedules.map((s) => s.scheduleId.length));
      const scriptWidth = Math.max(6, ...schedules.map((s) => (s.script ?? '?').length));
      console.log(`${'ID'.padEnd(idWidth)}  ${'SCRIPT'.padEnd(scriptWidth)}  PINNED  STATE   WHEN                  NEXT`);
      for (const s of schedules) {
        console.log(
          `${s.scheduleId.padEnd(idWidth)}  ${(s.script ?? '?').padEnd(scriptWidth)}  ${(s.pinned ? 'yes' : 'no').padEnd(6)}  ` +
            `${(s.paused ? 'paused' : 'active').padEnd(6)}  ${(s.timing ?? '?').padEnd(20)}  ${s.nextRunAt ?? '-'}`,
        );
      }
    });

  schedule
    .command('describe')
    .description('a schedule: timing, policy, recent firings and the runs they started')
    .argument('<id>', 'the schedule id')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const details = await scheduleCall(async () => describeSchedule(await client(), id));
      if (flags.json) return void console.log(JSON.stringify(details, null, 2));
      for (const line of detailLines(details)) console.log(line);
    });

  const simple: Array<[string, string, (c: Client, id: string, note?: string) => Promise<void>, string, boolean]> = [
    ['pause', 'stop firing until unpaused', pauseSchedule, 'paused', true],
    ['unpause', 'fire again on schedule', unpauseSchedule, 'unpaused', true],
    ['trigger', 'fire once now (the overlap policy applies)', triggerSchedule, 'triggered', false],
    ['delete', 'delete the schedule; runs it started go on', deleteSchedule, 'deleted', false],
  ];
  for (const [name, description, operation, done, takesNote] of simple) {
    const command = schedule.command(name).description(description).argument('<id>', 'the schedule id');
    if (takesNote) command.option('--note <text>', 'why, shown by describe');
    command.action(async (id: string, flags: { note?: string }) => {
      await scheduleCall(async () => operation(await client(), id, flags.note));
      console.log(`${done} schedule ${id}`);
    });
  }
}

function detailLines(d: ScheduleDetails): string[] {
  return [
    `${d.scheduleId}: ${d.script ?? '?'} ${d.timing ?? ''} · ${d.pinned ? 'pinned' : 'resolved at each firing'} · overlap ${d.overlap} · ${d.paused ? 'PAUSED' : 'active'}`,
    ...(d.note ? [`  note: ${d.note}`] : []),
    `  ceiling: ${d.ceiling ?? 'not recorded (created by an older baton)'}`,
    ...(d.projection ? [`  projected: ${d.projection}`] : []),
    `  fired ${d.actionsTaken} time(s)${d.skippedForOverlap ? `, ${d.skippedForOverlap} skipped for overlap` : ''}; next: ${d.nextRunsAt.slice(0, 3).join(', ') || '-'}`,
    ...(d.running.length ? [`  running: ${d.running.join(', ')}`] : []),
    ...(d.runs.length
      ? ['  runs:', ...d.runs.map((r) => `    ${r.workflowId}  ${r.status}  ${r.startTime.replace('T', ' ').slice(0, 19)}`)]
      : ['  runs: none yet']),
  ];
}

function timingOf(flags: { cron?: string; every?: string }): ScheduleTiming {
  try {
    return flags.cron !== undefined ? { cron: checkCron(flags.cron) } : { everyMs: parseEvery(flags.every!) };
  } catch (error) {
    if (error instanceof ScheduleSpecError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

async function scheduleCall<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ScheduleError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

async function client(): Promise<Client> {
  return connectClient(loadSettings().home);
}

function pick(raw: Record<string, unknown>, keys: string[], inside: boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => keys.includes(key) === inside));
}

function parseOr<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => i.message).join('\n'), EXIT.usage);
  return parsed.data;
}
