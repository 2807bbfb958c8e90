// Records the replay fixtures: real runs on the real dev server, their histories saved under
// test/fixtures/histories/. Run with `npm run record-histories` after a deliberate, patched
// change to the interpreter, and commit the new fixtures beside the old ones.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { badRequest, firstUserText, hasTool, reply, serverError, structured, text, toolUse, type Responder } from '../model-server/index.js';
import type { RunReport } from '../../contract/run-types.js';
import { batonStateQuery, raiseBudgetUpdate } from '../../contract/run-messages.js';
import { bundleInterpreter, compile, script, startHarness, type Harness } from '../integration/interpreter-harness.js';
import { writeHistoryFixture } from './history-fixtures.js';
import { tempDir } from '../harness/temp-dir.js';
import { fetchResumeSource } from '../../client/resume-source.js';

const flakyAsked = new Map<string, number>();

const responder: Responder = (request) => {
  const prompt = firstUserText(request);
  if (prompt.includes('Find correctness bugs')) return reply(structured({ findings: [{ title: 'off-by-one' }, { title: 'stale cache' }] }));
  if (prompt.includes('Find performance regressions')) return reply(structured({ findings: [{ title: 'N+1 query' }] }));
  if (prompt.includes('Try to refute')) return reply(structured({ real: !prompt.includes('stale cache') }));
  if (prompt.includes('rejected')) return badRequest('messages.0.content: this request is rejected for the fixture');
  if (prompt.includes('flaky')) {
    // Enough server errors in a row to fail the first activity attempt, whatever quick retries
    // the activity makes itself, so the history holds a Temporal retry.
    const asked = (flakyAsked.get(prompt) ?? 0) + 1;
    flakyAsked.set(prompt, asked);
    if (asked <= 4) return serverError();
  }
  // `[turns=N]`: N-1 turns that call Glob before the answer, so the run gets turn reports.
  const turns = Number(/\[turns=(\d+)\]/.exec(prompt)?.[1] ?? 1);
  const call = request.messages.filter((m) => m.role === 'assistant').length + 1;
  if (call < turns) return reply(text('x'.repeat(400)), toolUse('Glob', { pattern: `*.${call}` }));
  if (prompt.includes('no answer meets') && hasTool(request, 'StructuredOutput')) return reply(structured({ unasked: true }));
  if (hasTool(request, 'StructuredOutput')) return reply(structured({ ok: true }));
  return reply(text(`done: ${prompt.slice(0, 40)}`));
};

const FIXTURES: Record<string, string> = {
  'review-changes': readFileSync(fileURLToPath(new URL('../../examples/review-changes.js', import.meta.url)), 'utf8'),
  primitives: script(
    `
phase('Gather')
log('starting with ' + JSON.stringify(args))
const gathered = await parallel([() => agent('gather one'), () => { throw new Error('thunk fails') }, () => agent('gather two', { model: 'haiku' })])
phase('Refine')
const refined = await pipeline(['a', 'b', 'c'], (item) => agent('refine ' + item), (prev, item, i) => { if (item === 'b') throw new Error('stage fails'); return prev + ' #' + i })
log('budget ' + budget.remaining())
return { gathered, refined, now: Date.now() > 0, random: Math.random() < 1 }
`,
    { name: 'primitives', phases: [{ title: 'Gather' }, { title: 'Refine', model: 'haiku' }] },
  ),
  'agent-failures': script(
    `
const flaky = await agent('flaky step that recovers')
const rejected = await agent('a request that is rejected')
let limited = null
try { await agent('one too many') } catch (e) { limited = e.name }
return { flaky, rejected, limited }
`,
    { name: 'agent-failures' },
  ),
  // Claude Code's semantics (workflows/claude-code-semantics.ts): an exhausted schema throws (a
  // null slot in parallel()), a pipeline() stage's null ends its chain, the cap's error name.
  'claude-code-semantics': script(
    `
const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }
let thrown = null
try { await agent('a schema no answer meets', { schema }) } catch (e) { thrown = e.name }
const slots = await parallel([() => agent('fits', { schema }), () => agent('again no answer meets', { schema })])
const chain = await pipeline([1, 2], (n) => (n === 2 ? null : n), (n) => agent('stage two ' + n))
let capped = null
try { await agent('one too many') } catch (e) { capped = e.name }
return { thrown, slots, chain, capped }
`,
    { name: 'claude-code-semantics' },
  ),
  'script-throws': script(
    `
const n = await agent('count the files')
throw new Error('the script gives up after ' + n)
`,
    { name: 'script-throws' },
  ),
  // Timers and Intl (patches baton-script-timers, baton-script-intl-data): a durable wait, and
  // formatted text that reaches an agent's prompt.
  'script-intl-timers': script(
    `
const words = ['b', 'a', 'C', 'résumé', 'resume'].sort((x, y) => x.localeCompare(y))
const amount = (1234567.5).toLocaleString('en-US')
const day = new Date(Date.UTC(2026, 11, 7)).toLocaleDateString('en-US')
await new Promise((resolve) => setTimeout(resolve, 500))
return [await agent('summarise ' + words.join(' ') + ' ' + amount + ' ' + day), words, amount, day]
`,
    { name: 'script-intl-timers' },
  ),
};

