// `baton compare RUN_A RUN_B`: two runs side by side, as a pure function of what each run
// recorded (its report and its input), so the CLI, `--variant` and unit tests agree on it.
import { basename } from 'node:path';
import type { ReuseReport } from '../contract/call-journal.js';
import { costPerPoint } from '../contract/cost-per-point.js';
import { totalTokens } from '../contract/pricing.js';
import type { AgentState, RunInput, RunReport } from '../contract/run-types.js';
import type { ScoreView } from '../contract/score-types.js';
import { diffValues, type ValueChange } from './result-diff.js';
import { unifiedDiff } from './text-diff.js';

/** One run as compare reads it: its report (with outside scores merged) and the input it started with. */
export interface ComparedRun {
  workflowId: string;
  report: RunReport;
  /** Absent when the run's input cannot be read (then its script and args are unknown). */
  input?: RunInput;
}

/** The same figure of each run: `a` for RUN_A, `b` for RUN_B, null where that run has none. */
export interface Pair<T> {
  a: T | null;
  b: T | null;
}

export interface SpendRow {
  agents: number;
  tokens: number;
  costUsd: number;
}

export interface RunSide {
  workflowId: string;
  name: string;
  status: string;
  script: string | null;
  model: string | null;
  durationMs: number | null;
  agents: RunReport['agents'];
  tokens: number;
  costUsd: number;
}

export interface Failure {
  agentId: string;
  label: string;
  state: AgentState;
  cause: string;
}

export interface RunComparison {
  a: RunSide;
  b: RunSide;
  script: { same: boolean; diff: string | null };
  args: { same: boolean; a: unknown; b: unknown };
  phases: Array<{ title: string } & Pair<SpendRow & { byState: Partial<Record<AgentState, number>>; elapsedMs: number }>>;
  models: Array<{ model: string } & Pair<SpendRow>>;
  failures: { a: Failure[]; b: Failure[]; aError: string | null; bError: string | null };
  scores: Array<{ name: string } & Pair<{ value: number; kind: ScoreView['kind']; costPerPoint: number | null; by: string }>>;
  result: { same: boolean; changes: ValueChange[]; truncated: boolean };
  /** With `--resume-from` or `baton rerun` of one from the other: the calls the later run reused. */
  reuse: { run: 'a' | 'b'; from: string; reused: Array<{ agentId: string; label: string }>; report: ReuseReport } | null;
}

export function compareRuns(a: ComparedRun, b: ComparedRun): RunComparison {
  const sourceA = a.input?.script.source ?? a.input?.script.program ?? '';
  const sourceB = b.input?.script.source ?? b.input?.script.program ?? '';
  const script = unifiedDiff(sourceA, sourceB, {
    a: `a/${basename(a.input?.script.fileName ?? 'script')}`,
    b: `b/${basename(b.input?.script.fileName ?? 'script')}`,
  });
  const result = diffValues(a.report.result, b.report.result);
  return {
    a: side(a),
    b: side(b),
    script: { same: script === null, diff: script },
    args: { same: JSON.stringify(a.input?.args) === JSON.stringify(b.input?.args), a: a.input?.args ?? null, b: b.input?.args ?? null },
    phases: union(
      a.report.phases.map((p) => p.title),
      b.report.phases.map((p) => p.title),
    ).map((title) => {
      const row = (report: RunReport) => {
        const phase = report.phases.find((p) => p.title === title);
        return phase ? { agents: phase.agents, tokens: phase.tokens, costUsd: phase.costUsd, byState: phase.byState, elapsedMs: phase.elapsedMs } : null;
      };
      return { title, a: row(a.report), b: row(b.report) };
    }),
    models: union(
      a.report.agentList.map((x) => x.model),
      b.report.agentList.map((x) => x.model),
    ).map((model) => ({ model, a: spendOf(a.report, model), b: spendOf(b.report, model) })),
    failures: { a: failures(a.report), b: failures(b.report), aError: errorText(a.report), bError: errorText(b.report) },
    scores: union(
      (a.report.scores ?? []).map((s) => s.name),
      (b.report.scores ?? []).map((s) => s.name),
    ).map((name) => ({
      name,
      a: scoreOf(a.report, name),
      b: scoreOf(b.report, name),
    })),
    result: { same: result.changes.length === 0, ...result },
    reuse: reuseOf(a, b, 'b') ?? reuseOf(b, a, 'a'),
  };
}

function side(run: ComparedRun): RunSide {
  const { report } = run;
  return {
    workflowId: run.workflowId,
    name: report.name,
    status: report.status,
    script: run.input?.script.fileName ?? null,
    model: run.input?.options.model ?? null,
    durationMs: report.endedAt === null ? null : report.endedAt - report.startedAt,
    agents: report.agents,
    tokens: totalTokens(report.tokens),
    costUsd: report.costUsd,
  };
}

function spendOf(report: RunReport, model: string): SpendRow | null {
  const agents = report.agentList.filter((agent) => agent.model === model);
  if (agents.length === 0) return null;
  return {
    agents: agents.length,
    tokens: agents.reduce((sum, x) => sum + totalTokens(x.tokens), 0),
    costUsd: agents.reduce((sum, x) => sum + (x.costUsd ?? 0), 0),
  };
}

function failures(report: RunReport): Failure[] {
  return report.agentList
    .filter((agent) => agent.state === 'failed' || agent.state === 'stopped')
    .map((agent) => ({ agentId: agent.id, label: agent.label, state: agent.state, cause: agent.error ?? (agent.state === 'stopped' ? 'stopped' : 'failed') }));
}

function errorText(report: RunReport): string | null {
  if (!report.error) return null;
  return `${report.error.type}: ${report.error.message}${report.error.line ? ` (line ${report.error.line})` : ''}`;
}

function scoreOf(report: RunReport, name: string): { value: number; kind: ScoreView['kind']; costPerPoint: number | null; by: string } | null {
  const score = report.scores?.find((s) => s.name === name);
  return score ? { value: score.value, kind: score.kind, costPerPoint: costPerPoint(report.costUsd, score.value), by: score.by } : null;
}

/** When `later` was resumed or rerun from `earlier`: the calls it took from it. */
function reuseOf(earlier: ComparedRun, later: ComparedRun, which: 'a' | 'b'): RunComparison['reuse'] {
  const reuse = later.report.reuse;
  if (!reuse || reuse.fromRunId !== earlier.workflowId) return null;
  const reused = later.report.agentList.filter((agent) => agent.state === 'cached').map((agent) => ({ agentId: agent.id, label: agent.label }));
  return { run: which, from: earlier.workflowId, reused, report: reuse };
}

/** The names of both lists, each once, in first-seen order (a's first). */
function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
