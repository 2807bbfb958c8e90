// Family aliases from the provider's `GET /v1/models` (docs/script-language.md, Model aliases): the
// newest id of the family, listed once per run at its start and recorded, so a replay on a new
// worker and a run that continued as new keep the id even after the provider's list changed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelTable } from '../../contract/models.js';
import { INTERPRETER_WORKFLOW_TYPE, type RunInput, type RunReport } from '../../contract/run-types.js';
import { approveRunUpdate } from '../../contract/run-messages.js';
import { batonStateQuery } from '../../contract/run-messages.js';
import { waitFor } from '../harness/wait-for.js';
import { OFFERED_MODELS, echoResponder, firstUserText, type Responder } from '../model-server/index.js';
import { bundleInterpreter, compile, defaultRunOptions, script, startExtraWorker, startHarness, type Harness } from './interpreter-harness.js';

const NEWER_FABLE = { id: 'claude-fable-6', createdAt: '2026-12-01T00:00:00Z' };
let h: Harness;
// Lets a test change the provider's list at the moment an agent reaches the model.
let onRequest: (prompt: string) => void = () => {};
const responder: Responder = (request, ctx) => {
  onRequest(firstUserText(request));
  return echoResponder(request, ctx);
};

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder });
});
afterAll(async () => h?.close());

const modelOf = (prompt: string) => h.modelServer.requests.filter((r) => firstUserText(r.body).includes(prompt)).map((r) => r.body.model);

describe('family aliases', () => {
  it('resolve to the newest listed id of the family, for any family the provider lists; status shows the id', async () => {
    h.modelServer.setModels([
      ...OFFERED_MODELS,
      { id: 'claude-glimmer-2-0', createdAt: '2026-10-01T00:00:00Z' },
      { id: 'claude-glimmer-1-9', createdAt: '2026-05-01T00:00:00Z' },
    ]);
    try {
      const listingsBefore = h.modelServer.modelListings;
      const report = await h.run(
        script(
          `return [await agent('fable please', { model: 'fable' }), await agent('glimmer please', { model: 'glimmer' }), await agent('opus please', { model: 'opus' })];`,
        ),
      );
      expect(report.status).toBe('completed');
      expect(report.agentList.map((agent) => agent.model)).toEqual(['claude-fable-5-2', 'claude-glimmer-2-0', 'claude-opus-5-5']);
      expect(modelOf('fable please')).toEqual(['claude-fable-5-2']);
      // Priced by family: fable has a price, glimmer has none and is reported unpriced.
      expect(report.agentList[0]?.unpriced).toBeFalsy();
      expect(report.agentList[0]?.costUsd).toBeGreaterThan(0);
      expect(report.agentList[1]?.costUsd ?? 0).toBe(0);
      expect(report.unpricedModels).toEqual(['claude-glimmer-2-0']);
      expect(h.modelServer.modelListings - listingsBefore).toBe(1);
    } finally {
      h.modelServer.setModels(OFFERED_MODELS);
    }
  });

  it("an alias the config file sets wins over the provider's newest id", async () => {
    const table = defaultModelTable();
    const report = await h.run(script(`return await agent('pinned fable', { model: 'fable' });`), {
      modelTable: { ...table, aliases: { ...table.aliases, fable: 'claude-fable-5' }, configAliases: ['fable'] },
    });
    expect(report.agentList[0]?.model).toBe('claude-fable-5');
  });

  it('where the provider lists no models (404), the default aliases apply', async () => {
    h.modelServer.setModels(null);
    try {
      const report = await h.run(script(`return await agent('default opus', { model: 'opus' });`));
      expect(report.agentList[0]?.model).toBe('claude-opus-5-5');
    } finally {
      h.modelServer.setModels(OFFERED_MODELS);
    }
  });
});

describe('the resolved id is recorded for the whole run', () => {
  it('a run replayed on a new worker after the list changed keeps the id it resolved at its start', async () => {
    const taskQueue = `aliases-${randomUUID()}`;
    const first = await startExtraWorker(h, taskQueue);
    let second: { stop(): Promise<void> } | undefined;
    try {
      const input: RunInput = {
        script: await compile(
          script(`const a = await agent('replayed one', { model: 'fable' });
await approve('go on?');
return [a, await agent('replayed two', { model: 'fable' })];`),
        ),
        options: defaultRunOptions(),
      };
      const handle = await h.client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { taskQueue, workflowId: `aliases-${randomUUID()}`, args: [input] });
      await waitFor('the run to wait', async () => (await handle.query(batonStateQuery)).status === 'waiting');
      const listings = h.modelServer.modelListings;
      // The provider releases a newer fable while the run waits, and the run moves to another worker.
      await first.stop();
      h.modelServer.setModels([NEWER_FABLE, ...OFFERED_MODELS]);
      second = await startExtraWorker(h, taskQueue);
      await handle.executeUpdate(approveRunUpdate, { args: [{ approve: true, by: 'test' }] });
      const report = (await handle.result()) as RunReport;
      expect(report.agentList.map((agent) => agent.model)).toEqual(['claude-fable-5-2', 'claude-fable-5-2']);
      expect(modelOf('replayed two')).toEqual(['claude-fable-5-2']);
      // The new worker replayed the recorded listing; it did not ask the provider again.
      expect(h.modelServer.modelListings).toBe(listings);
      // A new run sees the new release.
      const fresh = await h.run(script(`return await agent('after the release', { model: 'fable' });`));
      expect(fresh.agentList[0]?.model).toBe(NEWER_FABLE.id);
    } finally {
      await second?.stop();
      await first.stop().catch(() => undefined);
      h.modelServer.setModels(OFFERED_MODELS);
    }
  });

  it('a run that continues as new after the list changed keeps the id', async () => {
    onRequest = (prompt) => {
      if (prompt.includes('continued one')) h.modelServer.setModels([NEWER_FABLE, ...OFFERED_MODELS]);
    };
    try {
      const report = await h.run(
        script(`const a = await agent('continued one', { model: 'fable' });
return [a, await agent('continued two', { model: 'fable' })];`),
        { continueAsNewAfterAgents: 1 },
      );
      expect(report.status).toBe('completed');
      expect(modelOf('continued one')).toEqual(['claude-fable-5-2']);
      expect(modelOf('continued two')).toEqual(['claude-fable-5-2']);
    } finally {
      onRequest = () => {};
      h.modelServer.setModels(OFFERED_MODELS);
    }
  });
});
