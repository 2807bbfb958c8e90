import type { Command } from 'commander';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { closedRunReport, toSummary } from '../../client/run-report.js';
import { raiseBudget, SteeringRefused, steerRun, type RunSteer } from '../../client/steer-run.js';
import { loadSettings } from '../../config/settings.js';
import type { SteeringAnswer } from '../../contract/run-types.js';
import { CliError, EXIT, exitCodeFor } from '../exit-codes.js';
import { endLines } from '../format.js';
import { parseBudgetFlags } from '../run-flags.js';

// A stop cancels running agents through their heartbeats (every few seconds); the run then ends.
const STOP_WAIT_MS = 120_000;

export function registerSteer(program: Command): void {
  const simple: Array<[Exclude<RunSteer, 'stop'>, string]> = [
    ['pause', 'no new agent starts; running agents finish (status: paused)'],
    ['resume', 'let a paused run start agents again'],
  ];
  for (const [action, description] of simple) {
    program
      .command(action)
      .description(description)
      .argument('<run>', "the run id (workflow id, or Temporal's run id)")
      .option('--json', 'print JSON: { workflowId, status, message }')
      .action(async (workflowId: string, flags: { json?: boolean }) => {
        const client = await connectClient(loadSettings().home);
        workflowId = await workflowIdOf(client, workflowId);
        const answer = await steered(() => steerRun(client, workflowId, action));
        printAnswer(workflowId, answer, flags.json);
      });
  }

  program
    .command('budget')
    .description('set the ceilings of a running or paused run; a run paused at its ceiling (--on-budget pause) goes on')
    .argument('<run>', "the run id (workflow id, or Temporal's run id)")
    .option('--max-cost <usd>', 'the new cost ceiling in US dollars')
    .option('--budget-tokens <n>', 'the new output-token ceiling')
    .option('--json', 'print JSON: { workflowId, status, message }')
    .action(async (workflowId: string, rawFlags: Record<string, unknown>) => {
      const { json, ...raise } = parseBudgetFlags(rawFlags);
      const client = await connectClient(loadSettings().home);
      workflowId = await workflowIdOf(client, workflowId);
      const answer = await steered(() => raiseBudget(client, workflowId, raise));
      printAnswer(workflowId, answer, json);
    });

  program
    .command('stop')
    .description('stop a run: running agents are cancelled, the rest never start; waits for the run to end `stopped`')
    .argument('<run>', "the run id (workflow id, or Temporal's run id)")
    .option('--json', 'print the stopped run as JSON (the `run --json` object)')
    .action(async (workflowId: string, flags: { json?: boolean }) => {
      const client = await connectClient(loadSettings().home);
      workflowId = await workflowIdOf(client, workflowId);
      const answer = await steered(() => steerRun(client, workflowId, 'stop'));
      process.stderr.write(`${workflowId}: ${answer.message}\n`);
      const handle = client.workflow.getHandle(workflowId);
      const report = await Promise.race([
        closedRunReport(handle),
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new CliError(`${workflowId} has not ended ${STOP_WAIT_MS / 1000}s after the stop; see 'baton status ${workflowId}'.`, EXIT.otherEnd)),
            STOP_WAIT_MS,
          ).unref(),
        ),
      ]);
      const { runId } = await handle.describe();
      if (flags.json) console.log(JSON.stringify(toSummary(report, { runId, workflowId }), null, 2));
      else for (const line of endLines(report)) console.log(line);
      process.exitCode = report.status === 'stopped' ? EXIT.ok : exitCodeFor(report);
    });
}

/** Runs a steering request; a refusal is one clean line and exit 1. */
export async function steered(send: () => Promise<SteeringAnswer>): Promise<SteeringAnswer> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof SteeringRefused) throw new CliError(error.message, EXIT.otherEnd);
    throw error;
  }
}

export function printAnswer(workflowId: string, answer: SteeringAnswer, json: boolean | undefined): void {
  if (json) console.log(JSON.stringify({ workflowId, ...answer }));
  else console.log(`${workflowId}: ${answer.message}`);
}
