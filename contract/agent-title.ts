// How an agent is named wherever it is shown (status, the watch view, the Temporal UI): its
// label, after the nested workflow that started it when one did (`triage › review a.ts`).
import type { AgentView } from './run-types.js';

export function agentTitle(agent: Pick<AgentView, 'label' | 'workflow'>): string {
  return agent.workflow === undefined ? agent.label : `${agent.workflow} › ${agent.label}`;
}