let harness: Harness;

const STEPS = (third: string) =>
  script(
    `
const out = []
for (const step of ['one', 'two', '${third}', 'four']) out.push(await agent('step ' + step))
return out
`,
    { name: 'steps' },
  );

beforeAll(async () => {
  harness = await startHarness({ bundle: await bundleInterpreter(), responder });
});

afterAll(() => harness?.close());

it.each(Object.entries(FIXTURES))('records %s', { timeout: 120_000 }, async (name, source) => {
  const handle = await harness.start(await compile(source, `${name}.js`), {
    workflowId: `fixture-${name}`,
    args: { fixture: name },
    maxAgents: name === 'agent-failures' ? 2 : name === 'claude-code-semantics' ? 4 : 1000,
  });
  await handle.result().catch(() => undefined);
  const history = await handle.fetchHistory();
  expect(history.events?.length).toBeGreaterThan(3);
  writeHistoryFixture(name, history);
});

it('records a resumed run', { timeout: 120_000 }, async () => {
  const first = await harness.start(await compile(STEPS('three'), 'steps.js'), { workflowId: `fixture-steps-${Date.now()}` });
  await first.result();
  const { resume } = await fetchResumeSource(harness.client, first.workflowId, 'prefix');
  const edited = await harness.start(await compile(STEPS('three, edited'), 'steps.js'), { workflowId: 'fixture-resumed', resume });
  await edited.result();
  writeHistoryFixture('resumed', await edited.fetchHistory());
});

it('records a run that continued as new', { timeout: 120_000 }, async () => {
  const handle = await harness.start(await compile(STEPS('three'), 'steps.js'), { workflowId: 'fixture-continued', continueAsNewAfterAgents: 2 });
  await handle.result();
  // The first run of the chain: it ends by continuing as new with its journal.
  const firstRunId = (handle as WorkflowHandleWithFirstExecutionRunId).firstExecutionRunId;
  const firstRun = harness.client.workflow.getHandle(handle.workflowId, firstRunId);
  const history = await firstRun.fetchHistory();
  expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  writeHistoryFixture('continued-as-new', history);
});

it('records a run that nests a saved workflow', { timeout: 120_000 }, async () => {
  const project = tempDir('baton-fixture-nested-');
  mkdirSync(join(project, '.claude', 'workflows'), { recursive: true });
  writeFileSync(
    join(project, '.claude', 'workflows', 'triage.js'),
    script(`phase('Triage')\nreturn await parallel(args.files.map((f) => () => agent('triage ' + f)))`, { name: 'triage' }),
  );
  const parent = script(
    `const plan = await agent('plan the work')\nconst triaged = await workflow('triage', { files: ['a', 'b'] })\nreturn { plan, triaged }`,
    {
      name: 'nested',
    },
  );
  const handle = await harness.start(await compile(parent, 'nested.js'), {
    workflowId: 'fixture-nested',
    scriptLookup: { cwd: project, home: null },
  });
  expect((await handle.result()).status).toBe('completed');
  writeHistoryFixture('nested-workflow', await handle.fetchHistory());
});

it('records a run of multi-turn agents held at its ceiling and raised (turn reports)', { timeout: 120_000 }, async () => {
  const source = script(`const out = await parallel([1, 2].map((i) => () => agent('multi-turn ' + i + ' [turns=4]')))\nreturn out`, { name: 'turn-reports' });
  const handle = await harness.start(await compile(source, 'turn-reports.js'), { workflowId: 'fixture-turn-reports', budgetTokens: 250, onBudget: 'pause' });
  for (let i = 0; (await handle.query(batonStateQuery)).status !== 'paused'; i++) {
    if (i > 300) throw new Error('the run never paused at its ceiling');
    await new Promise((r) => setTimeout(r, 100));
  }
  await handle.executeUpdate(raiseBudgetUpdate, { args: [{ budgetTokens: 100_000 }] });
  expect((await handle.result()).status).toBe('completed');
  writeHistoryFixture('turn-reports', await handle.fetchHistory());
});

