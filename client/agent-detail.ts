// One agent of a run in full (`baton agent RUN ID`): asked of the run itself, which keeps each
// agent's whole prompt, recent tool calls and result.
import type { Client } from '@temporalio/client';
import type { AgentDetail } from '../contract/run-types.js';
import { batonAgentQuery } from '../contract/run-messages.js';
import { closedRunReport } from './run-report.js';

// A closed run answers a query only through a worker replaying its history; without one the
// server would hold the query until its own timeout.
const CLOSED_RUN_QUERY_MS = 5000;

export interface AgentAnswer extends AgentDetail {
  /** True when only the run's final report answered: no whole prompt, tool calls or result. */
  partial: boolean;
}

/** The agent's detail, or null when the run has no such agent. */
export async function fetchAgentDetail(client: Client, workflowId: string, agentId: string): Promise<AgentAnswer | null> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  if (description.status.name === 'RUNNING') {
    const detail = await handle.query(batonAgentQuery, agentId);
    return detail ? { ...detail, partial: false } : null;
  }
  try {
    const detail = await client.connection.withDeadline(Date.now() + CLOSED_RUN_QUERY_MS, () => handle.query(batonAgentQuery, agentId));
    return detail ? { ...detail, partial: false } : null;
  } catch {
    const report = await closedRunReport(handle).catch(() => null);
    const agent = report?.agentList.find((a) => a.id === agentId);
    if (!agent) return null;
    return { agent, prompt: agent.prompt ?? '', result: null, recentToolCalls: agent.lastToolCall ? [agent.lastToolCall] : [], partial: true };
  }
}
