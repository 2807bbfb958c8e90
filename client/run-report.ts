import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RunReport } from '../contract/run-types.js';
import type { ScoreView } from '../contract/score-types.js';
import { batonStateQuery } from '../contract/run-messages.js';
import type { ScoreRecords } from './score-records.js';

/** What `baton run --json` and `baton status --json` print (docs/cli.md#json-output). */
export interface RunSummary extends Omit<RunReport, 'agentList'> {
  runId: string;
  workflowId: string;
  /** The branches agents left their work on (`isolation: 'worktree'`, or pushed with `--repo`). */
  branches: Array<{ agentId: string; label: string; branch: string }>;
  /** Always present in a summary: [] for a run without scores. */
  scores: ScoreView[];
}

/**
 * The report of any run, running or closed: a closed run's own result (or the report carried
 * by its failure), else the interpreter's live state query. With `scores`, the scores given
 * after the run ended (`baton score`) are merged in.
 */
export async function fetchRunReport(client: Client, workflowId: string, scores?: ScoreRecords): Promise<{ report: RunReport; runId: string }> {
  const { report, runId } = await fetchOwnReport(client, workflowId);
  return { report: scores ? await scores.merged(workflowId, report) : report, runId };
}

async function fetchOwnReport(client: Client, workflowId: string): Promise<{ report: RunReport; runId: string }> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const runId = description.runId;
  if (description.status.name === 'COMPLETED' || description.status.name === 'FAILED') {
    return { report: await closedRunReport(handle), runId };
  }
  const report = await handle.query(batonStateQuery);
  if (description.status.name !== 'RUNNING') {
    // Terminated, cancelled or timed out from outside Baton: the last state, marked as ended.
    return { report: { ...report, status: 'stopped' }, runId };
  }
  return { report, runId };
}

/** Waits for the run to close and returns its report, whether it completed or failed. */
export async function closedRunReport(handle: WorkflowHandle): Promise<RunReport> {
  try {
    return (await handle.result()) as RunReport;
  } catch (error) {
    const carried = reportFromFailure(error);
    if (carried) return carried;
    throw error;
  }
}

function reportFromFailure(error: unknown): RunReport | null {
  if (!(error instanceof WorkflowFailedError)) return null;
  const cause = error.cause;
  if (cause instanceof ApplicationFailure && cause.details && cause.details.length > 0) {
    return cause.details[0] as RunReport;
  }
  return null;
}

export function toSummary(report: RunReport, ids: { runId: string; workflowId: string }): RunSummary {
  const { agentList, ...rest } = report;
  const branches = agentList.flatMap((agent) => (agent.branch ? [{ agentId: agent.id, label: agent.label, branch: agent.branch }] : []));
  return { runId: ids.runId, workflowId: ids.workflowId, ...rest, scores: report.scores ?? [], branches };
}
