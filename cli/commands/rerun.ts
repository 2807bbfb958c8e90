import type { Command } from 'commander';
import { connectClient } from '../../client/connection.js';
import { rerunInput, RerunRefused, type RerunFrom } from '../../client/rerun-input.js';
import { ResumeSourceError } from '../../client/resume-source.js';
import { loadSettings } from '../../config/settings.js';
import { confirmRun } from '../approval-card.js';
import { CliError, EXIT } from '../exit-codes.js';
import { startAndFollow } from '../start-and-follow.js';

export function registerRerun(program: Command): void {
  program
    .command('rerun')
    .description("run an ended run's own script again (same args and options), reusing its succeeded agents (--failed) or those before an agent (--from)")
    .argument('<run>', 'the run id (workflow id, or its Temporal run id)')
    .option('--failed', 'reuse every succeeded agent; run the failed and stopped ones again')
    .option('--from <agent>', 'reuse the agents issued before AGENT (a1, a2, ...); run it and every one after it again')
    .option('-y, --yes', 'start without the approval prompt')
    .option('--detach', 'print the new run id and return at once')
    .option('--json', 'print the final state as JSON (as baton run --json)')
    .action(async (run: string, flags: { failed?: boolean; from?: string; yes?: boolean; detach?: boolean; json?: boolean }) => {
      if (flags.failed && flags.from !== undefined)
        throw new CliError('--failed and --from exclude each other: reuse every succeeded agent, or those before one agent.', EXIT.usage);
      const how: RerunFrom = flags.failed ? { failed: true } : flags.from !== undefined ? { from: flags.from } : {};
      const settings = loadSettings();
      const client = await connectClient(settings.home);
      let input;
      try {
        input = await rerunInput(client, run, how);
      } catch (error) {
        if (error instanceof ResumeSourceError || error instanceof RerunRefused) throw new CliError(error.message, EXIT.usage);
        throw error;
      }
      if (!flags.yes) await confirmRun(input);
      const { summary, exitCode } = await startAndFollow(client, input, settings.taskQueue, { detach: flags.detach, json: flags.json });
      if (flags.json) console.log(flags.detach ? JSON.stringify(summary) : JSON.stringify(summary, null, 2));
      process.exitCode = exitCode;
    });
}