it('records a run that waits at approve() and notifies (approvals)', { timeout: 120_000 }, async () => {
  const { createServer } = await import('node:http');
  const { storeNotifyTargets } = await import('../../client/notify-targets.js');
  const { approveRunUpdate } = await import('../../contract/run-messages.js');
  const receiver = createServer((req, res) => req.resume().on('end', () => res.end('ok')));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const port = (receiver.address() as { port: number }).port;
    const notify = await storeNotifyTargets(harness.blobStore, [`http://127.0.0.1:${port}/hook`]);
    const source = script(
      `const found = await agent('look before the gate')\nconst go = await approve('Apply it?')\nconst late = await approve('Late default?', { timeout: '1s', default: true })\nreturn { found, go, late }`,
      { name: 'approvals' },
    );
    const handle = await harness.start(await compile(source, 'approvals.js'), { workflowId: 'fixture-approvals', notify });
    for (let i = 0; (await handle.query(batonStateQuery)).status !== 'waiting'; i++) {
      if (i > 300) throw new Error('the run never waited');
      await new Promise((r) => setTimeout(r, 100));
    }
    await handle.executeUpdate(approveRunUpdate, { args: [{ approve: true, by: 'fixture@recorder' }] });
    expect((await handle.result()).status).toBe('completed');
    writeHistoryFixture('approvals', await handle.fetchHistory());
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});

it('records a run that ends with an agent still running, cancelled and waited for (cancel-waits)', { timeout: 120_000 }, async () => {
  const source = script(`agent('left running [turns=40]')\nreturn await agent('quick')`, { name: 'cancel-waits' });
  const handle = await harness.start(await compile(source, 'cancel-waits.js'), { workflowId: 'fixture-cancel-waits' });
  const report = await handle.result();
  expect(report.status).toBe('completed');
  const history = await handle.fetchHistory();
  // The left-running agent was cancelled, and its end (as cancelled, or stopped at its next turn) came before the run's.
  const events = history.events ?? [];
  expect(events.some((e) => e.activityTaskCancelRequestedEventAttributes)).toBe(true);
  expect(
    events.filter((e) => e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes || e.activityTaskCanceledEventAttributes),
  ).toHaveLength(2);
  writeHistoryFixture('cancel-waits', history);
});

it('records a run whose agents name agent types from files, built-ins and an unknown one (agent-types)', { timeout: 120_000 }, async () => {
  const project = tempDir('baton-fixture-agent-types-');
  mkdirSync(join(project, '.claude', 'agents'), { recursive: true });
  writeFileSync(
    join(project, '.claude', 'agents', 'reviewer.md'),
    '---\nname: reviewer\ndescription: reviews\nmodel: haiku\ntools: Read, Grep\n---\nReview only real bugs.\n',
  );
  const source = script(
    `const types = ['reviewer', 'Explore', 'auditor']\nreturn await parallel(types.map((agentType) => () => agent('review as ' + agentType, { agentType })))`,
    { name: 'agent-types' },
  );
  const handle = await harness.start(await compile(source, 'agent-types.js'), { workflowId: 'fixture-agent-types', workspace: project });
  const report = await handle.result();
  expect(report.agents).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
  writeHistoryFixture('agent-types', await handle.fetchHistory());
});

it('records a run with scores from the script and from baton score (scores)', { timeout: 120_000 }, async () => {
  const { scoreRunUpdate } = await import('../../contract/run-messages.js');
  const source = script(
    `const found = await parallel([1, 2].map((i) => () => agent('score look ' + i)))\nscore('confirmed', 1)\nscore('confirmed', found.length, { note: 'both held up' })\nscore('tests-pass', true)\nawait approve('Graded?')\nreturn found.length`,
    { name: 'scores' },
  );
  const handle = await harness.start(await compile(source, 'scores.js'), { workflowId: 'fixture-scores' });
  for (let i = 0; (await handle.query(batonStateQuery)).status !== 'waiting'; i++) {
    if (i > 300) throw new Error('the run never waited');
    await new Promise((r) => setTimeout(r, 100));
  }
  await handle.executeUpdate(scoreRunUpdate, { args: [{ name: 'grade', value: 4, kind: 'number', note: 'reads well', by: 'fixture@recorder' }] });
  const { approveRunUpdate } = await import('../../contract/run-messages.js');
  await handle.executeUpdate(approveRunUpdate, { args: [{ approve: true, by: 'fixture@recorder' }] });
  const report = await handle.result();
  expect((report as RunReport).scores?.map((s) => [s.name, s.value])).toEqual([
    ['confirmed', 2],
    ['tests-pass', 1],
    ['grade', 4],
  ]);
  writeHistoryFixture('scores', await handle.fetchHistory());
});
