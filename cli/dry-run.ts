// `baton check SCRIPT --dry-run`: the script runs in the interpreter workflow, on a worker, with
// placeholder agents (workflows/dry-run-agent.ts); then the agents per phase and a cost range.
import type { Client } from '@temporalio/client';
import { loadSettings } from '../config/settings.js';
import { dryRunEstimate, HIGH_TOKENS_PER_AGENT, LOW_TOKENS_PER_AGENT, type DryRunEstimate } from '../contract/dry-run-estimate.js';
import type { CompiledScript, RunInput, RunReport } from '../contract/run-types.js';
import { connectClient } from '../client/connection.js';
import { closedRunReport } from '../client/run-report.js';
import { startRun } from '../client/start-run.js';
import { CliError, EXIT } from './exit-codes.js';
import { parseArgsJson, parseRunFlags, runOptionsFrom } from './run-flags.js';

/** A dry run replaces every agent with a placeholder, so it ends in seconds; longer means no worker. */
const DRY_RUN_TIMEOUT_MS = 60_000;

export interface DryRunFlags {
  args?: string;
  json?: boolean;
  model?: string;
  repo?: string;
  ref?: string;
}

export async function dryRun(script: CompiledScript, rawFlags: DryRunFlags): Promise<void> {
  const flags = parseRunFlags({ args: rawFlags.args, model: rawFlags.model, repo: rawFlags.repo, ref: rawFlags.ref });
  const settings = loadSettings();
  const input: RunInput = { script, args: parseArgsJson(flags.args), options: { ...runOptionsFrom(flags, settings), dryRun: true } };

  let client: Client;
  try {
    client = await connectClient(settings.home);
  } catch (error) {
    throw new CliError(`Cannot dry-run: ${(error as Error).message}`, EXIT.otherEnd);
  }
  await requireWorker(client, settings.taskQueue);
  const { workflowId } = await startRun(client, input, settings.taskQueue);
  const report = await reportWithin(client, workflowId, settings.taskQueue);
  const estimate = dryRunEstimate(report, input.options.modelTable);

  if (rawFlags.json) {
    console.log(JSON.stringify({ workflowId, status: report.status, error: report.error, ...estimate }, null, 2));
  } else {
    for (const line of estimateLines(estimate)) console.log(line);
    process.stderr.write(`dry run ${workflowId}: ${report.status}\n`);
  }
  if (report.status !== 'completed') {
    const where = report.error?.line ? `${script.fileName}:${report.error.line}:${report.error.column ?? 1}: ` : '';
    process.stderr.write(`${where}${report.error ? `${report.error.type}: ${report.error.message}` : `the dry run ended ${report.status}`}\n`);
    process.exitCode = EXIT.otherEnd;
  } else {
    process.exitCode = EXIT.ok;
  }
}

/** The lines of the text output: one per phase, then the total and the cost range. */
export function estimateLines(estimate: DryRunEstimate): string[] {
  const width = Math.max(0, ...estimate.phases.map((p) => p.title.length));
  const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  return [
    ...estimate.phases.map((p) => `  ${p.title.padEnd(width)}  ${String(p.agents).padStart(3)} agent${p.agents === 1 ? ' ' : 's'}  ${p.models.join(', ')}`),
    `  ${estimate.agents} agent${estimate.agents === 1 ? '' : 's'} · estimated cost $${estimate.costUsd.low.toFixed(2)}–$${estimate.costUsd.high.toFixed(2)} ` +
      `(${k(LOW_TOKENS_PER_AGENT.input)}–${k(HIGH_TOKENS_PER_AGENT.input)} input, ${k(LOW_TOKENS_PER_AGENT.output)}–${k(HIGH_TOKENS_PER_AGENT.output)} output tokens per agent)`,
  ];
}

/** Refuses at once, rather than waiting, when no worker polls the task queue. */
export async function requireWorker(client: Client, taskQueue: string): Promise<void> {
  const answer = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue } });
  if ((answer.pollers ?? []).length === 0) throw new CliError(noWorker(taskQueue), EXIT.otherEnd);
}

function noWorker(taskQueue: string): string {
  return (
    `Cannot dry-run: no worker polls task queue '${taskQueue}'. A dry run executes the script on a worker ` +
    `(with placeholder agents, no model calls): start one with 'baton worker' or 'baton up'.`
  );
}

/** The dry run's report; a run no worker finishes in time is terminated and reported. */
export async function reportWithin(client: Client, workflowId: string, taskQueue: string): Promise<RunReport> {
  const handle = client.workflow.getHandle(workflowId);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), DRY_RUN_TIMEOUT_MS)));
  try {
    const report = await Promise.race([closedRunReport(handle), timeout]);
    if (report) return report;
  } finally {
    clearTimeout(timer);
  }
  await handle.terminate('dry run timed out').catch(() => undefined);
  throw new CliError(
    `${noWorker(taskQueue).replace('no worker polls', 'no worker finished it on')} (gave up after ${DRY_RUN_TIMEOUT_MS / 1000}s)`,
    EXIT.otherEnd,
  );
}

/**
 * The dry run's projected fan-out and cost range, as one line for a card and `baton schedule
 * describe`, or why there is none (no worker now, the script failed). Never throws: a projection
 * informs a start, it does not block one.
 */
export async function projectionLine(client: Client, input: RunInput, taskQueue: string): Promise<string> {
  try {
    await requireWorker(client, taskQueue);
    const { workflowId } = await startRun(client, { ...input, options: { ...input.options, dryRun: true, notify: [] } }, taskQueue);
    const report = await reportWithin(client, workflowId, taskQueue);
    if (report.status !== 'completed') return `none: the dry run ${workflowId} ended ${report.status}${report.error ? ` (${report.error.message})` : ''}`;
    const estimate = dryRunEstimate(report, input.options.modelTable);
    const ceiling = input.options.maxCostUsd;
    const { low, high } = estimate.costUsd;
    const over = ceiling === null || high <= ceiling ? '' : ` · above the $${ceiling} ceiling ${low > ceiling ? 'even at the low end' : 'at the high end'}`;
    return `${estimate.agents} agent${estimate.agents === 1 ? '' : 's'} · estimated $${low.toFixed(2)}–$${high.toFixed(2)} (dry run ${workflowId})${over}`;
  } catch (error) {
    return `none: ${error instanceof CliError ? error.message.replace(/^Cannot dry-run: /, '') : (error as Error).message}`;
  }
}
