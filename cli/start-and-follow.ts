// Starting a run and following it to its end, as `baton run` does; shared with `baton author --run`.
import type { Client } from '@temporalio/client';
import type { RunInput } from '../contract/run-types.js';
import { temporalConnectConfig } from '../config/temporal.js';
import { toSummary } from '../client/run-report.js';
import { startRun } from '../client/start-run.js';
import { exitCodeFor, EXIT } from './exit-codes.js';
import { followRun } from './follow-run.js';
import { endLines } from './format.js';
import { uiLink } from './ui-link.js';

export interface StartAndFollowOutcome {
  /** What `--json` prints: the run's summary (or `{ ...started, status: 'running' }` when detached). */
  summary: unknown;
  exitCode: number;
}

/** Starts the run; prints the text output itself, and returns the JSON summary for the caller to print. */
export async function startAndFollow(
  client: Client,
  input: RunInput,
  taskQueue: string,
  flags: { detach?: boolean; json?: boolean; ceiling?: string; projection?: Promise<string> },
): Promise<StartAndFollowOutcome> {
  const started = await startRun(client, input, taskQueue);
  const link = uiLink(temporalConnectConfig(), started.workflowId);
  // Which ceiling holds, said once with the start, where a log of an unwatched run shows it.
  // The projection (a dry run started beside the run, cli/commands/run.ts) follows it.
  const ceilingLines = async () => {
    if (flags.json) return;
    if (flags.ceiling) process.stderr.write(`ceiling: ${flags.ceiling}\n`);
    if (flags.projection) process.stderr.write(`projected: ${await flags.projection}\n`);
  };
  if (flags.detach) {
    if (!flags.json) console.log(`started ${started.workflowId}${link ? `\n${link}` : ''}`);
    await ceilingLines();
    return { summary: { ...started, status: 'running' }, exitCode: EXIT.ok };
  }
  if (!flags.json) process.stderr.write(`started ${started.workflowId}${link ? ` · ${link}` : ''}\n`);
  await ceilingLines();
  const report = await followRun(client, started.workflowId, flags.json ? devNull() : process.stderr);
  if (!flags.json) {
    if (report.result !== undefined && report.result !== null) console.log(JSON.stringify(report.result, null, 2));
    for (const line of endLines(report)) process.stderr.write(`${line}\n`);
  }
  return { summary: toSummary(report, started), exitCode: exitCodeFor(report) };
}

function devNull(): NodeJS.WriteStream {
  return { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
}
