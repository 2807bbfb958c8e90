// `baton author "REQUEST"`: a planner model writes the script for a request; Baton validates it
// (compile errors and dry-run script errors are fed back), shows the approval card, and saves
// and/or runs it (docs/cli.md).
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { loadModelAccess, ModelAccessError, type ModelAccess } from '../../config/model-access.js';
import { loadSettings, type Settings } from '../../config/settings.js';
import { dryRunEstimate } from '../../contract/dry-run-estimate.js';
import { resolveModel } from '../../contract/models.js';
import type { CompiledScript, RunInput } from '../../contract/run-types.js';
import { connectClient } from '../../client/connection.js';
import { startRun } from '../../client/start-run.js';
import { SaveRefused, saveWorkflow, type SaveOutcome } from '../../library/save-workflow.js';
import { approvalCard, confirmRun } from '../approval-card.js';
import { AUTHORED_FILE_NAME, authorScript, MAX_ROUNDS, PlannerCallError, type DryRunCheck, type DryRunner } from '../author/author-loop.js';
import { estimateLines, reportWithin, requireWorker } from '../dry-run.js';
import { CliError, EXIT } from '../exit-codes.js';
import { parseRunFlags, runOptionsFrom } from '../run-flags.js';
import { workflowPlacesHere } from '../script-argument.js';
import { startAndFollow } from '../start-and-follow.js';
import { applyCeiling, nobodyWatching } from '../unattended-ceiling.js';

/** The planner's default model: writing the plan is where judgement matters. */
const DEFAULT_PLANNER_MODEL = 'opus';

interface AuthorFlags {
  model?: string;
  save?: string;
  personal?: boolean;
  force?: boolean;
  run?: boolean;
  yes?: boolean;
  json?: boolean;
}

export function registerAuthor(program: Command): void {
  program
    .command('author')
    .description(
      'a planner model writes a workflow script for a request; Baton validates it (feeding errors back), shows the approval card, and saves and/or runs it',
    )
    .argument('<request>', 'what the workflow should do, in plain words')
    .option('--model <model>', `the planner's model: 'opus' (default), 'sonnet', 'haiku' or a model id`)
    .option('--save <name>', "save the script as a named workflow in the project's .claude/workflows/")
    .option('--personal', 'with --save: save to ~/.claude/workflows/ instead')
    .option('--force', 'with --save: overwrite a saved workflow of the same name')
    .option('--run', 'start the script after approval, and follow it like baton run')
    .option('-y, --yes', 'with --run: start without the approval prompt')
    .option('--json', 'print { name, source, rounds, dryRun, saved, run } as JSON')
    .action(async (request: string, flags: AuthorFlags) => {
      if (request.trim() === '') throw new CliError('baton author needs a request, e.g. baton author "review my diff"', EXIT.usage);
      if (flags.personal && !flags.save) throw new CliError('--personal goes with --save NAME', EXIT.usage);
      const access = plannerAccess();
      const settings = loadSettings();
      const options = runOptionsFrom(parseRunFlags({}), settings);
      // It names no ceiling: a run it starts where nobody watches gets the unattended default.
      const ceiling = applyCeiling(options, parseRunFlags({}), settings, flags.run === true && nobodyWatching());
      const plannerModel = resolveModel(flags.model ?? DEFAULT_PLANNER_MODEL, settings.modelTable);
      const dryRuns = new DryRuns(settings, options);

      if (!flags.json) process.stderr.write(`asking ${plannerModel} for a script...\n`);
      let outcome;
      try {
        outcome = await authorScript({
          request,
          workspace: options.workspace,
          model: plannerModel,
          access,
          dryRun: () => dryRuns.runner(),
          onRound: (round, errors) => {
            if (errors.length > 0)
              process.stderr.write(`round ${round}/${MAX_ROUNDS}: ${errors.length} error${errors.length === 1 ? '' : 's'}, sent back to the planner\n`);
          },
        });
      } catch (error) {
        if (error instanceof PlannerCallError) throw new CliError(`baton author: ${error.message}`, EXIT.otherEnd);
        throw error;
      } finally {
        if (dryRuns.skipped && !flags.json) process.stderr.write(`dry run skipped: ${dryRuns.skipped}\n`);
      }

      if (!outcome.ok) {
        if (outcome.source !== null) process.stderr.write(`the last script:\n${outcome.source}\n`);
        throw new CliError(
          `baton author: the planner's script still has errors after ${MAX_ROUNDS} rounds:\n${outcome.errors.map((e) => `${AUTHORED_FILE_NAME}:${e}`).join('\n')}`,
          EXIT.usage,
        );
      }

      const script = outcome.script;
      const input: RunInput = { script, args: undefined, options };
      const saved = flags.save ? save(outcome.source, flags.save, flags) : null;
      if (!flags.json) {
        console.log(outcome.source.trimEnd());
        if (!flags.run) process.stderr.write(`${approvalCard(input, ceiling)}\n`);
        if (outcome.dryRun?.estimate) for (const line of estimateLines(outcome.dryRun.estimate)) process.stderr.write(`${line}\n`);
        if (saved) process.stderr.write(`${saved.replaced ? 'replaced' : 'saved'} ${saved.path} (${saved.where}); run it with: baton run ${flags.save}\n`);
      }
      const authored = {
        name: script.meta.name,
        description: script.meta.description,
        rounds: outcome.rounds,
        source: outcome.source,
        dryRun: outcome.dryRun ? { workflowId: outcome.dryRun.workflowId, status: outcome.dryRun.status, ...outcome.dryRun.estimate } : null,
        saved: saved ? { path: saved.path, where: saved.where, replaced: saved.replaced } : null,
      };

      if (!flags.run) {
        if (flags.json) console.log(JSON.stringify({ ...authored, run: null }, null, 2));
        process.exitCode = EXIT.ok;
        return;
      }
      if (flags.yes) {
        if (flags.json) process.stderr.write(`${approvalCard(input, ceiling)}\n`);
      } else {
        await confirmRun(input, ceiling);
      }
      const client = await dryRuns.client();
      const { summary, exitCode } = await startAndFollow(client, input, settings.taskQueue, { json: flags.json, ceiling: ceiling.text });
      if (flags.json) console.log(JSON.stringify({ ...authored, run: summary }, null, 2));
      process.exitCode = exitCode;
    });
}

