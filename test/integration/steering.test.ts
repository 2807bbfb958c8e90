// Steering a running run by its workflow id (docs/runs.md#steering-and-watching): pause and resume, stop the run, stop or
// restart one agent; and what the run shows outside (agent detail, Temporal UI details, search
// attributes). The real worker and dev server; the model server's delays keep agents running
// long enough to steer, and its request log shows what reached the model and when.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../contract/run-types.js';
import { echoResponder, firstUserText, previousToolUses, reply, text, toolUse, type RecordedRequest, type Responder } from '../model-server/index.js';
import {
  batonStateQuery,
  batonAgentQuery,
  pauseRunUpdate,
  restartAgentUpdate,
  resumeRunUpdate,
  stopAgentUpdate,
  stopRunUpdate,
} from '../../contract/run-messages.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';
import { waitFor } from '../harness/wait-for.js';

let h: Harness;
/** Times each task prompt reached the model (first turns only). */
const asked = new Map<string, number>();

/**
 * The echo model; `[delay=MS]` delays the answer (the server notices a cancelled request);
 * `[restart]` is slow the first time and quick, answering `second attempt`, after; `[tool]`
 * calls Glob once before answering.
 */
const responder: Responder = async (request, ctx) => {
  const prompt = firstUserText(request);
  const turns = previousToolUses(request).length;
  if (turns === 0) asked.set(prompt, (asked.get(prompt) ?? 0) + 1);
  if (prompt.includes('[tool]') && turns === 0) return reply(toolUse('Glob', { pattern: '*.md' }));
  if (prompt.includes('[restart]')) {
    return asked.get(prompt) === 1 ? { ...reply(text('first attempt')), delayMs: 60_000 } : reply(text('second attempt'));
  }
  const delay = Number(/\[delay=(\d+)\]/.exec(prompt)?.[1] ?? 0);
  return { ...(await echoResponder(request, ctx)), delayMs: delay };
};

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder });
});
afterAll(async () => h?.close());

function requestsFor(marker: string): RecordedRequest[] {
  return h.modelServer.requests.filter((r) => firstUserText(r.body).includes(marker));
}

async function agentState(handle: WorkflowHandle, id: string): Promise<string | undefined> {
  const report = await handle.query(batonStateQuery);
  return report.agentList.find((a) => a.id === id)?.state;
}

async function stoppedReport(handle: WorkflowHandle): Promise<{ failure: ApplicationFailure; report: RunReport }> {
  const error = await handle.result().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const failure = (error as WorkflowFailedError).cause as ApplicationFailure;
  expect(failure).toBeInstanceOf(ApplicationFailure);
  return { failure, report: failure.details?.[0] as RunReport };
}

describe('pause and resume', () => {
  it('starts no model request while paused, lets the running agent finish, then completes', async () => {
    const tag = randomUUID().slice(0, 8);
    const handle = await h.start(
      script(`
const out = []
for (const n of [1, 2, 3]) out.push(await agent('step ' + n + ' ${tag} [delay=1500]'))
return out
`),
      { concurrency: 1 },
    );
    await waitFor('the first agent to reach the model', () => requestsFor(`step 1 ${tag}`).length > 0);
    const answer = await handle.executeUpdate(pauseRunUpdate);
    const pausedAt = Date.now();
    expect(answer.status).toBe('paused');
    expect((await handle.query(batonStateQuery)).status).toBe('paused');

    // The running agent finishes; the next one waits.
    await waitFor('the first agent to succeed', async () => (await agentState(handle, 'a1')) === 'succeeded');
    await new Promise((r) => setTimeout(r, 2500));
    const report = await handle.query(batonStateQuery);
    expect(report.status).toBe('paused');
    expect(report.agentList.map((a) => a.state)).toEqual(['succeeded', 'pending']);
    await expect(handle.executeUpdate(pauseRunUpdate)).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

    const resumedAt = Date.now();
    expect((await handle.executeUpdate(resumeRunUpdate)).status).toBe('running');
    const final = (await handle.result()) as RunReport;
    expect(final.status).toBe('completed');
    expect(final.result).toEqual([1, 2, 3].map((n) => `echo: step ${n} ${tag} [delay=1500]`));

    const started = [1, 2, 3].map((n) => requestsFor(`step ${n} ${tag}`)[0]!.receivedAt);
    expect(started[0]).toBeLessThan(pausedAt);
    expect(h.modelServer.requests.filter((r) => firstUserText(r.body).includes(tag) && r.receivedAt > pausedAt && r.receivedAt < resumedAt)).toEqual([]);
    expect(started[1]).toBeGreaterThanOrEqual(resumedAt);
  });

  it('refuses to resume a run that is not paused', async () => {
    const handle = await h.start(script(`return await agent('not paused [delay=1000]')`));
    const refusal = await handle.executeUpdate(resumeRunUpdate).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refusal as WorkflowUpdateFailedError).cause?.message)).toMatch(/not paused/);
    expect(((await handle.result()) as RunReport).status).toBe('completed');
  });
});

