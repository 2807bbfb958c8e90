// `baton compare` for a person: the two runs' headline figures side by side, then what differs.
import { basename } from 'node:path';
import type { Pair, RunComparison } from '../client/run-comparison.js';
import { scoreText } from '../contract/score-types.js';
import { formatDuration, formatTokens } from './format.js';

export function comparisonText(c: RunComparison): string {
  // Rows are laid out at the end, so the columns fit their widest label and A cell (a script's path, a model's id).
  const lines: Array<string | [string, string, string]> = [];
  const row = (label: string, a: string, b: string) => lines.push([label, a, b]);
  lines.push(`compare ${c.a.workflowId} (A) with ${c.b.workflowId} (B)`, '');
  row('', 'A', 'B');
  row('run', c.a.workflowId, c.b.workflowId);
  // The file's name only: its path is in --json, and would push column B off the screen.
  row('script', `${c.a.name} (${c.a.script === null ? '?' : basename(c.a.script)})`, `${c.b.name} (${c.b.script === null ? '?' : basename(c.b.script)})`);
  row('status', c.a.status, c.b.status);
  row('model', c.a.model ?? '?', c.b.model ?? '?');
  row('agents', agentsText(c.a.agents), agentsText(c.b.agents));
  row('tokens', formatTokens(c.a.tokens), formatTokens(c.b.tokens));
  row('cost', `$${c.a.costUsd.toFixed(4)}`, `$${c.b.costUsd.toFixed(4)}`);
  row(
    'duration',
    c.a.durationMs === null ? 'still going' : formatDuration(c.a.durationMs),
    c.b.durationMs === null ? 'still going' : formatDuration(c.b.durationMs),
  );
  for (const score of c.scores) row(`score ${score.name}`, scoreCell(score.a), scoreCell(score.b));

  lines.push('', c.args.same ? `args: the same (${JSON.stringify(c.args.a)})` : `args:\n  A ${JSON.stringify(c.args.a)}\n  B ${JSON.stringify(c.args.b)}`);
  lines.push('', c.script.same ? 'script: the same source' : `script:\n${c.script.diff}`);

  if (c.phases.length > 0) {
    lines.push('', 'by phase (agents by state · tokens · cost · time):');
    for (const phase of c.phases) row(`  ${phase.title}`, phaseCell(phase.a), phaseCell(phase.b));
  }
  if (c.models.length > 0) {
    lines.push('', 'by model (agents · tokens · cost):');
    for (const model of c.models) row(`  ${model.model}`, spendCell(model.a), spendCell(model.b));
  }
  const failed = (label: string, list: RunComparison['failures']['a'], error: string | null) => {
    if (list.length === 0 && error === null) return;
    lines.push(`  ${label}:`);
    if (error) lines.push(`    the run: ${error}`);
    for (const f of list) lines.push(`    ${f.agentId} ${f.label} ${f.state}: ${f.cause}`);
  };
  if (c.failures.a.length + c.failures.b.length > 0 || c.failures.aError || c.failures.bError) {
    lines.push('', 'failures:');
    failed('A', c.failures.a, c.failures.aError);
    failed('B', c.failures.b, c.failures.bError);
  }
  if (c.reuse) {
    const run = c.reuse.run.toUpperCase();
    lines.push('', `reused: ${run} took ${c.reuse.reused.length} of ${c.reuse.report.offered} calls from ${c.reuse.from} (${c.reuse.report.mode})`);
    for (const call of c.reuse.reused) lines.push(`  ${call.agentId} ${call.label}`);
    if (c.reuse.report.firstMiss)
      lines.push(`  first live call: ${c.reuse.report.firstMiss.agentId} ${c.reuse.report.firstMiss.label}: ${c.reuse.report.firstMiss.reason}`);
  }
  lines.push(
    '',
    c.result.same
      ? 'result: the same'
      : `result: ${c.result.changes.length}${c.result.truncated ? '+' : ''} difference${c.result.changes.length === 1 ? '' : 's'}`,
  );
  for (const change of c.result.changes) {
    if (change.kind === 'added') lines.push(`  + ${change.path}: ${short(change.b)}`);
    else if (change.kind === 'removed') lines.push(`  - ${change.path}: ${short(change.a)}`);
    else lines.push(`  ~ ${change.path}: ${short(change.a)} → ${short(change.b)}`);
  }
  const rows = lines.filter((line): line is [string, string, string] => typeof line !== 'string');
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const width = Math.max(...rows.map(([, a]) => a.length)) + 2;
  return `${lines.map((line) => (typeof line === 'string' ? line : `  ${line[0].padEnd(labelWidth)}${line[1].padEnd(width)}${line[2]}`)).join('\n')}\n`;
}

function agentsText(a: RunComparison['a']['agents']): string {
  const rest = (['cached', 'failed', 'stopped'] as const).filter((s) => a[s] > 0).map((s) => `${a[s]} ${s}`);
  return `${a.total} (${[`${a.succeeded} ok`, ...rest].join(', ')})`;
}

function scoreCell(score: RunComparison['scores'][number]['a']): string {
  if (!score) return '-';
  const per = score.costPerPoint === null ? 'no points' : `$${score.costPerPoint.toFixed(4)}/pt`;
  return `${scoreText(score)} (${per})`;
}

function phaseCell(p: RunComparison['phases'][number]['a']): string {
  if (!p) return '-';
  const states = Object.entries(p.byState)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return `${states || '0'} · ${formatTokens(p.tokens)} · $${p.costUsd.toFixed(4)} · ${formatDuration(p.elapsedMs)}`;
}

function spendCell(p: Pair<{ agents: number; tokens: number; costUsd: number }>['a']): string {
  return p ? `${p.agents} · ${formatTokens(p.tokens)} · $${p.costUsd.toFixed(4)}` : '-';
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
