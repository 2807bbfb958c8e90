// The tools that read and steer a run by its id (`baton mcp`): status, result, stop, list, approve.
// Each is the CLI command of the same name, answering with text and its `--json` object.
import { z } from 'zod';
import { answerApproval } from '../../client/approve-run.js';
import { workflowIdOf } from '../../client/find-run.js';
import { listRuns } from '../../client/list-runs.js';
import { fetchRunReport, toSummary } from '../../client/run-report.js';
import { steerRun } from '../../client/steer-run.js';
import { isLiveStatus } from '../../contract/run-summary.js';
import { agentTitle } from '../../contract/agent-title.js';
import { endLines, progressLines } from '../format.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { ClientHolder } from './client-holder.js';
import { listAnswer, resultAnswer, statusAnswer, steerAnswer } from './tool-answers.js';
import { toolOk } from './tool-result.js';

const AGENT_LINES = 40;

// A model copies the field it was given: baton_run answers `workflowId`, the tools ask for `run`.
export const runIdInput = {
  run: z.string().min(1).optional().describe("The run: the workflowId baton_run answered (Temporal's runId works too)."),
  workflowId: z.string().min(1).optional().describe('The same as run, under the name baton_run answered it.'),
};

type RunRef = { run?: string; workflowId?: string };

/** The run a tool call names, under either name. */
function runOf(input: RunRef, tool: string): string {
  const { run, workflowId } = input;
  if (run !== undefined && workflowId !== undefined && run !== workflowId)
    throw new CliError(`${tool} got two runs (run "${run}", workflowId "${workflowId}"); give one.`, EXIT.usage);
  const id = run ?? workflowId;
  if (id === undefined) throw new CliError(`${tool} needs the run: give run, the workflowId baton_run answered (baton_list lists runs).`, EXIT.usage);
  return id;
}

export async function statusTool(input: RunRef, clients: ClientHolder) {
  const client = await clients.get();
  const workflowId = await workflowIdOf(client, runOf(input, 'baton_status'));
  const { report, runId } = await fetchRunReport(client, workflowId);
  const lines = [...progressLines(report, workflowId)];
  // A model reads this text: a fan-out of hundreds is summarised, the full list is in agentList.
  for (const agent of report.agentList.slice(0, AGENT_LINES))
    lines.push(`  ${agent.id} ${agent.state} ${agentTitle(agent)}${agent.error ? ` · ${agent.error}` : ''}`);
  if (report.agentList.length > AGENT_LINES) lines.push(`  (${report.agentList.length - AGENT_LINES} more agents in agentList)`);
  for (const line of report.logs.slice(-10)) lines.push(`  log: ${line}`);
  if (!isLiveStatus(report.status)) lines.push(...endLines(report));
  return toolOk(lines.join('\n'), statusAnswer, { ...toSummary(report, { runId, workflowId }), agentList: report.agentList });
}

export async function resultTool(input: RunRef, clients: ClientHolder) {
  const client = await clients.get();
  const workflowId = await workflowIdOf(client, runOf(input, 'baton_result'));
  const { report, runId } = await fetchRunReport(client, workflowId);
  const structured = { workflowId, runId, status: report.status, result: report.result ?? null, error: report.error };
  if (isLiveStatus(report.status))
    return toolOk(`${workflowId} is still ${report.status}: no result yet. baton_status shows how far it got.`, resultAnswer, structured);
  const text = [JSON.stringify(report.result ?? null, null, 2), ...endLines(report)].join('\n');
  return toolOk(text, resultAnswer, structured);
}

export async function stopTool(input: RunRef, clients: ClientHolder) {
  const client = await clients.get();
  const workflowId = await workflowIdOf(client, runOf(input, 'baton_stop'));
  const answer = await steerRun(client, workflowId, 'stop');
  return toolOk(`${workflowId}: ${answer.message}`, steerAnswer, { workflowId, ...answer });
}

export const approveInput = {
  ...runIdInput,
  reject: z.boolean().optional().describe('Answer no: approve() resolves to false.'),
  id: z.string().optional().describe('Answer only if this approval (q1, q2, ...) is the one first in line.'),
};

export async function approveTool(input: RunRef & { reject?: boolean; id?: string }, clients: ClientHolder) {
  const client = await clients.get();
  const workflowId = await workflowIdOf(client, runOf(input, 'baton_approve'));
  const answer = await answerApproval(client, workflowId, input.reject !== true, input.id);
  return toolOk(`${workflowId}: ${answer.message}`, steerAnswer, { workflowId, ...answer });
}

export const listInput = {
  limit: z.number().int().min(1).max(1000).optional().describe('How many runs, newest first (default 20).'),
  query: z.string().optional().describe(`A Temporal visibility filter, e.g. 'BatonStatus = "failed"'.`),
};

export async function listTool(input: { limit?: number; query?: string }, clients: ClientHolder) {
  const client = await clients.get();
  const runs = await listRuns(client, { limit: input.limit ?? 20, query: input.query });
  const text =
    runs.length === 0
      ? 'no runs yet; start one with baton_run'
      : runs.map((r) => `${r.workflowId}  ${r.name}  ${r.status}  ${r.agents} agents  $${r.costUsd.toFixed(4)}  ${r.startTime}`).join('\n');
  return toolOk(text, listAnswer, { runs });
}
