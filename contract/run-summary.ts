// The run's `--json` summary (docs/cli.md#json-output), built from a report anywhere: the CLI prints it, and the
// interpreter posts it to `--notify` URLs. Pure, so the workflow sandbox can import it.
import type { RunReport, RunStatus } from './run-types.js';

/** What `baton run --json` and `baton status --json` print (docs/cli.md#json-output). */
export interface RunSummary extends Omit<RunReport, 'agentList'> {
  runId: string;
  workflowId: string;
  /** The branches agents left their work on (`isolation: 'worktree'`, or pushed with `--repo`). */
  branches: Array<{ agentId: string; label: string; branch: string }>;
}

export function runSummary(report: RunReport, ids: { runId: string; workflowId: string }): RunSummary {
  const { agentList, ...rest } = report;
  const branches = agentList.flatMap((agent) => (agent.branch ? [{ agentId: agent.id, label: agent.label, branch: agent.branch }] : []));
  return { runId: ids.runId, workflowId: ids.workflowId, ...rest, branches };
}

/** True while the run may still change: running, paused, or waiting at approve(). */
export function isLiveStatus(status: RunStatus): boolean {
  return status === 'running' || status === 'paused' || status === 'waiting';
}
