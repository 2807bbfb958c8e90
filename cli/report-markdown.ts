// `baton report RUN`: the run as markdown a person reads in the morning: how it ended and why,
// how long and how much (by phase and by model), the agents by state, every failed or stopped
// agent with its cause, the branches it left, the approvals and who gave them, and its log.
import { agentTitle } from '../contract/agent-title.js';
import type { AgentState, AgentView, RunReport } from '../contract/run-types.js';
import { approvalOutcome } from './approval-lines.js';
import { formatDuration, formatTokens, usageTotal } from './format.js';
import { scoresTable } from './score-lines.js';

const STATES: AgentState[] = ['succeeded', 'cached', 'failed', 'stopped', 'running', 'pending'];

export function reportMarkdown(report: RunReport, workflowId: string, now = Date.now()): string {
  const lines: string[] = [`# ${report.name}: ${outcome(report)}`, '', `> ${report.description}`, ''];
  const ended = report.endedAt ?? now;
  lines.push(
    `- **Run**: \`${workflowId}\``,
    `- **Started**: ${iso(report.startedAt)}${report.endedAt ? ` · **ended** ${iso(report.endedAt)}` : ' · still going'} · **took** ${formatDuration(ended - report.startedAt)}`,
    `- **Spent**: ${formatTokens(usageTotal(report.tokens))} tokens, $${report.costUsd.toFixed(4)}` +
      (report.budget.maxCostUsd !== null ? ` (cap $${report.budget.maxCostUsd})` : '') +
      (report.budget.totalTokens !== null ? ` (output budget ${formatTokens(report.budget.spentTokens)}/${formatTokens(report.budget.totalTokens)})` : ''),
    `- **Agents**: ${
      STATES.filter((s) => report.agents[s] > 0)
        .map((s) => `${report.agents[s]} ${s}`)
        .join(', ') || 'none'
    }`,
  );
  if (report.repo)
    lines.push(`- **Repository**: ${report.repo.url} at \`${report.repo.commit.slice(0, 12)}\`${report.repo.ref ? ` (${report.repo.ref})` : ''}`);
  if (report.error) {
    const where = report.error.line ? ` (${report.error.file ?? 'script'} line ${report.error.line})` : '';
    lines.push('', `**Why**: ${report.error.type}: ${report.error.message}${where}`);
  }

  // What the run was worth: each score, and what a point of it cost (docs/scores.md).
  if (report.scores?.length) lines.push('', '## Scores', '', ...scoresTable(report.scores, report.costUsd));

  if (report.phases.length > 0) {
    lines.push('', '## Phases', '', '| Phase | Agents | States | Tokens | Cost | Time |', '|---|--:|---|--:|--:|--:|');
    for (const phase of report.phases) {
      const states = Object.entries(phase.byState)
        .map(([state, n]) => `${n} ${state}`)
        .join(', ');
      lines.push(
        `| ${cell(phase.title)} | ${phase.agents} | ${states} | ${formatTokens(phase.tokens)} | $${phase.costUsd.toFixed(4)} | ${formatDuration(phase.elapsedMs)} |`,
      );
    }
  }

  const byModel = costByModel(report.agentList);
  if (byModel.length > 0) {
    lines.push('', '## Cost by model', '', '| Model | Agents | Tokens | Cost |', '|---|--:|--:|--:|');
    for (const row of byModel) lines.push(`| ${row.model} | ${row.agents} | ${formatTokens(row.tokens)} | $${row.cost.toFixed(4)} |`);
  }

  const troubled = report.agentList.filter((agent) => agent.state === 'failed' || agent.state === 'stopped');
  if (troubled.length > 0) {
    lines.push('', '## Failed and stopped agents', '');
    for (const agent of troubled) {
      lines.push(`- **${agent.id}** ${cell(agentTitle(agent))} (${agent.model}): ${agent.state}: ${agent.error ?? causeOfStop(report)}`);
    }
  }

  const branches = report.agentList.filter((agent) => agent.branch);
  if (branches.length > 0) {
    lines.push('', '## Branches', '');
    for (const agent of branches) lines.push(`- \`${agent.branch}\` (${agent.id}, ${cell(agentTitle(agent))})${report.repo ? ` on ${report.repo.url}` : ''}`);
  }

  if (report.approvals && report.approvals.length > 0) {
    lines.push('', '## Approvals', '');
    for (const approval of report.approvals) lines.push(`- **${approval.id}** ${JSON.stringify(approval.message)}: ${approvalOutcome(approval)}`);
  }

  if (report.logs.length > 0) {
    lines.push('', '## Log', '', '```', ...report.logs, '```');
  }
  return `${lines.join('\n')}\n`;
}

/** The headline: how the run ended, in a few words. */
function outcome(report: RunReport): string {
  const { failed, total } = report.agents;
  switch (report.status) {
    case 'completed':
      return failed > 0 ? `completed, but ${failed} of ${total} agents failed` : `completed, all ${total} agents succeeded`;
    case 'waiting':
      return 'waiting for an approval';
    case 'budget_exhausted':
      return 'stopped at its budget';
    default:
      return report.status;
  }
}

function causeOfStop(report: RunReport): string {
  if (report.status === 'stopped') return 'the run was stopped';
  if (report.status === 'budget_exhausted') return 'the run reached its budget';
  return report.error ? `the run ended (${report.error.type})` : 'the script ended before this agent did (its call was not awaited)';
}

function costByModel(agents: AgentView[]): Array<{ model: string; agents: number; tokens: number; cost: number }> {
  const rows = new Map<string, { model: string; agents: number; tokens: number; cost: number }>();
  for (const agent of agents) {
    const row = rows.get(agent.model) ?? { model: agent.model, agents: 0, tokens: 0, cost: 0 };
    row.agents++;
    row.tokens += usageTotal(agent.tokens);
    row.cost += agent.costUsd ?? 0;
    rows.set(agent.model, row);
  }
  return [...rows.values()].sort((a, b) => b.cost - a.cost || b.tokens - a.tokens);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
