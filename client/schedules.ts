// Recurring runs as Temporal Schedules (docs/runs.md#saved-workflows-and-schedules, `baton schedule ...`). A pinned schedule
// starts the interpreter with the script compiled at creation; an unpinned one starts the
// `batonScheduled` launcher, which resolves the script again at each firing.
import {
  isGrpcServiceError,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleOptionsAction,
  type ScheduleSummary,
} from '@temporalio/client';
import { INTERPRETER_WORKFLOW_TYPE, type CompiledScript, type RunInput, type RunOptions } from '../contract/run-types.js';
import {
  SCHEDULE_MEMO_KEY,
  SCHEDULED_BY_ID_ATTRIBUTE,
  SCHEDULED_WORKFLOW_TYPE,
  type ScheduledRunInput,
  type ScriptLookup,
  type ScriptRef,
} from '../contract/scheduled-run.js';
import { BATON_SCRIPT, BATON_STATUS } from '../workflows/search-attributes.js';
import { listRuns, type RunListing } from './list-runs.js';
import { describeTiming, overlapChoice, overlapPolicy, scheduleSpec, type OverlapChoice, type ScheduleTiming } from './schedule-spec.js';

/** Thrown when Temporal refuses a schedule operation, or the schedule does not exist; says what to do. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

/** What Baton keeps in a schedule's memo, so listings need not decode the action's input. */
export interface BatonScheduleMemo {
  /** The name or path given to --script. */
  script: string;
  /** meta.name of the script when the schedule was created. */
  scriptName: string;
  pinned: boolean;
  timing: string;
  /** Which ceiling each firing's run has and where it came from, as the card said it. */
  ceiling?: string;
  /** The dry run's projected fan-out and cost range when the schedule was created. */
  projection?: string;
}

const MEMO_KEY = 'baton';
const GRPC_INVALID_ARGUMENT = 3;

export interface CreateScheduleRequest {
  scheduleId: string;
  timing: ScheduleTiming;
  overlap: OverlapChoice;
  /** The script compiled now: what every firing runs when pinned; otherwise only checked. */
  script: CompiledScript;
  /** How an unpinned schedule finds the script again at each firing. */
  ref: ScriptRef;
  lookup: ScriptLookup;
  pinned: boolean;
  args?: unknown;
  options: RunOptions;
  taskQueue: string;
  ceiling?: string;
  projection?: string;
}

export async function createSchedule(client: Client, request: CreateScheduleRequest): Promise<void> {
  const { scheduleId, script, taskQueue } = request;
  const label = 'name' in request.ref ? request.ref.name : request.ref.scriptPath;
  const memo: BatonScheduleMemo = {
    script: label,
    scriptName: script.meta.name,
    pinned: request.pinned,
    timing: describeTiming(request.timing),
    ...(request.ceiling ? { ceiling: request.ceiling } : {}),
    ...(request.projection ? { projection: request.projection } : {}),
  };
  // Temporal appends the firing time to the workflow id: `<scheduleId>-<time>`.
  let action: ScheduleOptionsAction;
  if (request.pinned) {
    const input: RunInput = { script, options: request.options };
    if (request.args !== undefined) input.args = request.args;
    action = {
      type: 'startWorkflow',
      workflowType: INTERPRETER_WORKFLOW_TYPE,
      workflowId: scheduleId,
      taskQueue,
      args: [input],
      staticSummary: `${script.meta.name}: ${script.meta.description}`,
      memo: { [SCHEDULE_MEMO_KEY]: scheduleId },
      // As startRun sets them, so `baton ls` lists a run before a worker picks it up.
      typedSearchAttributes: [
        { key: BATON_SCRIPT, value: script.meta.name },
        { key: BATON_STATUS, value: 'running' },
      ],
    };
  } else {
    const input: ScheduledRunInput = { scheduleId, script: request.ref, lookup: request.lookup, options: request.options };
    if (request.args !== undefined) input.args = request.args;
    action = {
      type: 'startWorkflow',
      workflowType: SCHEDULED_WORKFLOW_TYPE,
      workflowId: scheduleId,
      taskQueue,
      args: [input],
      staticSummary: `launches ${label} as it is at each firing (schedule ${scheduleId})`,
      memo: { [SCHEDULE_MEMO_KEY]: scheduleId },
    };
  }
  try {
    await client.schedule.create({
      scheduleId,
      spec: scheduleSpec(request.timing),
      action,
      policies: { overlap: overlapPolicy(request.overlap) },
      memo: { [MEMO_KEY]: memo },
    });
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) {
      throw new ScheduleError(`A schedule named ${scheduleId} already exists. Delete it first ('baton schedule delete ${scheduleId}') or pick another id.`);
    }
    if (isGrpcServiceError(error) && error.code === GRPC_INVALID_ARGUMENT) {
      throw new ScheduleError(`Temporal refused schedule ${scheduleId}: ${error.details || error.message}`);
    }
    throw error;
  }
}