describe('stop', () => {
  it('ends the run `stopped` within seconds, running agents cancelled, completed results kept', async () => {
    const tag = randomUUID().slice(0, 8);
    const handle = await h.start(
      script(
        `
phase('Work')
const results = await parallel([
  () => agent('quick ${tag}'),
  () => agent('slow one ${tag} [delay=60000]'),
  () => agent('slow two ${tag} [delay=60000]'),
])
return results
`,
        { phases: [{ title: 'Work' }] },
      ),
    );
    await waitFor('both slow agents to reach the model', () => requestsFor(`slow`).filter((r) => firstUserText(r.body).includes(tag)).length === 2);
    await waitFor('the quick agent to succeed', async () => (await agentState(handle, 'a1')) === 'succeeded');
    const stoppedAt = Date.now();
    expect((await handle.executeUpdate(stopRunUpdate)).status).toBe('stopped');

    const { failure, report } = await stoppedReport(handle);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(failure.type).toBe('RunStopped');
    expect(report.status).toBe('stopped');
    expect(report.result).toEqual([`echo: quick ${tag}`, null, null]);
    expect(report.agentList.map((a) => [a.id, a.state])).toEqual([
      ['a1', 'succeeded'],
      ['a2', 'stopped'],
      ['a3', 'stopped'],
    ]);
    expect(report.agents).toMatchObject({ succeeded: 1, stopped: 2 });
    // The cancellation reached the activities: they hung up on the model within seconds.
    await waitFor('the slow requests to be aborted', () => requestsFor(tag).filter((r) => r.reply.kind === 'aborted').length === 2, 15_000);
  });

  it('makes agents not yet started throw RunStoppedError in the script', async () => {
    const tag = randomUUID().slice(0, 8);
    const handle = await h.start(
      script(`
let caught = null
try {
  await agent('first ${tag} [delay=60000]')
} catch (e) {
  caught = e.name
}
try {
  await agent('second ${tag}')
} catch (e) {
  return { first: caught, second: e.name }
}
return 'not stopped'
`),
    );
    await waitFor('the first agent to reach the model', () => requestsFor(`first ${tag}`).length > 0);
    await handle.executeUpdate(stopRunUpdate);
    const { report } = await stoppedReport(handle);
    expect(report.status).toBe('stopped');
    expect(report.result).toEqual({ first: 'RunStoppedError', second: 'RunStoppedError' });
    expect(requestsFor(`second ${tag}`)).toEqual([]);
  });
});

describe('agent stop', () => {
  it('resolves that agent to null, marks it stopped, and the run completes', async () => {
    const tag = randomUUID().slice(0, 8);
    const handle = await h.start(
      script(`
const [quick, slow] = await parallel([() => agent('quick ${tag}'), () => agent('slow ${tag} [delay=60000]')])
return { quick, slow }
`),
    );
    await waitFor('the slow agent to reach the model', () => requestsFor(`slow ${tag}`).length > 0);
    const answer = await handle.executeUpdate(stopAgentUpdate, { args: ['a2'] });
    expect(answer.message).toMatch(/a2 cancelled/);
    const report = (await handle.result()) as RunReport;
    expect(report.status).toBe('completed');
    expect(report.result).toEqual({ quick: `echo: quick ${tag}`, slow: null });
    expect(report.agentList[1]).toMatchObject({ id: 'a2', state: 'stopped' });
    expect(report.agents).toMatchObject({ succeeded: 1, stopped: 1, failed: 0 });
  });

  it('keeps a pending agent from starting', async () => {
    const tag = randomUUID().slice(0, 8);
    const handle = await h.start(script(`return await parallel([() => agent('running ${tag} [delay=2000]'), () => agent('queued ${tag}')])`), {
      concurrency: 1,
    });
    await waitFor('the first agent to reach the model', () => requestsFor(`running ${tag}`).length > 0);
    expect(await agentState(handle, 'a2')).toBe('pending');
    await handle.executeUpdate(stopAgentUpdate, { args: ['a2'] });
    const report = (await handle.result()) as RunReport;
    expect(report.result).toEqual([`echo: running ${tag} [delay=2000]`, null]);
    expect(requestsFor(`queued ${tag}`)).toEqual([]);
  });

  it('refuses an unknown agent and one that has ended', async () => {
    const tag = randomUUID().slice(0, 8);
    const handle = await h.start(script(`await agent('done ${tag}'); return await agent('later ${tag} [delay=3000]')`));
    await waitFor('the second agent to reach the model', () => requestsFor(`later ${tag}`).length > 0);
    const unknown = await handle.executeUpdate(stopAgentUpdate, { args: ['a9'] }).catch((e: unknown) => e);
    expect(String((unknown as WorkflowUpdateFailedError).cause?.message)).toMatch(/no agent a9/);
    const ended = await handle.executeUpdate(restartAgentUpdate, { args: ['a1'] }).catch((e: unknown) => e);
    expect(String((ended as WorkflowUpdateFailedError).cause?.message)).toMatch(/a1 is succeeded/);
    expect(((await handle.result()) as RunReport).status).toBe('completed');
  });
});