/** The user's key and base URL, for the planner call made from this process. */
function plannerAccess(): ModelAccess {
  try {
    return loadModelAccess();
  } catch (error) {
    if (!(error instanceof ModelAccessError)) throw error;
    const missing = !process.env.ANTHROPIC_API_KEY;
    throw new CliError(
      missing
        ? 'baton author: ANTHROPIC_API_KEY is not set. The planner model is called from this process: export ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a gateway) and try again.'
        : `baton author: ${error.message}`,
      EXIT.usage,
    );
  }
}

function save(source: string, name: string, flags: AuthorFlags): SaveOutcome {
  try {
    return saveWorkflow({
      source,
      name,
      originalFileName: AUTHORED_FILE_NAME,
      personal: flags.personal ?? false,
      force: flags.force ?? false,
      places: workflowPlacesHere(),
    });
  } catch (error) {
    if (error instanceof SaveRefused) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

/** One Temporal connection for the whole command; dry runs only when a worker polls the task queue. */
class DryRuns {
  skipped: string | null = null;
  private connected: Promise<Client> | null = null;
  private available: boolean | null = null;

  constructor(
    private readonly settings: Settings,
    private readonly options: RunInput['options'],
  ) {}

  client(): Promise<Client> {
    this.connected ??= connectClient(this.settings.home);
    return this.connected;
  }

  async runner(): Promise<DryRunner | null> {
    if (this.available === null) {
      try {
        await requireWorker(await this.client(), this.settings.taskQueue);
        this.available = true;
      } catch (error) {
        this.available = false;
        this.connected = null;
        this.skipped = (error as Error).message.split('\n')[0]!;
      }
    }
    return this.available ? (script) => this.check(script) : null;
  }

  private async check(script: CompiledScript): Promise<DryRunCheck> {
    const client = await this.client();
    const input: RunInput = { script, args: undefined, options: { ...this.options, dryRun: true } };
    const { workflowId } = await startRun(client, input, this.settings.taskQueue);
    const report = await reportWithin(client, workflowId, this.settings.taskQueue);
    if (report.status === 'completed') return { workflowId, status: report.status, errors: [], estimate: dryRunEstimate(report, this.options.modelTable) };
    const e = report.error;
    const error = e ? `${e.line ? `${e.line}:${e.column ?? 1}: ` : ''}${e.type}: ${e.message}` : `the dry run ended ${report.status}`;
    return { workflowId, status: report.status, errors: [error], estimate: null };
  }
}
