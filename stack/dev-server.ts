// How Baton starts Temporal's dev server: the search attributes it registers and the dynamic
// config later features rely on. Shared by `baton server`, `baton up` and the test harness.

/** Search attributes Baton sets on each run, so runs can be filtered and sorted in the UI. */
export const BATON_SEARCH_ATTRIBUTES = {
  BatonScript: 'Keyword',
  BatonStatus: 'Keyword',
  BatonPhase: 'Keyword',
  BatonAgents: 'Int',
  BatonTokens: 'Int',
  BatonCostUsd: 'Double',
  // score(): the score named `score`, and the names of every score a run has (docs/scores.md).
  BatonScore: 'Double',
  BatonScores: 'KeywordList',
} as const;

const DYNAMIC_CONFIG: Record<string, unknown> = {
  // Activity pause/reset/update APIs, used to steer a single agent.
  'frontend.activityAPIsEnabled': true,
  // Workflow-level update and user metadata (summaries/details) in the UI.
  'frontend.enableUpdateWorkflowExecution': true,
  'frontend.workerVersioningDataAPIs': true,
  // docs/fleet.md#fair-share-across-runs: task-queue fairness keys (one per run or tenant) need the new matcher.
  'matching.useNewMatcher': true,
  'matching.enableFairness': true,
  // One partition per task queue: fairness (and priority) are kept within a partition, and with
  // several a poller takes whichever partition answers first. One machine needs no more.
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  /** SQLite file for persistence; omitted means in-memory (tests only). */
  dbFile?: string;
  headless?: boolean;
  /** A codec server the UI decodes payloads with (`baton codec-server`), e.g. http://localhost:8234. */
  codecEndpoint?: string;
}

export function devServerArgs(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--port', String(options.port), '--log-level', 'warn'];
  if (options.headless) args.push('--headless');
  else if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  if (options.codecEndpoint && !options.headless) args.push('--ui-codec-endpoint', options.codecEndpoint);
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const [name, type] of Object.entries(BATON_SEARCH_ATTRIBUTES)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  for (const [key, value] of Object.entries(DYNAMIC_CONFIG)) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}
