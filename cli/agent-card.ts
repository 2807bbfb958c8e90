// One agent in full, as `baton agent RUN ID` and the watch view's detail pane show it.
import type { AgentAnswer } from '../client/agent-detail.js';
import { agentTitle } from '../contract/agent-title.js';
import type { AgentView } from '../contract/run-types.js';
import { formatDuration, formatTokens, liveNote, usageTotal } from './format.js';

/** `a3 · Verify · verify: off-by-one · claude-haiku-5-5 · succeeded · 1.2k tok · 2 turns` */
export function agentHeadline(agent: AgentView): string {
  const elapsed = agent.startedAt !== null ? ` · ${formatDuration((agent.endedAt ?? Date.now()) - agent.startedAt)}` : '';
  const restarts = agent.restarts ? ` · restarted ${agent.restarts}x` : '';
  const live = liveNote(agent);
  const cost = !live && agent.costUsd !== undefined ? ` · $${agent.costUsd.toFixed(4)}` : '';
  return (
    `${agent.id} · ${agent.phase ?? 'no phase'} · ${agentTitle(agent)} · ${agent.model} · ${agent.state} · ` +
    `${formatTokens(usageTotal(agent.tokens))} tok · ${agent.turns} turns${elapsed}${restarts}${cost}${live ? ` · ${live}` : ''}`
  );
}

/** The card's lines; `maxLinesPerPart` cuts long prompts and results (the watch view's pane). */
export function agentCardLines(answer: AgentAnswer, maxLinesPerPart = Infinity): string[] {
  const { agent } = answer;
  const t = agent.tokens;
  const lines = [agentHeadline(agent), `usage: ${t.input} input, ${t.output} output, ${t.cacheRead} cache read, ${t.cacheWrite} cache write tokens`];
  if (agent.branch) lines.push(`branch: ${agent.branch}`);
  if (agent.error) lines.push(`error: ${agent.error}`);
  lines.push(...contextLines(agent));
  lines.push('prompt:', ...indent(cut(answer.prompt || '(not kept)', maxLinesPerPart)));
  const calls = answer.recentToolCalls;
  lines.push(`tool calls${calls.length ? ` (last ${calls.length})` : ''}:`);
  if (calls.length > 0) lines.push(...indent(calls));
  else lines.push(agent.state === 'running' || agent.state === 'pending' ? '  (none yet)' : '  (none)');
  if (answer.lastText) lines.push('last text:', ...indent(cut(answer.lastText, maxLinesPerPart)));
  const result =
    answer.result === null || answer.result === undefined ? null : typeof answer.result === 'string' ? answer.result : JSON.stringify(answer.result, null, 2);
  lines.push('result:', ...indent(cut(result ?? (agent.state === 'succeeded' ? 'null' : '(none)'), maxLinesPerPart)));
  if (answer.partial) lines.push("(from the run's final report: start a worker to see the whole prompt, tool calls and result)");
  return lines;
}

/** What the agent's first message carried besides its task (docs/agents.md): files with sizes, the git snapshot, its type's source. */
function contextLines(agent: AgentView): string[] {
  const context = agent.context;
  if (!context) return [];
  const type = context.agentType;
  const lines = type ? [`agent type: ${type.name} (${type.source}${type.path ? ` ${type.path}` : ''})`] : [];
  const files = context.files.map((file) => `${file.path} (${file.kind === 'project' ? '' : `${file.kind}, `}${file.chars} chars)`);
  if (context.git) files.push('git snapshot');
  lines.push(`context: ${files.length > 0 ? files.join(', ') : 'none (no CLAUDE.md, not a git checkout)'}`);
  return lines;
}

function cut(text: string, maxLines: number): string[] {
  const lines = text.split('\n');
  if (lines.length <= maxLines) return lines;
  return [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more lines (baton agent RUN ID shows all)`];
}

function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}