/** One line of `baton schedule ls`. */
export interface ScheduleListing {
  scheduleId: string;
  script: string | null;
  pinned: boolean | null;
  timing: string | null;
  paused: boolean;
  note: string | null;
  nextRunAt: string | null;
  lastRunAt: string | null;
}

/** Baton's schedules (those that start `batonRun` or its launcher), by id. */
export async function listSchedules(client: Client): Promise<ScheduleListing[]> {
  const listed: ScheduleListing[] = [];
  for await (const summary of client.schedule.list()) {
    const type = summary.action?.workflowType;
    if (type !== INTERPRETER_WORKFLOW_TYPE && type !== SCHEDULED_WORKFLOW_TYPE) continue;
    listed.push(toListing(summary));
  }
  return listed.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** `baton schedule describe`: the listing plus its policy, counts, recent firings and the runs they started. */
export interface ScheduleDetails extends ScheduleListing {
  overlap: string;
  actionsTaken: number;
  skippedForOverlap: number;
  nextRunsAt: string[];
  recentFirings: Array<{ scheduledAt: string; takenAt: string; workflowId: string }>;
  running: string[];
  /** The runs it started, newest first (from Temporal's visibility, which lags a little). */
  runs: RunListing[];
  ceiling: string | null;
  projection: string | null;
}

export async function describeSchedule(client: Client, scheduleId: string, options: { runs?: number } = {}): Promise<ScheduleDetails> {
  const description = await withSchedule(client, scheduleId, (handle) => handle.describe());
  const listing = toListing(description);
  const memo = description.memo?.[MEMO_KEY] as BatonScheduleMemo | undefined;
  return {
    ...listing,
    nextRunAt: description.info.nextActionTimes[0]?.toISOString() ?? null,
    overlap: overlapChoice(description.policies.overlap),
    actionsTaken: description.info.numActionsTaken,
    skippedForOverlap: description.info.numActionsSkippedOverlap,
    nextRunsAt: description.info.nextActionTimes.map((t) => t.toISOString()),
    recentFirings: description.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
    running: description.info.runningActions.map((a) => a.workflow.workflowId),
    runs: await listScheduleRuns(client, scheduleId, options.runs ?? 10),
    ceiling: memo?.ceiling ?? null,
    projection: memo?.projection ?? null,
  };
}

/** The Baton runs a schedule started: pinned ones directly, unpinned ones through the launcher. */
export function listScheduleRuns(client: Client, scheduleId: string, limit = 20): Promise<RunListing[]> {
  return listRuns(client, { limit, query: `${SCHEDULED_BY_ID_ATTRIBUTE} = ${JSON.stringify(scheduleId)}` });
}

export function pauseSchedule(client: Client, scheduleId: string, note?: string): Promise<void> {
  return withSchedule(client, scheduleId, (handle) => handle.pause(note ?? 'paused with baton schedule pause'));
}

export function unpauseSchedule(client: Client, scheduleId: string, note?: string): Promise<void> {
  return withSchedule(client, scheduleId, (handle) => handle.unpause(note ?? 'unpaused with baton schedule unpause'));
}

/** Fires once now, whatever the spec says; the schedule's own overlap policy applies. */
export async function triggerSchedule(client: Client, scheduleId: string): Promise<void> {
  await withSchedule(client, scheduleId, async (handle) => {
    const { policies } = await handle.describe();
    await handle.trigger(policies.overlap);
  });
}

/** Deletes the schedule; runs it already started go on. */
export function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  return withSchedule(client, scheduleId, (handle) => handle.delete());
}

async function withSchedule<T>(client: Client, scheduleId: string, operation: (handle: ScheduleHandle) => Promise<T>): Promise<T> {
  try {
    return await operation(client.schedule.getHandle(scheduleId));
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw new ScheduleError(`No schedule ${scheduleId}. See 'baton schedule ls'.`);
    throw error;
  }
}

function toListing(schedule: ScheduleSummary | ScheduleDescription): ScheduleListing {
  const memo = schedule.memo?.[MEMO_KEY] as BatonScheduleMemo | undefined;
  const recent = schedule.info.recentActions;
  return {
    scheduleId: schedule.scheduleId,
    script: memo?.script ?? null,
    pinned: memo?.pinned ?? null,
    timing: memo?.timing ?? null,
    paused: schedule.state.paused,
    note: schedule.state.note ?? null,
    nextRunAt: schedule.info.nextActionTimes[0]?.toISOString() ?? null,
    lastRunAt: recent.length > 0 ? recent[recent.length - 1]!.takenAt.toISOString() : null,
  };
}
