// Schedules on the real dev server (docs/runs.md#saved-workflows-and-schedules, `baton schedule`): an unpinned schedule reads the
// saved workflow again at each firing, a pinned one runs the script it was created with; the
// runs they start are ordinary `batonRun` runs, found by the schedule's id.
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunListing } from '../../client/list-runs.js';
import {
  createSchedule,
  deleteSchedule,
  describeSchedule,
  listScheduleRuns,
  listSchedules,
  pauseSchedule,
  ScheduleError,
  triggerSchedule,
  unpauseSchedule,
  type CreateScheduleRequest,
} from '../../client/schedules.js';
import { SCHEDULED_WORKFLOW_TYPE } from '../../contract/scheduled-run.js';
import type { RunReport } from '../../contract/run-types.js';
import { loadScriptRef } from '../../library/load-script-ref.js';
import { bundleInterpreter, defaultRunOptions, startHarness, type Harness } from './interpreter-harness.js';
import { tempDir } from '../harness/temp-dir.js';

let h: Harness;
let repo: string;
let home: string;
let savedFile: string;
const created: string[] = [];

const tick = (version: string) => `export const meta = { name: 'tick', description: 'says which version ran' }\nreturn await agent('tick ${version}')\n`;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter() });
  const root = realpathSync(tempDir('baton-schedules-'));
  repo = join(root, 'repo');
  home = join(root, 'home');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, '.claude', 'workflows'), { recursive: true });
  mkdirSync(home);
  savedFile = join(repo, '.claude', 'workflows', 'tick.js');
  writeFileSync(savedFile, tick('v1'));
});

afterAll(async () => {
  for (const id of created) await deleteSchedule(h.client, id).catch(() => {});
  await h?.close();
});

async function create(overrides: Partial<CreateScheduleRequest> & { pinned: boolean }): Promise<string> {
  const scheduleId = `tick-${randomUUID().slice(0, 8)}`;
  const lookup = { cwd: repo, home };
  const script = await loadScriptRef({ name: 'tick' }, { cwd: repo, home });
  await createSchedule(h.client, {
    scheduleId,
    timing: { everyMs: 2000 },
    overlap: 'skip',
    script,
    ref: { name: 'tick' },
    lookup,
    options: { ...defaultRunOptions(), workspace: repo },
    taskQueue: h.taskQueue,
    ...overrides,
  });
  created.push(scheduleId);
  return scheduleId;
}

/** Polls the schedule's runs (visibility lags) until `enough` says so. */
async function waitForRuns(scheduleId: string, enough: (runs: RunListing[]) => boolean, what: string): Promise<RunListing[]> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const runs = await listScheduleRuns(h.client, scheduleId, 50);
    if (enough(runs)) return runs;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; runs: ${JSON.stringify(runs)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const completed = (runs: RunListing[]) => runs.filter((r) => r.status === 'completed');
const resultOf = async (workflowId: string) => ((await h.client.workflow.getHandle(workflowId).result()) as RunReport).result;

describe('an unpinned schedule', () => {
  it('fires repeatedly, and each firing runs the saved workflow as the file is then', async () => {
    writeFileSync(savedFile, tick('v1'));
    const id = await create({ pinned: false });
    const first = await waitForRuns(id, (runs) => completed(runs).length >= 1, 'a first completed run');
    const v1 = completed(first)[0]!;
    expect(v1.name).toBe('tick');
    expect(v1.workflowId).toMatch(new RegExp(`^${id}-.*-run$`));
    expect(await resultOf(v1.workflowId)).toBe('echo: tick v1');

    writeFileSync(savedFile, tick('v2'));
    // A run that starts a second after the edit resolved the script after it, too.
    const edited = new Date(Date.now() + 1000).toISOString();
    const later = await waitForRuns(id, (runs) => completed(runs).some((r) => r.startTime > edited), 'a run after the edit');
    const afterEdit = completed(later).filter((r) => r.startTime > edited);
    for (const run of afterEdit) expect(await resultOf(run.workflowId)).toBe('echo: tick v2');
    expect(completed(later).length).toBeGreaterThanOrEqual(2);

    const details = await describeSchedule(h.client, id);
    expect(details.actionsTaken).toBeGreaterThanOrEqual(2);
    expect(details).toMatchObject({ scheduleId: id, script: 'tick', pinned: false, timing: 'every 2s', overlap: 'skip' });
    expect(details.runs.length).toBeGreaterThanOrEqual(2);
    expect((await listSchedules(h.client)).map((s) => s.scheduleId)).toContain(id);

    await deleteSchedule(h.client, id);
    await expect(describeSchedule(h.client, id)).rejects.toThrow(ScheduleError);
  });

  it('a name that no longer resolves fails that firing with the reason, not the schedule', async () => {
    const id = await create({ pinned: false, ref: { name: 'gone' }, timing: { everyMs: 3_600_000 } });
    await triggerSchedule(h.client, id);
    const deadline = Date.now() + 30_000;
    let launcherId: string | undefined;
    while (!launcherId && Date.now() < deadline) {
      launcherId = (await describeSchedule(h.client, id)).recentFirings[0]?.workflowId;
      if (!launcherId) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const launcher = h.client.workflow.getHandle(launcherId!);
    expect((await launcher.describe()).type).toBe(SCHEDULED_WORKFLOW_TYPE);
    const failure = await launcher.result().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause as Error | undefined;
    expect(cause?.message).toContain('No saved workflow named "gone"');
    expect((await describeSchedule(h.client, id)).paused).toBe(false);
  });
});

describe('a pinned schedule', () => {
  it('runs the script compiled at creation, whatever the file says later; pause and unpause', async () => {
    writeFileSync(savedFile, tick('pinned'));
    const id = await create({ pinned: true, script: await loadScriptRef({ name: 'tick' }, { cwd: repo, home }) });
    writeFileSync(savedFile, tick('edited'));
    const runs = await waitForRuns(id, (r) => completed(r).length >= 2, 'two completed pinned runs');
    for (const run of completed(runs).slice(0, 2)) {
      expect(run.workflowId).toMatch(new RegExp(`^${id}-`));
      expect(await resultOf(run.workflowId)).toBe('echo: tick pinned');
    }
    await pauseSchedule(h.client, id, 'testing');
    expect(await describeSchedule(h.client, id)).toMatchObject({ paused: true, note: 'testing', pinned: true });
    await unpauseSchedule(h.client, id);
    expect((await describeSchedule(h.client, id)).paused).toBe(false);
  });
});
