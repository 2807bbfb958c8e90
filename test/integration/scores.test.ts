// score() in a script (docs/scores.md#recording-a-score): kept with the run across a worker restart and a continue-as-new,
// shown in the report and the UI's details, searchable (BatonScore, BatonScores), and `baton score`'s
// update on a running run. Bad values throw at the script's line.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERPRETER_WORKFLOW_TYPE, type RunInput, type RunReport } from '../../contract/run-types.js';
import { SCORES_MEMO } from '../../contract/score-memo.js';
import { batonStateQuery } from '../../contract/run-messages.js';
import { scoreRunUpdate } from '../../contract/run-messages.js';
import { waitFor } from '../harness/wait-for.js';
import {
  bundleInterpreter,
  compile,
  defaultRunOptions,
  directiveResponder,
  script,
  startExtraWorker,
  startHarness,
  type Harness,
} from './interpreter-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: directiveResponder() });
});
afterAll(async () => h?.close());

async function listed(query: string) {
  const found: string[] = [];
  for await (const info of h.client.workflow.list({ query })) found.push(info.workflowId);
  return found;
}

describe('score()', () => {
  it('keeps the last of each name, says so in the log, and shows in the report, the details, search attributes and memo', async () => {
    const tag = randomUUID().slice(0, 8);
    const workflowId = `scored-${tag}`;
    const handle = await h.start(
      script(`
const found = await parallel([1, 2, 3].map((i) => () => agent('${tag} finding ' + i)));
score('score', 3);
score('confirmed', found.length, { note: 'all three held up' });
score('score', 5);
score('tests-pass', true);
await agent('${tag} wait [delay=1500]');
return found.length;
`),
      { workflowId },
    );
    // While it runs, `baton score` adds a person's grade through an update.
    await waitFor('the script scores', async () => ((await handle.query(batonStateQuery)).scores?.length ?? 0) >= 3);
    // The Temporal UI's details show them.
    const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    expect(metadata.currentDetails).toContain('Scores: score 5 · confirmed 3 · tests-pass true');
    const kept = await handle.executeUpdate(scoreRunUpdate, { args: [{ name: 'grade', value: 4, kind: 'number', note: 'reads well', by: 'alice' }] });
    expect(kept).toMatchObject({ name: 'grade', value: 4, by: 'alice' });
    const refused = await handle
      .executeUpdate(scoreRunUpdate, { args: [{ name: 'bad name', value: 1, kind: 'number', note: null, by: 'alice' }] })
      .catch((e: Error) => e);
    expect((refused as Error & { cause?: Error }).cause?.message).toMatch(/a score's name is/);

    const report = (await handle.result()) as RunReport;
    expect(report.scores?.map(({ name, value, kind, note, by }) => ({ name, value, kind, note, by }))).toEqual([
      { name: 'score', value: 5, kind: 'number', note: null, by: 'script' },
      { name: 'confirmed', value: 3, kind: 'number', note: 'all three held up', by: 'script' },
      { name: 'tests-pass', value: 1, kind: 'boolean', note: null, by: 'script' },
      { name: 'grade', value: 4, kind: 'number', note: 'reads well', by: 'alice' },
    ]);
    expect(report.logs).toContain('score score: 3 → 5');

    const description = await handle.describe();
    expect(await description.memo?.[SCORES_MEMO]).toEqual({ score: 5, confirmed: 3, 'tests-pass': 1, grade: 4 });
    await waitFor(
      'visibility of the scores',
      async () => (await listed(`WorkflowId = '${workflowId}' AND BatonScore > 4 AND BatonScores = 'grade'`)).length === 1,
    );
    expect(await listed(`WorkflowId = '${workflowId}' AND BatonScore > 5`)).toEqual([]);
  }, 60_000);

  it('throws at the script line for a value that is not a finite number or a boolean', async () => {
    const { failure, report } = await h.fail(script(`score('ok', 1);\nscore('ratio', 0 / 0);\nreturn 1;`));
    expect(failure.message).toMatch(/score\("ratio", value\) takes a finite number or a boolean, got NaN/);
    expect(report.error).toMatchObject({ type: 'TypeError', line: 3 });
    const named = await h.fail(script(`score('', 1);`));
    expect(named.failure.message).toMatch(/score\(\) takes a name of letters/);
    const text = await h.fail(script(`score('x', '3');`));
    expect(text.failure.message).toMatch(/got a string/);
  }, 60_000);

  it('survives a worker restart: the new worker rebuilds the scores from the history', async () => {
    const tag = randomUUID().slice(0, 8);
    const taskQueue = `scores-${tag}`;
    const source = script(`
score('before', 1);
await agent('${tag} slow [delay=2000]');
score('after', 2, { note: 'on the second worker' });
score('before', 7);
return 'done';
`);
    const input: RunInput = { script: await compile(source), options: defaultRunOptions() };
    const handle = await h.client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { taskQueue, workflowId: `scores-restart-${tag}`, args: [input] });
    const a = await startExtraWorker(h, taskQueue);
    await waitFor('the first score', async () => ((await handle.query(batonStateQuery)).scores?.length ?? 0) === 1);
    await a.stop();
    const b = await startExtraWorker(h, taskQueue);
    let report: RunReport;
    try {
      report = (await handle.result()) as RunReport;
    } finally {
      await b.stop();
    }
    expect(report.scores?.map((s) => [s.name, s.value])).toEqual([
      ['before', 7],
      ['after', 2],
    ]);
    expect(report.logs.filter((line) => line.startsWith('score '))).toEqual(['score before: 1 → 7']);
  }, 90_000);

  it("carries across a continue-as-new: scores given before it stay, the script's calls are not counted twice", async () => {
    const tag = randomUUID().slice(0, 8);
    const handle = await h.start(
      script(`
score('first', 1);
const one = await agent('${tag} one');
score('first', 2);
const two = await agent('${tag} two');
const three = await agent('${tag} three');
score('last', 3);
return [one, two, three].length;
`),
      { continueAsNewAfterAgents: 1 },
    );
    const report = (await handle.result()) as RunReport;
    expect(report.status).toBe('completed');
    const history = await h.client.workflow
      .getHandle(handle.workflowId, (handle as typeof handle & { firstExecutionRunId: string }).firstExecutionRunId)
      .fetchHistory();
    expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(report.scores?.map((s) => [s.name, s.value])).toEqual([
      ['first', 2],
      ['last', 3],
    ]);
    // One replacement, logged once, however many runs the chain has.
    expect(report.logs.filter((line) => line.startsWith('score '))).toEqual(['score first: 1 → 2']);
    await waitFor(
      'visibility of the last run',
      async () => (await listed(`WorkflowId = '${handle.workflowId}' AND BatonScores = 'last' AND BatonScores = 'first'`)).length === 1,
    );
  }, 90_000);
});
