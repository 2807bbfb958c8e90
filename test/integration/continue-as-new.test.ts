// A long run continues as new with its journal (docs/runs.md#long-runs). Temporal suggests it only
// after thousands of events, so the test forces it with RunOptions.continueAsNewAfterAgents.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { fetchResumeSource } from '../../client/resume-source.js';
import { fetchRunReport } from '../../client/run-report.js';
import { defaultModelTable } from '../../contract/models.js';
import { costUsd } from '../../contract/pricing.js';
import { batonDataConverter } from '../../storage/data-converter.js';
import { batonJournalQuery, batonStateQuery } from '../../contract/run-messages.js';
import { firstUserText } from '../model-server/index.js';
import { bundleInterpreter, directiveResponder, script, startHarness, type Harness } from './interpreter-harness.js';

let h: Harness;
const replayOptions = () => ({ workflowBundle: h.bundle, debugMode: false, dataConverter: batonDataConverter(h.blobStore) }) as ReplayWorkerOptions;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: directiveResponder() });
});
afterAll(async () => h?.close());

// Eight agents: six in parallel that finish out of call order (later ones are faster), then two
// that depend on the first six. log() lines mark each step.
const EIGHT_AGENTS = script(`
log('starting');
const found = await parallel([1, 2, 3, 4, 5, 6].map((i) => async () => {
  const text = await agent(args.tag + ' item ' + i + ' [delay=' + (7 - i) * 40 + ']', { label: 'item ' + i });
  log('item ' + i + ' done');
  return text.replace(args.tag, 'TAG');
}));
const summary = await agent(args.tag + ' summarize ' + found.length + ' items');
const check = await agent(args.tag + ' check ' + summary.length);
log('finished');
return { found, summary: summary.replace(args.tag, 'TAG'), check: check.replace(args.tag, 'TAG') };
`);

/** Run ids of a workflow's chain, first to last, following each run's continued-as-new event. */
async function runChain(client: Client, workflowId: string, firstRunId: string): Promise<string[]> {
  const chain = [firstRunId];
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, chain.at(-1)).fetchHistory();
    const next = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return chain;
    chain.push(next);
  }
}

describe('continue-as-new', () => {
  it('carries the journal: same result, each prompt sent once, a continuous report, a chain of runs', async () => {
    const baselineTag = randomUUID().slice(0, 8);
    const baseline = await h.run(EIGHT_AGENTS, { args: { tag: baselineTag }, concurrency: 2 });
    expect(baseline.agents).toMatchObject({ total: 8, succeeded: 8 });

    const tag = randomUUID().slice(0, 8);
    const handle = await h.start(EIGHT_AGENTS, { args: { tag }, concurrency: 2, continueAsNewAfterAgents: 3 });
    // As `baton run` follows a run: the state query by workflow id, while the chain grows.
    const seen: number[] = [];
    let done = false;
    const polling = (async () => {
      while (!done) {
        const state = await h.client.workflow
          .getHandle(handle.workflowId)
          .query(batonStateQuery)
          .catch(() => null);
        if (state) seen.push(state.agents.succeeded);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    // The handle from start() follows the chain to the last run's result.
    const report = (await handle.result().finally(() => (done = true))) as Awaited<ReturnType<typeof h.run>>;
    await polling;
    // The report never went back: a new run starts from where the last one was.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    expect(report.status).toBe('completed');
    expect(report.result).toEqual(baseline.result);
    const prompts = h.modelServer.requests.map((r) => firstUserText(r.body)).filter((p) => p.startsWith(tag));
    expect(prompts).toHaveLength(8);
    expect(new Set(prompts).size).toBe(8);
    // Agents of earlier runs show as they ran (not cached), with their usage.
    expect(report.agents).toMatchObject({ total: 8, succeeded: 8, cached: 0, failed: 0, stopped: 0 });
    for (const agent of report.agentList) expect(agent.tokens.output, agent.label).toBeGreaterThan(0);
    expect(report.tokens.output).toBe(report.agentList.reduce((sum, a) => sum + a.tokens.output, 0));
    expect(report.costUsd).toBeCloseTo(
      report.agentList.reduce((sum, a) => sum + costUsd(a.model, a.tokens, defaultModelTable()), 0),
      12,
    );
    // Every log() line once, though the script ran from the top in each run.
    expect([...report.logs].sort()).toEqual(['finished', 'starting', ...[1, 2, 3, 4, 5, 6].map((i) => `item ${i} done`)].sort());
    expect(report.agentsLeft).toBe(1000 - 8);

    // `describe()` by workflow id gives the last run, which knows the first.
    const latest = await h.client.workflow.getHandle(handle.workflowId).describe();
    const firstRunId = latest.raw.workflowExecutionInfo?.firstRunId;
    expect(firstRunId).toBeTruthy();
    const chain = await runChain(h.client, handle.workflowId, firstRunId!);
    expect(chain.length).toBeGreaterThanOrEqual(3);
    expect(latest.runId).toBe(chain.at(-1));
    expect(latest.status.name).toBe('COMPLETED');
    // Each run of the chain replays: a run that starts from a carried journal is as deterministic as any.
    for (const runId of chain) {
      const history = await h.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      await expect(Worker.runReplayHistory(replayOptions(), history), runId).resolves.toBeUndefined();
    }
    const first = await h.client.workflow.getHandle(handle.workflowId, chain[0]).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    // The report starts with the first run.
    expect(report.startedAt).toBeLessThanOrEqual(first.startTime.getTime() + 1000);
    // What `baton status` and `baton run` read by workflow id: the last run's report.
    const fetched = await fetchRunReport(h.client, handle.workflowId);
    expect(fetched.report.result).toEqual(report.result);
    // The last run's journal holds every call of the logical run.
    const journal = await h.client.workflow.getHandle(handle.workflowId).query(batonJournalQuery);
    expect(journal.entries.map((e) => e.state)).toEqual(Array(8).fill('succeeded'));
    expect(journal.args).toEqual({ tag });
  });

  it('carries a resumed run on: cached calls stay cached, and nothing runs twice', async () => {
    const tag = randomUUID().slice(0, 8);
    const steps = (third: string) =>
      script(['A', 'B', third, 'D'].map((step) => `await agent('${tag} step ${step}');`).join('\n') + `\nreturn await agent('${tag} step E');`);
    const earlierId = `can-source-${randomUUID()}`;
    await h.run(steps('C'), { workflowId: earlierId });
    const { resume } = await fetchResumeSource(h.client, earlierId, 'prefix');

    const before = h.modelServer.requests.length;
    const handle = await h.start(steps('C2'), { resume, continueAsNewAfterAgents: 1 });
    const report = (await handle.result()) as Awaited<ReturnType<typeof h.run>>;
    expect(h.modelServer.requests.slice(before).map((r) => firstUserText(r.body))).toEqual([`${tag} step C2`, `${tag} step D`, `${tag} step E`]);
    expect(report.agentList.map((a) => a.state)).toEqual(['cached', 'cached', 'succeeded', 'succeeded', 'succeeded']);
    expect(report.agents).toMatchObject({ total: 5, cached: 2, succeeded: 3 });
    // What was reused, and the first miss, are counted across the runs of the chain.
    expect(report.reuse).toMatchObject({ fromRunId: earlierId, reused: 2, offered: 5, firstMiss: { agentId: 'a3', changed: ['prompt'] } });
    const latest = await h.client.workflow.getHandle(handle.workflowId).describe();
    expect(latest.runId).not.toBe(latest.raw.workflowExecutionInfo?.firstRunId);
  });
});
