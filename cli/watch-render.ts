// The screen of `baton status RUN --watch`, modelled on Claude Code's /workflows view: the run's
// line, the phase table, the agents (one selectable), and the keys. Pure: state in, lines out.
import { isLiveStatus } from '../contract/run-summary.js';
import { approvalLines } from './approval-lines.js';
import type { AgentAnswer } from '../client/agent-detail.js';
import { agentTitle } from '../contract/agent-title.js';
import type { AgentView, RunReport } from '../contract/run-types.js';
import { agentCardLines } from './agent-card.js';
import { endLines, formatDuration, formatTokens, liveNote, phaseLine, usageTotal } from './format.js';

/** log() lines the watch view shows (the newest). */
const LOG_LINES = 3;

export interface WatchState {
  workflowId: string;
  report: RunReport | null;
  /** Index into report.agentList, or -1: no agent selected (x then stops the run). */
  selected: number;
  /** The selected agent's detail while its pane is open (enter). */
  detail: AgentAnswer | null;
  /** The last action's outcome, or a prompt (confirm a stop). */
  message: string;
  /** Epoch ms of the last successful refresh. */
  refreshedAt: number | null;
}

const STATE_MARK: Record<AgentView['state'], string> = {
  pending: '·',
  running: '●',
  succeeded: '✓',
  cached: '↺',
  failed: '✗',
  stopped: '■',
};

export function isEnded(report: RunReport | null): boolean {
  return report !== null && !isLiveStatus(report.status);
}

/** The screen's lines, each at most `columns` wide, at most `rows` of them. */
export function watchLines(state: WatchState, size: { columns: number; rows: number }): string[] {
  const { report } = state;
  const head: string[] = [];
  const foot: string[] = [];
  if (!report) {
    head.push(`${state.workflowId} · connecting…`);
  } else {
    const a = report.agents;
    const elapsed = formatDuration((report.endedAt ?? Date.now()) - report.startedAt);
    head.push(
      `${report.name} · ${report.status.toUpperCase()} · ${a.succeeded + a.cached}/${a.total} done, ${a.running} running, ${a.pending} pending, ` +
        `${a.failed} failed, ${a.stopped} stopped · ${formatTokens(usageTotal(report.tokens))} tok · $${report.costUsd.toFixed(4)} · ${elapsed}`,
      `${state.workflowId} · ${report.agentsLeft} agents left under the cap` +
        (report.budget.totalTokens !== null
          ? ` · budget ${formatTokens(report.budget.spentTokens)}/${formatTokens(report.budget.totalTokens)} output tok`
          : '') +
        (report.budget.maxCostUsd !== null ? ` · cost cap $${report.budget.maxCostUsd}` : ''),
      '',
      `  ${'PHASE'.padEnd(20)} ${'AGENTS'.padStart(11)}  ${'STATES'.padEnd(36)} ${'TOKENS'.padStart(11)}  ELAPSED`,
      ...(report.phases.length ? report.phases.map(phaseLine) : ['  (no phases yet)']),
      ...(report.pausedReason ? [`  paused: ${report.pausedReason}`] : []),
      ...approvalLines(report, state.workflowId).map((line, i) => (i === 0 ? `${line.split(' · answer:')[0]} · a approve, n reject` : line)),
      ...report.logs.slice(-LOG_LINES).map((line) => `  log: ${line}`),
      '',
    );
    if (isEnded(report)) foot.push(...endLines(report));
  }
  foot.push(state.message ? `» ${state.message}` : '', keyLine(state));

  const room = Math.max(1, size.rows - head.length - foot.length);
  const body = state.detail ? detailLines(state.detail, room) : agentLines(state, room);
  return [...head, ...body, ...foot].slice(0, size.rows).map((line) => fit(line, size.columns));
}

function keyLine(state: WatchState): string {
  if (state.detail) return 'enter/esc back · p pause/resume · x stop agent · r restart agent · q quit';
  const ended = isEnded(state.report);
  if (ended) return '↑↓ select · enter details · q quit   (the run has ended)';
  const paused = state.report?.status === 'paused';
  const selected = state.selected >= 0;
  return `↑↓ select · enter details · p ${paused ? 'resume' : 'pause'} · x stop ${selected ? 'agent' : 'run'} · ${selected ? 'r restart agent' : 'r restart (select an agent)'} · s save script · q quit`;
}

function agentLines(state: WatchState, room: number): string[] {
  const agents = state.report?.agentList ?? [];
  if (agents.length === 0) return ['  (no agents yet)'];
  const rows = Math.max(1, room - 1);
  // Keep the selection in view: a window of `rows` agents around it.
  const first = Math.min(Math.max(0, state.selected - Math.floor(rows / 2)), Math.max(0, agents.length - rows));
  const shown = agents.slice(first, first + rows);
  const lines = [
    `  AGENTS (${agents.length})${first > 0 ? ` · ${first} above` : ''}${first + rows < agents.length ? ` · ${agents.length - first - rows} below` : ''}`,
  ];
  shown.forEach((agent, i) => lines.push(agentLine(agent, first + i === state.selected)));
  return lines;
}

function agentLine(agent: AgentView, selected: boolean): string {
  const live = liveNote(agent);
  const detail = [agent.error ?? agent.lastToolCall ?? (agent.state === 'pending' ? 'waiting for a slot' : ''), live].filter(Boolean).join(' · ');
  return (
    `${selected ? '>' : ' '} ${STATE_MARK[agent.state]} ${agent.id.padEnd(5)} ${agent.state.padEnd(9)} ${(agent.phase ?? '-').slice(0, 10).padEnd(10)} ` +
    `${agentTitle(agent).slice(0, 24).padEnd(24)} ${agent.model
      .replace(/^claude-/, '')
      .slice(0, 12)
      .padEnd(12)} ${formatTokens(usageTotal(agent.tokens)).padStart(6)} tok ` +
    `${String(agent.turns).padStart(2)}t  ${detail}`
  );
}

function detailLines(detail: AgentAnswer, room: number): string[] {
  const lines = agentCardLines(detail, Math.max(2, Math.floor((room - 8) / 2)));
  return lines.length > room ? [...lines.slice(0, room - 1), '… (baton agent RUN ID shows the whole card)'] : lines;
}

function fit(line: string, columns: number): string {
  return line.length > columns ? `${line.slice(0, Math.max(0, columns - 1))}…` : line;
}
