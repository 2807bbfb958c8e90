import type { Client } from '@temporalio/client';
import type { RunReport } from '../contract/run-types.js';
import { closedRunReport } from '../client/run-report.js';
import { batonStateQuery } from '../contract/run-messages.js';
import { newLogLines, progressLines } from './format.js';

const POLL_MS = 1000;

/**
 * Shows a run's progress until it ends and returns its final report. On a terminal the block
 * is redrawn in place; elsewhere a line is printed whenever the progress changes. The script's
 * log() lines are printed as they arrive (Claude Code's progress channel), above the block.
 */
export async function followRun(client: Client, workflowId: string, out: NodeJS.WriteStream = process.stderr): Promise<RunReport> {
  const handle = client.workflow.getHandle(workflowId);
  let closed = false;
  const final = closedRunReport(handle).finally(() => (closed = true));
  let drawn = 0;
  let last = '';
  let logsSeen = 0;
  const printLogs = (report: RunReport) => {
    for (const line of newLogLines(report, logsSeen)) out.write(`log: ${line}\n`);
    logsSeen = report.logTotal ?? logsSeen;
  };
  while (!closed) {
    const report = await handle.query(batonStateQuery).catch(() => null);
    if (report && !closed) {
      const lines = progressLines(report, workflowId);
      const text = lines.join('\n');
      if (out.isTTY) {
        if (drawn) out.write(`\x1b[${drawn}A\x1b[J`);
        printLogs(report);
        out.write(`${text}\n`);
        drawn = lines.length;
      } else {
        printLogs(report);
        // Without a terminal, the status line and who is asked for what (approve()).
        if (text !== last) out.write(`${[lines[0], ...lines.filter((line) => line.startsWith('  waiting for approval'))].join('\n')}\n`);
      }
      last = text;
    }
    await Promise.race([final.catch(() => undefined), new Promise((r) => setTimeout(r, POLL_MS))]);
  }
  const report = await final;
  if (out.isTTY && drawn) out.write(`\x1b[${drawn}A\x1b[J`);
  printLogs(report);
  out.write(`${progressLines(report).join('\n')}\n`);
  return report;
}
