import { approvalLines } from './approval-lines.js';
import { agentTitle } from '../contract/agent-title.js';
import type { AgentView, PhaseView, RunReport, TokenUsage } from '../contract/run-types.js';
import { reuseLines } from './reuse-lines.js';

export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)}k`;
  return String(n);
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function usageTotal(usage: TokenUsage): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
}

export function phaseLine(phase: PhaseView): string {
  const states = Object.entries(phase.byState)
    .filter(([, count]) => count)
    .map(([state, count]) => `${count} ${state}`)
    .join(', ');
  return `  ${phase.title.padEnd(20)} ${String(phase.agents).padStart(4)} agents  ${states.padEnd(36)} ${formatTokens(phase.tokens).padStart(7)} tok  ${formatDuration(phase.elapsedMs)}`;
}

/**
 * What a running agent is doing, for ops telling a busy agent from a hung one: its cost, how long
 * since its last turn, and its stalls. Empty for an agent that is not running.
 */
export function liveNote(agent: AgentView, now = Date.now()): string {
  if (agent.state !== 'running') return '';
  const parts = [agent.unpriced ? `unpriced (${agent.model})` : `$${(agent.costUsd ?? 0).toFixed(4)}`];
  if (agent.lastProgressAt) parts.push(`last progress ${formatDuration(Math.max(0, now - agent.lastProgressAt))} ago`);
  if (agent.stalled) parts.push('STALLED');
  if (agent.stalls) parts.push(`${agent.stalls} stall${agent.stalls === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** `$0.0123`, or `$0.0123 + unpriced (claude-x-1)` when some agents' models have no price. */
export function costText(report: Pick<RunReport, 'costUsd' | 'unpricedModels'>): string {
  const unpriced = report.unpricedModels?.length ? ` + unpriced (${report.unpricedModels.join(', ')})` : '';
  return `$${report.costUsd.toFixed(4)}${unpriced}`;
}

/** The lines of a run's progress, as `baton run` shows them while following. */
export function progressLines(report: RunReport, workflowId?: string): string[] {
  const a = report.agents;
  const lines = [
    `${report.name} · ${report.status} · agents ${a.succeeded + a.cached}/${a.total} done, ${a.running} running, ${a.failed} failed · ` +
      `${formatTokens(usageTotal(report.tokens))} tokens · ${costText(report)}`,
    ...report.phases.map(phaseLine),
  ];
  if (report.pausedReason) lines.push(`  paused: ${report.pausedReason}`);
  lines.push(...approvalLines(report, workflowId));
  return lines;
}

/**
 * The script's log() lines a follower has not shown yet, given that it has shown `seen`; `logTotal`
 * counts every line of the run and `logs` holds the newest (runs from before logTotal: none).
 */
export function newLogLines(report: RunReport, seen: number): string[] {
  const total = report.logTotal ?? seen;
  const fresh = Math.min(Math.max(0, total - seen), report.logs.length);
  return fresh === 0 ? [] : report.logs.slice(report.logs.length - fresh);
}

/** The closing lines: loud when agents failed (docs/runs.md#statuses: a run with failures is not a quiet success). */
export function endLines(report: RunReport): string[] {
  const lines: string[] = [...reuseLines(report)];
  if (report.error) {
    const where = report.error.line ? ` (line ${report.error.line}${report.error.column ? `:${report.error.column}` : ''})` : '';
    lines.push(`✗ run ${report.status}: ${report.error.type}: ${report.error.message}${where}`);
  }
  if (report.agents.failed > 0) {
    const { failed, total } = report.agents;
    const how = report.status === 'completed' ? 'completed, but ' : '';
    lines.push(`✗ ${how}${failed === total ? `all ${total}` : `${failed} of ${total}`} agents failed (first error of each kind):`);
    for (const [kind, first] of firstErrorOfEachKind(report)) lines.push(`    ${kind}: ${first}`);
  } else if (report.status === 'completed') {
    const cached = report.agents.cached > 0 ? ` (${report.agents.cached} reused from an earlier run)` : '';
    lines.push(`✓ completed: ${report.agents.total} agents${cached}, ${formatTokens(usageTotal(report.tokens))} tokens, ${costText(report)}`);
  }
  const branches = report.agentList.filter((agent) => agent.branch);
  if (branches.length > 0) {
    const where = report.repo ? ` on ${report.repo.url}` : '';
    lines.push(`⎇ ${branches.length} branch${branches.length === 1 ? '' : 'es'}${where}: ${branches.map((agent) => agent.branch).join(', ')}`);
  }
  if (report.agents.stopped > 0) {
    lines.push(`■ ${report.agents.stopped} of ${report.agents.total} agents stopped; ${report.agents.succeeded} succeeded and their results are kept`);
  }
  return lines;
}

function firstErrorOfEachKind(report: RunReport): Map<string, string> {
  const firsts = new Map<string, string>();
  for (const agent of report.agentList) {
    if (agent.state !== 'failed' || !agent.error) continue;
    const kind = agent.error.split(':')[0];
    if (!firsts.has(kind)) firsts.set(kind, `${agent.id} (${agentTitle(agent)}): ${agent.error}`);
  }
  return firsts;
}
