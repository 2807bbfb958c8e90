import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import type { ReuseMode } from '../../contract/call-journal.js';
import type { RunInput } from '../../contract/run-types.js';
import { connectClient } from '../../client/connection.js';
import { temporalConnectConfig } from '../../config/temporal.js';
import { toSummary } from '../../client/run-report.js';
import { fetchResumeSource, ResumeSourceError } from '../../client/resume-source.js';
import { startRun } from '../../client/start-run.js';
import { confirmRun } from '../approval-card.js';
import { compileOrExit } from '../compile-or-exit.js';
import { CliError, exitCodeFor, EXIT } from '../exit-codes.js';
import { followRun } from '../follow-run.js';
import { endLines } from '../format.js';
import { parseArgsJson, parseRunFlags, runOptionsFrom } from '../run-flags.js';
import { uiLink } from '../ui-link.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('compile a script, show its approval card, start it, and follow it to the end')
    .argument('<script>', "the script file, or the name of a saved workflow ('baton workflows' lists them)")
    .option('--args <json>', 'arguments passed to the script as `args`')
    .option('-y, --yes', 'start without the approval prompt')
    .option('--detach', 'print the run id and return at once')
    .option('--json', 'print the final state as JSON (SPEC 4.1)')
    .option('--model <model>', "default model: 'opus', 'sonnet', 'haiku' or a model id")
    .option('--concurrency <n>', 'agents at once (1..256, default 16)')
    .option('--max-agents <n>', 'agents per run (default 1000)')
    .option('--budget-tokens <n>', 'output-token ceiling for the run')
    .option('--max-cost <usd>', 'cost ceiling for the run in US dollars')
    .option('--allow <rule>', "let agents run matching Bash commands, e.g. 'Bash(npm test:*)' (repeatable)", (rule: string, rules: string[] = []) => [...rules, rule])
    .option('--workspace <dir>', 'directory the agents work in (default: here)')
    .option('--resume-from <run>', "reuse an earlier run's agent results for the calls this script did not change (and its args, unless --args is given)")
    .option('--reuse <mode>', "with --resume-from: 'prefix' (default) reuses the unchanged calls from the start; 'any' every unchanged call")
    .action(async (scriptPath: string, rawFlags: Record<string, unknown>) => {
      const flags = parseRunFlags(rawFlags);
      const settings = loadSettings();
      const script = await compileOrExit(scriptPath);
      const input: RunInput = { script, args: parseArgsJson(flags.args), options: runOptionsFrom(flags, settings) };
      // Resuming reads the earlier run first, so the card shows what will be reused.
      const early = flags.resumeFrom === undefined ? undefined : await resumeInto(input, settings.home, flags.resumeFrom, flags.reuse ?? 'prefix');
      if (!flags.yes) await confirmRun(input);

      const client = early ?? (await connectClient(settings.home));
      const started = await startRun(client, input, settings.taskQueue);
      const link = uiLink(temporalConnectConfig(), started.workflowId);
      if (flags.detach) {
        if (flags.json) console.log(JSON.stringify({ ...started, status: 'running' }));
        else console.log(`started ${started.workflowId}${link ? `\n${link}` : ''}`);
        process.exitCode = EXIT.ok;
        return;
      }
      if (!flags.json) process.stderr.write(`started ${started.workflowId}${link ? ` · ${link}` : ''}\n`);
      const report = await followRun(client, started.workflowId, flags.json ? devNull() : process.stderr);
      if (flags.json) {
        console.log(JSON.stringify(toSummary(report, started), null, 2));
      } else {
        if (report.result !== undefined && report.result !== null) console.log(JSON.stringify(report.result, null, 2));
        for (const line of endLines(report)) process.stderr.write(`${line}\n`);
      }
      process.exitCode = exitCodeFor(report);
    });
}

/** SPEC 3: the earlier run's journal rides in the input; its args too, unless new ones were given. */
async function resumeInto(input: RunInput, home: string, runId: string, mode: ReuseMode): Promise<Client> {
  const client = await connectClient(home);
  let source;
  try {
    source = await fetchResumeSource(client, runId, mode);
  } catch (error) {
    if (error instanceof ResumeSourceError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  input.resume = source.resume;
  if (input.args === undefined && 'args' in source) input.args = source.args;
  return client;
}

function devNull(): NodeJS.WriteStream {
  return { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
}
