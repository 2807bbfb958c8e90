// What a Temporal Schedule hands Baton when a script is resolved at each firing (docs/runs.md#saved-workflows-and-schedules,
// `baton schedule create` without --pin). Pure types and constants, like run-types.ts.
import type { RunOptions } from './run-types.js';
import type { ScriptLookup, ScriptRef } from './script-ref.js';

export type { ScriptLookup, ScriptRef };

/** The launcher a schedule starts for an unpinned script: resolves it, then runs `batonRun` as its child. */
export const SCHEDULED_WORKFLOW_TYPE = 'batonScheduled';

/** Input of the `resolveScript` activity. */
export interface ResolveScriptRequest {
  script: ScriptRef;
  lookup: ScriptLookup;
}

/** Input of SCHEDULED_WORKFLOW_TYPE. */
export interface ScheduledRunInput {
  scheduleId: string;
  script: ScriptRef;
  lookup: ScriptLookup;
  /** Passed to the script as `args`; absent when none. */
  args?: unknown;
  options: RunOptions;
}

/** What the launcher returns: the run it started and how it ended. */
export interface ScheduledRunResult {
  runWorkflowId: string;
  scriptName: string;
  /** The script file that was run, as resolved at this firing. */
  fileName: string;
  status: string;
}

/**
 * The search attribute Temporal sets on every workflow a schedule starts; the launcher copies it
 * onto the run it starts, so runs are found by schedule (`TemporalScheduledById = "ID"`).
 */
export const SCHEDULED_BY_ID_ATTRIBUTE = 'TemporalScheduledById';

/** The memo key holding the schedule id on every run a Baton schedule starts. */
export const SCHEDULE_MEMO_KEY = 'batonSchedule';