describe('agent restart', () => {
  it('runs the agent again from scratch and its agent() call gets the new result', async () => {
    const tag = randomUUID().slice(0, 8);
    const prompt = `restart me ${tag} [restart]`;
    const handle = await h.start(script(`return await agent('${prompt}')`));
    await waitFor('the first attempt to reach the model', () => requestsFor(tag).length > 0);
    expect((await handle.executeUpdate(restartAgentUpdate, { args: ['a1'] })).message).toMatch(/starting again/);
    const report = (await handle.result()) as RunReport;
    expect(report).toMatchObject({ status: 'completed', result: 'second attempt' });
    expect(report.agentList[0]).toMatchObject({ state: 'succeeded', restarts: 1 });
    expect(asked.get(prompt)).toBe(2);
    expect(requestsFor(tag)).toHaveLength(2);
  });
});

describe('what the run shows', () => {
  it('answers the agent query with the whole prompt, recent tool calls and result', async () => {
    const tag = randomUUID().slice(0, 8);
    const long = `look around ${tag} [tool] ${'x'.repeat(400)}`;
    const handle = await h.start(script(`return await agent(${JSON.stringify(long)}, { label: 'looker' })`));
    const report = (await handle.result()) as RunReport;
    expect(report.agentList[0]!.prompt!.length).toBeLessThanOrEqual(200);
    const detail = await handle.query(batonAgentQuery, 'a1');
    expect(detail).toMatchObject({ prompt: long, result: 'done: 1 tool result(s) received', recentToolCalls: ['Glob {"pattern":"*.md"}'] });
    expect(detail!.agent).toMatchObject({ id: 'a1', label: 'looker', state: 'succeeded', lastToolCall: 'Glob {"pattern":"*.md"}' });
    expect(await handle.query(batonAgentQuery, 'a7')).toBeNull();
  });

  it('keeps the Temporal UI details and Baton search attributes current', async () => {
    const tag = randomUUID().slice(0, 8);
    const workflowId = `visible-${tag}`;
    const handle = await h.start(
      script(`phase('Scan'); await agent('scan ${tag} [delay=2500]'); phase('Sum'); return await agent('sum ${tag}')`, {
        name: 'visible-run',
        phases: [{ title: 'Scan' }, { title: 'Sum' }],
      }),
      { workflowId },
    );
    await waitFor('the scan agent to reach the model', () => requestsFor(`scan ${tag}`).length > 0);
    const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    expect(metadata.currentDetails).toContain('| Phase |');
    expect(metadata.currentDetails).toMatch(/\| Scan \| 1 \| 0 \| 1 \|/);

    const running = await waitFor('visibility of the running run', async () => {
      for await (const info of h.client.workflow.list({ query: `WorkflowId = '${workflowId}' AND BatonStatus = "running" AND BatonPhase = "Scan"` }))
        return info;
      return null;
    });
    expect(running.typedSearchAttributes.get({ name: 'BatonScript', type: 'KEYWORD' })).toBe('visible-run');

    await handle.result();
    const done = await waitFor('visibility of the completed run', async () => {
      for await (const info of h.client.workflow.list({ query: `WorkflowId = '${workflowId}' AND BatonStatus = "completed"` })) return info;
      return null;
    });
    const attributes = done.typedSearchAttributes;
    expect(attributes.get({ name: 'BatonPhase', type: 'KEYWORD' })).toBe('Sum');
    expect(attributes.get({ name: 'BatonAgents', type: 'INT' })).toBe(2);
    expect(attributes.get({ name: 'BatonTokens', type: 'INT' })).toBeGreaterThan(0);
    expect(attributes.get({ name: 'BatonCostUsd', type: 'DOUBLE' })).toBeGreaterThan(0);
    // Upserted when something changed, not on every workflow task: a handful for two agents
    // (Baton's own; the SDK upserts TemporalChangeVersion once per patch a run takes).
    const history = await handle.fetchHistory();
    const upserts = (history.events ?? []).filter((e) =>
      Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some((name) => name.startsWith('Baton')),
    ).length;
    expect(upserts).toBeGreaterThan(2);
    expect(upserts).toBeLessThanOrEqual(8);
  });
});
