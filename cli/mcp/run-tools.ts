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
import type { ClientHolder } from './client-holder.js';
import { toolOk } from './tool-result.js';

const AGENT_LINES = 40;

const run = z.string().min(1).describe("The run: the workflowId baton_run answered (Temporal's runId works too).");

export const runIdInput = { run };

/** The `run --json` object's main fields; the rest pass through. */
export const summaryOutput = {
  workflowId: z.string(),
  runId: z.string(),
  status: z.string(),
  result: z.unknown().optional(),
  error: z.unknown().nullable(),
  agents: z.record(z.string(), z.number()),
  costUsd: z.number(),
  agentList: z.array(z.record(z.string(), z.unknown())).optional(),
  logs: z.array(z.string()).optional(),
};

export async function statusTool({ run }: { run: string }, clients: ClientHolder) {
  const client = await clients.get();
  const workflowId = await workflowIdOf(client, run);
  const { report, runId } = await fetchRunReport(client, workflowId);
  const lines = [...progressLines(report, workflowId)];
  // A model reads this text: a fan-out of hundreds is summarised, the full list is in agentList.
  for (const agent of report.agentList.slice(0, AGENT_LINES)) lines.push(`  ${agent.id} ${agent.state} ${agentTitle(agent)}${agent.error ? ` · ${agent.error}` : ''}`);
  if (report.agentList.length > AGENT_LINES) lines.push(`  (${report.agentList.length - AGENT_LINES} more agents in agentList)`);
  for (const line of report.logs.slice(-10)) lines.push(`  log: ${line}`);
  if (!isLiveStatus(report.status)) lines.push(...endLines(report));
  return toolOk(lines.join('\n'), { ...toSummary(report, { runId, workflowId }), agentList: report.agentList, logs: report.logs });
}

export async function resultTool({ run }: { run: string }, clients: ClientHolder) {
  const client = await clients.get();
  const workflowId = await workflowIdOf(client, run);
  const { report, runId } = await fetchRunReport(client, workflowId);
  const structured = { workflowId, runId, status: report.status, result: report.result ?? null, error: report.error };
  if (isLiveStatus(report.status)) return toolOk(`${workflowId} is still ${report.status}: no result yet. baton_status shows how far it got.`, structured);
  const text = [JSON.stringify(report.result ?? null, null, 2), ...endLines(report)].join('\n');
  return toolOk(text, structured);
}

export async function stopTool({ run }: { run: string }, clients: ClientHolder) {
  const client = await clients.get();
  const workflowId = await workflowIdOf(client, run);
  const answer = await steerRun(client, workflowId, 'stop');
  return toolOk(`${workflowId}: ${answer.message}`, { workflowId, ...answer });
}

export const approveInput = {
  run,
  reject: z.boolean().optional().describe('Answer no: approve() resolves to false.'),
  id: z.string().optional().describe('Answer only if this approval (q1, q2, ...) is the one first in line.'),
};

export async function approveTool(input: { run: string; reject?: boolean; id?: string }, clients: ClientHolder) {
  const client = await clients.get();
  const workflowId = await workflowIdOf(client, input.run);
  const answer = await answerApproval(client, workflowId, input.reject !== true, input.id);
  return toolOk(`${workflowId}: ${answer.message}`, { workflowId, ...answer });
}

export const steerOutput = { workflowId: z.string(), status: z.string(), message: z.string() };

export const listInput = {
  limit: z.number().int().min(1).max(1000).optional().describe('How many runs, newest first (default 20).'),
  query: z.string().optional().describe(`A Temporal visibility filter, e.g. 'BatonStatus = "failed"'.`),
};

export async function listTool(input: { limit?: number; query?: string }, clients: ClientHolder) {
  const client = await clients.get();
  const runs = await listRuns(client, { limit: input.limit ?? 20, query: input.query });
  const text = runs.length === 0 ? 'no runs yet; start one with baton_run' : runs.map((r) => `${r.workflowId}  ${r.name}  ${r.status}  ${r.agents} agents  $${r.costUsd.toFixed(4)}  ${r.startTime}`).join('\n');
  return toolOk(text, { runs });
}

export const listOutput = { runs: z.array(z.record(z.string(), z.unknown())) };
