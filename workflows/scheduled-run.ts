// The launcher an unpinned schedule starts at each firing (`baton schedule create` without
// --pin): it resolves the named script as it is now (an activity: the worker reads the file),
// then runs it as a `batonRun` child, which is the run users see, steer and list.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { executeChild, workflowInfo } from '@temporalio/workflow';
import type { ScriptActivities } from '../activities/resolve-script.js';
import { INTERPRETER_WORKFLOW_TYPE, type RunInput, type RunReport } from '../contract/run-types.js';
import { SCHEDULE_MEMO_KEY, SCHEDULED_BY_ID_ATTRIBUTE, type ScheduledRunInput, type ScheduledRunResult } from '../contract/scheduled-run.js';
import { controlActivities, type ControlActivityOptions } from './control-activities.js';
import { BATON_SCRIPT, BATON_STATUS } from './search-attributes.js';

const SCHEDULED_BY_ID = defineSearchAttributeKey(SCHEDULED_BY_ID_ATTRIBUTE, SearchAttributeType.KEYWORD);

// A missing or broken script fails at once (non-retryable); retries cover a worker lost mid-read.
const RESOLVE_OPTIONS: ControlActivityOptions = { startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 5 } };

export async function batonScheduled(input: ScheduledRunInput): Promise<ScheduledRunResult> {
  // 1. The script as the files say now.
  const script = await controlActivities<ScriptActivities>(RESOLVE_OPTIONS).resolveScript({ script: input.script, lookup: input.lookup });

  // 2. The run. Waiting for it keeps the schedule's overlap policy about runs, not launchers.
  const run: RunInput = { script, options: input.options };
  if (input.args !== undefined) run.args = input.args;
  const runWorkflowId = `${workflowInfo().workflowId}-run`;
  const report = (await executeChild(INTERPRETER_WORKFLOW_TYPE, {
    workflowId: runWorkflowId,
    args: [run],
    staticSummary: `${script.meta.name}: ${script.meta.description}`,
    memo: { [SCHEDULE_MEMO_KEY]: input.scheduleId },
    typedSearchAttributes: [
      { key: BATON_SCRIPT, value: script.meta.name },
      { key: BATON_STATUS, value: 'running' },
      { key: SCHEDULED_BY_ID, value: input.scheduleId },
    ],
  })) as RunReport;
  return { runWorkflowId, scriptName: script.meta.name, fileName: script.fileName, status: report.status };
}
