import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import { homedir } from 'node:os';
import { addNotifyTargets } from '../notify-targets-of.js';
import { addPersonalContext } from '../personal-context-of.js';
import type { ReuseMode } from '../../contract/call-journal.js';
import type { RunInput } from '../../contract/run-types.js';
import { connectClient } from '../../client/connection.js';
import { fetchResumeSource, ResumeSourceError } from '../../client/resume-source.js';
import { confirmRun } from '../approval-card.js';
import { projectionLine } from '../dry-run.js';
import { withAgentOptions } from '../shared-run-options.js';
import { argsWarning } from '../args-warning.js';
import { compileOrExit } from '../compile-or-exit.js';
import { CliError, EXIT } from '../exit-codes.js';
import { parseArgsJson, parseRunFlags, refuseUnpricedModels, runOptionsFrom } from '../run-flags.js';
import { startAndFollow } from '../start-and-follow.js';
import { applyCeiling, nobodyWatching } from '../unattended-ceiling.js';
import { parseVariant, runVariants } from '../run-variants.js';

export function registerRun(program: Command): void {
  const run = program
    .command('run')
    .description('compile a script, show its approval card, start it, and follow it to the end')
    .argument('<script>', "the script file, or the name of a saved workflow ('baton workflows' lists them)")
    .option('--args <json>', 'arguments passed to the script as `args`')
    .option('-y, --yes', 'start without the approval prompt')
    .option('--detach', 'print the run id and return at once')
    .option('--json', 'print the final state as JSON (docs/cli.md, JSON output)');
  withAgentOptions(run)
    .option('--budget-tokens <n>', 'output-token ceiling for the run')
    .option('--max-cost <usd>', 'cost ceiling for the run in US dollars')
    .option(
      '--no-ceiling',
      'start with no ceiling even when nobody watches (--yes without a terminal otherwise gets defaults.unattended.maxCostUsd, then pauses)',
    )
    .option('--on-budget <action>', "at a ceiling: 'stop' the agents (default) or 'pause' them until 'baton budget RUN' raises it")
    .option('--workspace <dir>', 'directory the agents work in (default: here)')
    .option(
      '--repo <url>',
      'a git remote the agents work on instead (any worker; ssh, https, git:// or file://); editing agents push baton/<run>/<agent> branches',
    )
    .option('--ref <ref>', "with --repo: the branch, tag or commit to pin at the start (default: the remote's HEAD)")
    .option('--push-remote <url>', "with --repo: push the agents' branches here instead")
    .option(
      '--notify <url>',
      "POST the run's JSON summary (plus `event`) to this URL when it waits at approve() or ends (repeatable; adds to `notify` in the config file)",
      (url: string, urls: string[] = []) => [...urls, url],
    )
    .option('--auto-approve', 'answer every approve() with yes at once (--yes never does)')
    .option(
      '--personal-context',
      "give agents your ~/.claude/CLAUDE.md, ~/.claude/agents, installed plugins' agents and ~/.claude/skills (they travel with the run; off by default)",
    )
    .option('--tenant <name>', "share the task queue's slots as this tenant (fair share by tenant instead of by run)")
    .option('--tenant-weight <w>', 'with --tenant: its share relative to other tenants (default 1; 2 gets about twice the slots)')
    .option('--resume-from <run>', "reuse an earlier run's agent results for the calls this script did not change (and its args, unless --args is given)")
    .option(
      '--variant <name=json>',
      'also run SCRIPT with these args, beside the base run, and compare the two when all end (repeatable)',
      (v: string, vs: string[] = []) => [...vs, v],
    )
    .option('--compare-with <script>', 'also run this other script (same args and options), and compare it with SCRIPT when both end')
    .option('--reuse <mode>', "with --resume-from: 'prefix' (default) reuses the unchanged calls from the start; 'any' every unchanged call")
    .action(async (scriptPath: string, rawFlags: Record<string, unknown>) => {
      const flags = parseRunFlags(rawFlags);
      const settings = loadSettings();
      // The connection is set up while esbuild compiles the script in its own process; a failure
      // to connect is reported where it is awaited, after any error in the script itself.
      const connecting = connectClient(settings.home);
      connecting.catch(() => undefined);
      const script = await compileOrExit(scriptPath);
      const input: RunInput = { script, args: parseArgsJson(flags.args), options: runOptionsFrom(flags, settings) };
      // Without a terminal nobody can answer the card either: the card shows what --yes would start.
      const ceiling = applyCeiling(input.options, flags, settings, nobodyWatching());
      refuseUnpricedModels(
        script,
        input.options,
        ceiling.source === 'unattended-default' ? 'The unattended default ceiling (defaults.unattended.maxCostUsd)' : '--max-cost',
      );
      // Resuming reads the earlier run first, so the card shows what will be reused.
      if (flags.resumeFrom !== undefined) await resumeInto(input, await connecting, flags.resumeFrom, flags.reuse ?? 'prefix');
      // Read now, on the starter's machine: no worker reads its own home (docs/agents.md).
      if (flags.personalContext) await addPersonalContext(input.options, process.env.HOME || homedir(), settings);
      if (!flags.yes) {
        // The card shows the dry run's fan-out and cost range before anyone says yes.
        await confirmRun(input, ceiling, await projectionLine(await connecting, input, settings.taskQueue));
      } else if (argsWarning(input.args)) {
        // Without the card (--yes) its args warning still has to reach someone.
        process.stderr.write(`warning: ${argsWarning(input.args)}\n`);
      }
      await addNotifyTargets(input.options, flags.notify, settings);
      const client = await connecting;
      // Nobody chose the ceiling of an unwatched run: its start line says what the run may spend.
      // The dry run goes beside the run, not before it, so the start waits for neither.
      const unwatchedStart = flags.yes && ceiling.source === 'unattended-default' && !flags.json && !flags.variant && !flags.compareWith;
      const projection = unwatchedStart ? projectionLine(client, input, settings.taskQueue) : undefined;
      if (flags.variant || flags.compareWith) {
        const siblings = (flags.variant ?? []).map((text) => parseVariant(text, input));
        if (flags.compareWith) siblings.push({ name: 'other', input: { ...input, script: await compileOrExit(flags.compareWith) } });
        for (const sibling of siblings) refuseUnpricedModels(sibling.input.script, sibling.input.options);
        process.exitCode = await runVariants(client, settings.home, input, siblings, settings.taskQueue, flags.json === true);
        return;
      }
      const { summary, exitCode } = await startAndFollow(client, input, settings.taskQueue, {
        detach: flags.detach,
        json: flags.json,
        ceiling: ceiling.text,
        projection,
      });
      if (flags.json) console.log(flags.detach ? JSON.stringify(summary) : JSON.stringify(summary, null, 2));
      process.exitCode = exitCode;
    });
}

/** docs/runs.md#resuming-an-edited-script: the earlier run's journal rides in the input; its args too, unless new ones were given. */
async function resumeInto(input: RunInput, client: Client, runId: string, mode: ReuseMode): Promise<void> {
  let source;
  try {
    source = await fetchResumeSource(client, runId, mode);
  } catch (error) {
    if (error instanceof ResumeSourceError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  input.resume = source.resume;
  if (input.args === undefined && 'args' in source) input.args = source.args;
}
