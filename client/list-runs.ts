// Recent runs, from Temporal's visibility store: Baton's search attributes say what each run
// is and how far it got, without asking any worker.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { BATON_AGENTS, BATON_COST_USD, BATON_PHASE, BATON_RUNS_QUERY, BATON_SCRIPT, BATON_STATUS, BATON_TOKENS } from '../workflows/search-attributes.js';
import { costPerPoint } from '../contract/cost-per-point.js';
import { SCORES_MEMO } from '../contract/score-memo.js';
import type { ScoreRecords } from './score-records.js';

/** One line of `baton ls` (its `--json` items). */
export interface RunListing {
  workflowId: string;
  runId: string;
  name: string;
  /** Baton's status; for a run ended from outside Baton (terminated, timed out), Temporal's. */
  status: string;
  phase: string | null;
  agents: number;
  tokens: number;
  costUsd: number;
  startTime: string;
  closeTime: string | null;
  /** The run's scores by name: the script's and `baton score`'s while it ran (its memo), with `--sort cost-per` those given after it ended too. */
  scores: Record<string, number>;
}

export async function listRuns(client: Client, options: { limit: number; query?: string }): Promise<RunListing[]> {
  const query = options.query ? `(${BATON_RUNS_QUERY}) AND (${options.query})` : BATON_RUNS_QUERY;
  const runs: RunListing[] = [];
  for await (const info of client.workflow.list({ query, pageSize: Math.min(options.limit, 1000) })) {
    runs.push(toListing(info));
    if (runs.length >= options.limit) break;
  }
  return runs.sort((a, b) => b.startTime.localeCompare(a.startTime));
}

function toListing(info: WorkflowExecutionInfo): RunListing {
  const attributes = info.typedSearchAttributes;
  const batonStatus = attributes.get(BATON_STATUS);
  const temporalStatus = info.status.name;
  // Visibility lags the run a little, and a terminated run never tells Baton it ended.
  const endedOutside =
    temporalStatus !== 'RUNNING' && (batonStatus === undefined || batonStatus === 'running' || batonStatus === 'paused' || batonStatus === 'waiting');
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    name: attributes.get(BATON_SCRIPT) ?? info.type,
    status: endedOutside ? temporalStatus.toLowerCase() : (batonStatus ?? 'running'),
    phase: attributes.get(BATON_PHASE) ?? null,
    agents: attributes.get(BATON_AGENTS) ?? 0,
    tokens: attributes.get(BATON_TOKENS) ?? 0,
    costUsd: attributes.get(BATON_COST_USD) ?? 0,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime ? info.closeTime.toISOString() : null,
    scores: { ...((info.memo?.[SCORES_MEMO] as Record<string, number> | undefined) ?? {}) },
  };
}

/**
 * `baton ls --sort cost-per:NAME`: the cheapest point of score NAME first; runs without the score,
 * or with no points of it, last. Scores given after a run ended are read from `records`.
 */
export async function sortByCostPerPoint(runs: RunListing[], name: string, records: ScoreRecords): Promise<RunListing[]> {
  for (const run of runs) {
    for (const score of await records.read(run.workflowId)) run.scores[score.name] = score.value;
  }
  const per = (run: RunListing) => (run.scores[name] === undefined ? null : costPerPoint(run.costUsd, run.scores[name]));
  return [...runs].sort((a, b) => {
    const x = per(a);
    const y = per(b);
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    return x - y;
  });
}
