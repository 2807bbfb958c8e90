// `baton run SCRIPT --variant NAME=ARGS_JSON ... | --compare-with OTHER`: the experiment people run
// by hand (4 reviewers against 16 on the same diff). The base run (SCRIPT with --args) and one
// sibling per variant start at once on the same workspace; when all have ended, each sibling is
// compared with the base (`baton compare BASE SIBLING`).
import type { Client } from '@temporalio/client';
import { fetchComparedRun } from '../client/compared-run.js';
import { closedRunReport, toSummary } from '../client/run-report.js';
import { compareRuns, type RunComparison } from '../client/run-comparison.js';
import { ScoreRecords } from '../client/score-records.js';
import { startRun, type StartedRun } from '../client/start-run.js';
import type { RunInput } from '../contract/run-types.js';
import { SCORE_NAME } from '../contract/score-types.js';
import { comparisonText } from './compare-text.js';
import { CliError, exitCodeFor } from './exit-codes.js';
import { endLines } from './format.js';

export interface Variant {
  name: string;
  input: RunInput;
}

/** `--variant NAME=ARGS_JSON`: the base input with those args. */
export function parseVariant(text: string, base: RunInput): Variant {
  const at = text.indexOf('=');
  const name = at === -1 ? '' : text.slice(0, at);
  if (!SCORE_NAME.test(name) || name === 'base') {
    throw new CliError(
      `--variant takes NAME=ARGS_JSON, NAME of letters, digits, '-', '_' or '.' (not 'base'), e.g. --variant sixteen='{"reviewers":16}'; got ${JSON.stringify(text)}`,
    );
  }
  try {
    return { name, input: { ...base, args: JSON.parse(text.slice(at + 1)) as unknown } };
  } catch (error) {
    throw new CliError(`--variant ${name}: its args must be JSON (${(error as Error).message}), e.g. --variant ${name}='{"reviewers":16}'`);
  }
}

/** Starts the base and its siblings, waits for all, prints each comparison; returns the worst exit code. */
export async function runVariants(client: Client, home: string, base: RunInput, siblings: Variant[], taskQueue: string, json: boolean): Promise<number> {
  const names = new Set(siblings.map((s) => s.name));
  if (names.size !== siblings.length) throw new CliError('each --variant needs its own NAME');
  const all = [{ name: 'base', input: base }, ...siblings];
  const started: Array<Variant & StartedRun> = [];
  for (const variant of all) {
    const run = await startRun(client, variant.input, taskQueue);
    started.push({ ...variant, ...run });
    if (!json)
      process.stderr.write(
        `started ${variant.name}: ${run.workflowId}${variant.input.args === undefined ? '' : ` args ${JSON.stringify(variant.input.args)}`}\n`,
      );
  }
  const reports = await Promise.all(
    started.map(async (run) => {
      const report = await closedRunReport(client.workflow.getHandle(run.workflowId));
      if (!json) process.stderr.write(`${run.name} ended: ${endLines(report)[0] ?? report.status}\n`);
      return report;
    }),
  );
  const records = await ScoreRecords.open(home);
  const compared = await Promise.all(started.map((run) => fetchComparedRun(client, records, run.workflowId)));
  const comparisons: RunComparison[] = compared.slice(1).map((sibling) => compareRuns(compared[0]!, sibling));
  if (json) {
    const runs = started.map((run, i) => ({ variant: run.name, ...toSummary(reports[i]!, run) }));
    console.log(JSON.stringify({ runs, comparisons }, null, 2));
  } else {
    comparisons.forEach((comparison, i) => process.stdout.write(`${i > 0 ? '\n' : ''}== base against ${started[i + 1]!.name}\n${comparisonText(comparison)}`));
  }
  return Math.max(...reports.map(exitCodeFor));
}
