// The determinism guard: histories of real runs replay against the current interpreter.
// A change that alters the command sequence of runs in flight must fail here, not in
// production; use `patched()` (see docs/design.md#replay-and-patches) and record new fixtures.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { workflowBundlerOptions } from '../../workers/create-worker.js';
import { bundleInterpreter, type WorkflowBundle } from '../integration/interpreter-harness.js';
import { readHistoryFixtures } from './history-fixtures.js';

const fixtures = readHistoryFixtures();
let bundle: WorkflowBundle;

beforeAll(async () => {
  bundle = await bundleInterpreter();
});

async function replayAll(workflowBundle: WorkflowBundle) {
  const results = [];
  // debugMode false keeps the deadlock timeout, so a looping replay fails instead of hanging.
  // The SDK's replay options type leaves it out, but the replay worker honours it.
  const options = { workflowBundle, debugMode: false } as ReplayWorkerOptions;
  for await (const result of Worker.runReplayHistories(options, fixtures)) results.push(result);
  return results;
}

describe('replay of recorded runs', () => {
  it('has fixtures to replay', () => {
    expect(fixtures.map((f) => f.workflowId)).toEqual(
      expect.arrayContaining([
        'review-changes',
        'primitives',
        'agent-failures',
        'script-throws',
        'script-intl-timers',
        'resumed',
        'continued-as-new',
        'worker-crash',
      ]),
    );
  });

  it('replays every recorded history without a determinism error', async () => {
    const results = await replayAll(bundle);
    expect(results.map((r) => [r.workflowId, r.error?.message ?? null])).toEqual(fixtures.map((f) => [f.workflowId, null]));
  });

  it('catches an interpreter whose command sequence changed', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./changed-interpreter/index.ts', import.meta.url)),
      ...workflowBundlerOptions(),
    });
    const results = await replayAll(changed);
    expect(results).toHaveLength(fixtures.length);
    for (const result of results) expect(result.error, result.workflowId).toBeInstanceOf(DeterminismViolationError);
  });
});
