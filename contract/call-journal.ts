// The call journal: what each agent() call of a run ended with, keyed by the call (call-key.ts).
// A later run reuses it (`--resume-from`, docs/runs.md#resuming-an-edited-script), and a long run carries it into the run it
// continues as (docs/runs.md#long-runs). Pure types, shared by the client and the workflow.
import type { AgentCatalog } from './agent-context.js';
import type { ApprovalView } from './approval-types.js';
import type { ScoreView } from './score-types.js';
import type { AgentState, TokenUsage } from './agent-state.js';

/** One agent() call that ended, in the order the script issued the calls. */
export interface JournalEntry {
  /** callKey() of the prompt and the options that change its meaning. */
  key: string;
  agentId: string;
  label: string;
  phase: string | null;
  /** Resolved model id. */
  model: string;
  state: Extract<AgentState, 'succeeded' | 'failed' | 'stopped' | 'cached'>;
  /** What agent() resolved to: the text or validated object, null when the agent failed. */
  result: unknown;
  usage: TokenUsage;
  /** What `usage` cost, each call at its tier (absent from entries recorded before it: repriced at base rates). */
  costUsd?: number;
  turns: number;
  error: string | null;
  /** The error agent() threw instead of resolving (a stopped run, a spent budget). */
  thrown?: { name: string; message: string };
  /** With `isolation: 'worktree'`: the branch holding the agent's changes, or null. */
  branch?: string | null;
  startedAt?: number | null;
  endedAt?: number | null;
  /** callKeyFields() of the call, so a later run can say what changed (absent from entries recorded before it). */
  fields?: Record<string, string>;
}

/** What the `batonJournal` query answers: the run's ended calls and the args it was given. */
export interface RunJournal {
  entries: JournalEntry[];
  /** The run's `args`; absent when it had none. */
  args?: unknown;
}

/**
 * How calls of a run are matched to an earlier run's journal (docs/runs.md#resuming-an-edited-script): `prefix` reuses the
 * longest unchanged run of calls from the start, `any` every call with a matching key.
 */
export type ReuseMode = 'prefix' | 'any';

/** What a resumed or rerun run reused (docs/runs.md#resuming-an-edited-script): RunReport.reuse. */
export interface ReuseReport {
  /** The earlier run's workflow id. */
  fromRunId: string;
  mode: ReuseMode;
  /** Calls answered from the earlier run so far. */
  reused: number;
  /** The earlier run's ended calls offered for reuse. */
  offered: number;
  /** The first call that ran live instead; null while every call so far was reused. */
  firstMiss: ReuseMiss | null;
}

export interface ReuseMiss {
  /** The agent id the call got in this run. */
  agentId: string;
  label: string;
  /** The earlier call it was matched against, by position; null past the earlier run's end. */
  earlierAgentId: string | null;
  /** The key fields that differ (prompt, model, schema, effort, isolation, agentType, tools). */
  changed: string[];
  /** One line: why the call was not reused. */
  reason: string;
}

/** RunInput.resume: the earlier run's journal a new run reuses succeeded calls from. */
export interface ResumeFrom {
  /** The earlier run's workflow id, for messages. */
  fromRunId: string;
  mode: ReuseMode;
  entries: JournalEntry[];
  /** `baton rerun --from AGENT_ID`: the earlier agent the entries were cut before. */
  rerunFrom?: string;
}

/**
 * RunInput.carry: what a run that continued as new hands to its next run, so the logical run
 * goes on where it was. The next run re-executes the script; its calls take their outcomes from
 * `entries` (shown as they were, not as cached) and the first `logCalls` log() calls are skipped.
 */
export interface CarriedRun {
  entries: JournalEntry[];
  /** RunReport.startedAt of the first run of the chain. */
  startedAt: number;
  /** log() calls the script has made so far. */
  logCalls: number;
  /** RunReport.logs so far. */
  logs: string[];
  /** Runs of the chain before this one. */
  continuedCount: number;
  /** approve() calls so far: the new run's calls in the same order take the answers these got. */
  approvals?: ApprovalView[];
  /** What the runs before this one reused from `--resume-from`, counted on by the next. */
  reuse?: ReuseReport;
  /** The agent types the first run of the chain resolved: every run of it uses the same. */
  catalog?: AgentCatalog;
  /** The script's timers by start order: each one's deadline (workflow time, ms), null once cleared. */
  timers?: Array<number | null>;
  /** The run's scores so far, and how many score() calls the script made (the next run skips as many). */
  scores?: ScoreView[];
  scoreCalls?: number;
}
