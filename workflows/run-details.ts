// What a run shows ops in the Temporal UI (docs/runs.md#in-the-temporal-ui): the workflow's current details, a
// markdown phase table, and the values of Baton's search attributes. Pure functions of a
// RunReport, so the workflow, the CLI and unit tests agree on them.
import type { AgentState, AgentView, RunOverview } from '../contract/run-types.js';
import { agentTitle } from '../contract/agent-title.js';
import { totalTokens } from '../contract/pricing.js';
import { SEARCHABLE_SCORE, scoreText } from '../contract/score-types.js';

/** BatonStatus of a dry run, whatever its state. */
export const DRY_RUN_STATUS = 'dry_run';

/** The values of Baton's search attributes (stack/dev-server.ts registers them) for a report. */
export interface RunSearchValues {
  BatonScript: string;
  BatonStatus: string;
  /** The phase the script is in, or null before its first phase(). */
  BatonPhase: string | null;
  BatonAgents: number;
  BatonTokens: number;
  BatonCostUsd: number;
  /** The score named `score`, or null; none is upserted before the script gives one. */
  BatonScore: number | null;
  /** The names of the run's scores, or null before the first. */
  BatonScores: string[] | null;
}

export function runSearchValues(report: RunOverview, currentPhase: string | null, dryRun = false): RunSearchValues {
  return {
    BatonScript: report.name,
    // A dry run (`baton check --dry-run`) must not pass for a real one in `baton ls` or the UI.
    BatonStatus: dryRun ? DRY_RUN_STATUS : report.status,
    BatonPhase: currentPhase,
    BatonAgents: report.agents.total,
    BatonTokens: totalTokens(report.tokens),
    // A millionth of a dollar is noise in a filter, and float dust must not count as a change.
    BatonCostUsd: Math.round(report.costUsd * 1_000_000) / 1_000_000,
    BatonScore: report.scores?.find((score) => score.name === SEARCHABLE_SCORE)?.value ?? null,
    BatonScores: report.scores?.length ? report.scores.map((score) => score.name) : null,
  };
}

const STATE_COLUMNS: Array<[AgentState, string]> = [
  ['pending', 'Pending'],
  ['running', 'Running'],
  ['succeeded', 'Done'],
  ['cached', 'Cached'],
  ['failed', 'Failed'],
  ['stopped', 'Stopped'],
];

/** Running agents the details list (the first, in call order): the rest are counted. */
const RUNNING_ROWS = 20;

/** The run's details for the Temporal UI: a status line, the phase table and the running agents, in markdown. */
export function runDetailsMarkdown(report: RunOverview, running: AgentView[] = []): string {
  const a = report.agents;
  const lines = [
    `**${escapeCell(report.name)}** · ${report.status} · ${a.succeeded + a.cached}/${a.total} agents done` +
      (a.failed ? ` · **${a.failed} failed**` : '') +
      ` · ${totalTokens(report.tokens)} tokens · $${report.costUsd.toFixed(4)}`,
  ];
  if (report.phases.length > 0) {
    lines.push(
      '',
      `| Phase | Agents | ${STATE_COLUMNS.map(([, title]) => title).join(' | ')} | Tokens | Cost | Elapsed |`,
      `|---|--:|${STATE_COLUMNS.map(() => '--:').join('|')}|--:|--:|--:|`,
      ...report.phases.map(
        (phase) =>
          `| ${escapeCell(phase.title)} | ${phase.agents} | ${STATE_COLUMNS.map(([state]) => phase.byState[state] ?? 0).join(' | ')} | ` +
          `${phase.tokens} | $${phase.costUsd.toFixed(4)} | ${Math.round(phase.elapsedMs / 1000)}s |`,
      ),
    );
  }
  if (report.scores?.length) lines.push('', `Scores: ${report.scores.map((score) => `${escapeCell(score.name)} ${scoreText(score)}`).join(' · ')}`);
  if (report.pausedReason) lines.push('', `Paused: ${escapeCell(report.pausedReason)}`);
  // approve(): what the run asks, and how to answer, for whoever opens the run in the UI.
  const waiting = (report.approvals ?? []).filter((approval) => approval.state === 'waiting');
  if (waiting.length > 0) {
    lines.push(
      '',
      ...waiting.map((approval) => `**Waiting for approval ${approval.id}**: ${escapeCell(approval.message)} (answer: \`baton approve RUN [--reject]\`)`),
    );
  }
  if (running.length > 0) lines.push('', ...runningTable(running, report.endedAt ?? Date.now()));
  if (report.error) lines.push('', `Error: ${report.error.type}: ${report.error.message}`);
  // docs/script-language.md#globals: a null from parallel()/pipeline() must not hide the error behind it.
  if (report.nulled?.length) lines.push('', '**Became null** (parallel()/pipeline()):', ...report.nulled.map((line) => `- ${escapeCell(line)}`));
  return lines.join('\n');
}

/** What each running agent did last and how long ago, so ops tell a busy agent from a hung one. */
function runningTable(running: AgentView[], now: number): string[] {
  const rows = running.slice(0, RUNNING_ROWS).map((agent) => {
    const since = agent.lastProgressAt ? `${Math.max(0, Math.round((now - agent.lastProgressAt) / 1000))}s ago` : '';
    const state = agent.stalled ? ' (stalled)' : '';
    return `| ${agent.id} | ${escapeCell(agentTitle(agent))}${state} | ${agent.turns} | ${totalTokens(agent.tokens)} | $${(agent.costUsd ?? 0).toFixed(4)} | ${escapeCell(agent.lastToolCall ?? '')} | ${since} |`;
  });
  const more = running.length > RUNNING_ROWS ? [``, `(${running.length - RUNNING_ROWS} more running)`] : [];
  return ['| Running | Agent | Turns | Tokens | Cost | Last tool call | Last progress |', '|---|---|--:|--:|--:|---|--:|', ...rows, ...more];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
