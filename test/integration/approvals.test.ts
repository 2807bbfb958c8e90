// approve() and --notify (docs/runs.md#approvals): a run waits for a person with status `waiting` (its
// search attribute too), `baton approve`'s update answers the oldest waiting call, a timeout
// resolves to the default, and notification receivers on loopback hear `waiting` and `ended`.
// The real worker and dev server; no agent needs the model.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowUpdateFailedError, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../contract/run-types.js';
import { storeNotifyTargets } from '../../client/notify-targets.js';
import { approveRunUpdate, batonStateQuery, stopRunUpdate } from '../../contract/run-messages.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';
import { waitFor } from '../harness/wait-for.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter() });
});
afterAll(async () => h?.close());

const waitingState = (handle: WorkflowHandle) =>
  waitFor('the run to wait', async () => {
    const report = await handle.query(batonStateQuery);
    return report.status === 'waiting' ? report : null;
  });

const TWO_GATES = script(
  `
log('before')
const first = await approve('Push the fixes?')
log('first: ' + first)
const second = await approve('Delete the old branch?')
return { first, second }
`,
  { name: 'gates' },
);

describe('approve()', () => {
  it('waits with status waiting, found by BatonStatus, and resolves to each answer in order', async () => {
    const handle = await h.start(TWO_GATES);
    const waiting = await waitingState(handle);
    expect(waiting.approvals).toEqual([expect.objectContaining({ id: 'q1', message: 'Push the fixes?', state: 'waiting', answer: null })]);
    const listed = await waitFor('the visibility query to find the waiting run', async () => {
      for await (const run of h.client.workflow.list({ query: `BatonStatus = "waiting" AND WorkflowId = "${handle.workflowId}"` })) return run;
      return null;
    });
    expect(listed.workflowId).toBe(handle.workflowId);
    // The Temporal UI's details say what is asked and how to answer.
    const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    expect(metadata.currentDetails).toContain('**Waiting for approval q1**: Push the fixes? (answer: `baton approve RUN [--reject]`)');

    const answer = await handle.executeUpdate(approveRunUpdate, { args: [{ approve: true, by: 'ana@laptop' }] });
    expect(answer.message).toContain('approved q1 "Push the fixes?"');
    await waitFor('the second gate', async () => (await handle.query(batonStateQuery)).approvals?.[1]?.state === 'waiting');
    // An answer meant for a call that is not first in line is refused.
    await expect(handle.executeUpdate(approveRunUpdate, { args: [{ approve: true, by: 'ana@laptop', id: 'q1' }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    await handle.executeUpdate(approveRunUpdate, { args: [{ approve: false, by: 'bo@desk' }] });

    const report = (await handle.result()) as RunReport;
    expect(report.status).toBe('completed');
    expect(report.result).toEqual({ first: true, second: false });
    expect(report.logs).toEqual(['before', 'first: true']);
    expect(report.approvals?.map((a) => [a.id, a.state, a.answer, a.answeredBy])).toEqual([
      ['q1', 'approved', true, 'ana@laptop'],
      ['q2', 'rejected', false, 'bo@desk'],
    ]);
    expect(report.approvals?.every((a) => typeof a.answeredAt === 'number' && a.answeredAt >= a.askedAt)).toBe(true);
  });

  it('refuses an answer when nothing waits', async () => {
    const handle = await h.start(script(`await approve('Go?', { timeout: '60s', default: true }); return 1`, { name: 'refuses' }));
    await waitingState(handle);
    await handle.executeUpdate(approveRunUpdate, { args: [{ approve: true, by: 'x@y' }] });
    const error = await handle.executeUpdate(approveRunUpdate, { args: [{ approve: true, by: 'x@y' }] }).catch((e: unknown) => e);
    // Either the run already completed, or it says nothing waits.
    expect(String((error as Error).message ?? error) + String((error as { cause?: Error }).cause?.message ?? '')).toMatch(/not waiting|completed|not found/i);
  });

  it('a stopped run ends the wait: approve() throws RunStoppedError and the run ends stopped', async () => {
    const handle = await h.start(script(`try { await approve('Wait forever?') } catch (e) { log(e.name) ; throw e }`, { name: 'stopped-gate' }));
    await waitingState(handle);
    await handle.executeUpdate(stopRunUpdate);
    const failure = await handle.result().catch((e: unknown) => e);
    const report = ((failure as { cause?: { details?: unknown[] } }).cause?.details?.[0] ?? null) as RunReport | null;
    expect(report?.status).toBe('stopped');
    expect(report?.logs).toEqual(['RunStoppedError']);
    expect(report?.approvals?.[0]?.state).toBe('stopped');
  });

  it('resolves to the default when the timeout passes', async () => {
    const report = await h.run(script(`return await approve('Merge?', { timeout: '1s', default: true })`, { name: 'times-out' }));
    expect(report.result).toBe(true);
    expect(report.approvals?.[0]).toMatchObject({ state: 'timed_out', answer: true, answeredBy: 'timeout', default: true });
  });

  it('resolves to true at once with --auto-approve', async () => {
    const report = await h.run(script(`return await approve('Deploy?')`, { name: 'auto' }), { autoApprove: true });
    expect(report.result).toBe(true);
    expect(report.approvals?.[0]).toMatchObject({ state: 'approved', answeredBy: '--auto-approve' });
  });

  it('rejects bad arguments as a TypeError at the call', async () => {
    const report = await h.run(
      script(
        `
      const errors = []
      for (const call of [() => approve(''), () => approve('x', { timeout: 'soon' }), () => approve('x', { default: true }), () => approve('x', { colour: 1 })]) {
        try { await call() } catch (e) { errors.push(e.name + ': ' + e.message) }
      }
      return errors`,
        { name: 'bad-approve' },
      ),
    );
    const errors = report.result as string[];
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^TypeError: approve\(\) takes a message string/);
    expect(errors[1]).toContain('"timeout" must be a duration');
    expect(errors[2]).toContain('give one too');
    expect(errors[3]).toContain('no option "colour"');
  });
});

describe('--notify', () => {
  let receiver: Server;
  let failing: Server;
  const posts: Array<{ auth: string | undefined; body: Record<string, unknown> }> = [];
  let failingHits = 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        posts.push({ auth: req.headers.authorization, body: JSON.parse(data) as Record<string, unknown> });
        res.end('ok');
      });
    });
    failing = createServer((req, res) => {
      failingHits++;
      req.resume();
      res.statusCode = 503;
      res.end();
    });
    await Promise.all([receiver, failing].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  });
  afterAll(async () => {
    await Promise.all([receiver, failing].map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('posts `waiting` and `ended` with the run summary; a failing receiver does not fail the run', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const failingPort = (failing.address() as AddressInfo).port;
    const notify = await storeNotifyTargets(h.blobStore, [`http://hook:s3cret@127.0.0.1:${port}/hooks/T0K3N`, `http://127.0.0.1:${failingPort}/`]);
    expect(JSON.stringify(notify)).not.toContain('s3cret');
    expect(JSON.stringify(notify)).not.toContain('T0K3N');
    const handle = await h.start(script(`return await approve('Ship it?')`, { name: 'notified' }), { notify });
    await waitingState(handle);
    const waitingPost = await waitFor('the waiting post', async () => posts.find((p) => p.body.workflowId === handle.workflowId && p.body.event === 'waiting'));
    expect(waitingPost.body).toMatchObject({ status: 'waiting', name: 'notified', approvals: [expect.objectContaining({ message: 'Ship it?' })] });
    expect(waitingPost.auth).toBe(`Basic ${Buffer.from('hook:s3cret').toString('base64')}`);
    await handle.executeUpdate(approveRunUpdate, { args: [{ approve: true, by: 'ana@laptop' }] });
    const report = (await handle.result()) as RunReport;
    expect(report.status).toBe('completed');
    const ended = await waitFor('the ended post', async () => posts.find((p) => p.body.workflowId === handle.workflowId && p.body.event === 'ended'));
    expect(ended.body).toMatchObject({ status: 'completed', result: true, branches: [] });
    expect(failingHits).toBeGreaterThan(0);
    // A run cancelled from outside Baton (temporal workflow cancel) still says it ended.
    const cancelled = await h.start(script(`return await approve('Never answered')`, { name: 'cancelled' }), { notify: notify.slice(0, 1) });
    await waitingState(cancelled);
    await cancelled.cancel();
    await cancelled.result().catch(() => undefined);
    const endedCancelled = await waitFor("the cancelled run's ended post", async () =>
      posts.find((p) => p.body.workflowId === cancelled.workflowId && p.body.event === 'ended'),
    );
    expect(endedCancelled.body.status).toBe('stopped');
    // A call still waiting when the run continues as new goes on waiting: the same question,
    // asked at the same time, with the same deadline, and its people are not asked twice.
    const continued = await h.start(
      script(`const gate = approve('Across runs?', { timeout: '8s', default: true })\nawait agent('one')\nreturn await gate`, { name: 'continued-gate' }),
      { notify: notify.slice(0, 1), continueAsNewAfterAgents: 1 },
    );
    const before = await waitFor('the first run to wait', async () => (await continued.query(batonStateQuery)).approvals?.[0]);
    const latest = h.client.workflow.getHandle(continued.workflowId);
    await waitFor(
      'the run to continue as new',
      async () => (await latest.describe()).runId !== (continued as WorkflowHandleWithFirstExecutionRunId).firstExecutionRunId,
    );
    await waitingState(latest);
    await latest.executeUpdate(approveRunUpdate, { args: [{ approve: false, by: 'bo@desk' }] });
    const continuedReport = (await latest.result()) as RunReport;
    expect(continuedReport.result).toBe(false);
    expect(continuedReport.approvals).toEqual([
      expect.objectContaining({
        id: 'q1',
        message: 'Across runs?',
        state: 'rejected',
        askedAt: before.askedAt,
        timeoutAt: before.askedAt + 8000,
        answeredBy: 'bo@desk',
      }),
    ]);
    await waitFor('its ended post', async () => posts.find((p) => p.body.workflowId === continued.workflowId && p.body.event === 'ended'));
    expect(posts.filter((p) => p.body.workflowId === continued.workflowId && p.body.event === 'waiting')).toHaveLength(1);

    // Nothing of the URL's secrets is in the run's history.
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain('s3cret');
    expect(history).not.toContain('T0K3N');
  });
});
