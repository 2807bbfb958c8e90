// Long agents (docs/runs.md#budgets, issue "Every turn counts"): an agent tells its run about every model turn,
// so ceilings hold per turn (overshoot at most one turn per agent in flight), every attempt's
// tokens count, the live view follows each turn, `timeout` is a fuse for the agent as a whole and
// `stallMs` abandons a stuck call. Real dev server, real worker and SDK; the model server plays
// agents of many turns: `[turns=N]` tool-calling turns, `[out=CHARS]` of text in each (CHARS/4
// output tokens), `[delay=MS]` before each answer, `[generate=MS]` between an answer's
// message_start and its content, `[stall-at=K]` once on its K-th call.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir.js';
import { defaultModelTable, priceOf } from '../../contract/models.js';
import { turnCost } from '../../contract/pricing.js';
import { INTERPRETER_WORKFLOW_TYPE, type RunInput, type RunReport, type TokenUsage } from '../../contract/run-types.js';
import { batonStateQuery, batonAgentQuery, raiseBudgetUpdate, stopAgentUpdate, stopRunUpdate } from '../../contract/run-messages.js';
import { firstUserText, manyTurnsResponder, type RecordedRequest } from '../model-server/index.js';
import { bundleInterpreter, compile, defaultRunOptions, script, startExtraWorker, startHarness, type Harness } from './interpreter-harness.js';
import { waitFor } from '../harness/wait-for.js';

// Shared by the two workers of the crash test, as a fleet's object store would be.
const checkpointDir = tempDir('baton-checkpoints-');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: manyTurnsResponder() });
});
afterAll(async () => h?.close());

/** The model calls the server answered for prompts containing `tag`, and those it had begun answering when the client left (billed all the same). */
function served(tag: string): RecordedRequest[] {
  return h.modelServer.requests.filter((r) => (r.reply.kind === 'message' || r.reply.kind === 'interrupted') && firstUserText(r.body).includes(tag));
}

function usageOf(request: RecordedRequest): TokenUsage {
  if (request.reply.kind !== 'message' && request.reply.kind !== 'interrupted') throw new Error('not a message');
  const u = request.reply.usage;
  return { input: u.input_tokens, output: u.output_tokens, cacheRead: u.cache_read_input_tokens, cacheWrite: u.cache_creation_input_tokens };
}

/**
 * The last call each agent made, among those served: when the run stops an agent, the call it was
 * making may have been begun by the server (billed) before its first event reached the agent, a
 * race the agent cannot see, so at most these go uncounted (docs/design.md, turn reports).
 */
function lastCallOfEach(tag: string, prompts: string[]): RecordedRequest[] {
  return prompts.flatMap((prompt) =>
    served(tag)
      .filter((r) => firstUserText(r.body).includes(prompt))
      .slice(-1),
  );
}

function outputServed(tag: string): number {
  return served(tag).reduce((sum, r) => sum + usageOf(r).output, 0);
}

/** What the provider billed for those calls, each priced at the current table and its own tier. */
function costServed(tag: string, model: string): number {
  const price = priceOf(model, defaultModelTable());
  return served(tag).reduce((sum, r) => sum + turnCost(price, usageOf(r)), 0);
}

// Each answer starts at once and takes 400 ms to generate, so when a ceiling is reached the
// other agents' calls are mid-answer: billed, and counted only if the run waits to hear of them.
const fourLongAgents = (tag: string) =>
  script(`await Promise.all([1, 2, 3, 4].map((i) => agent('long ' + i + ' ${tag} [turns=30] [out=1000] [generate=400]')));\nreturn 'unreachable';`);

describe('ceilings per turn', () => {
  it('--budget-tokens: four agents of 30 turns overshoot by at most one turn each, and every served token counts', async () => {
    const tag = randomUUID();
    const ceiling = 3000;
    const { failure, report } = await h.fail(fourLongAgents(tag), { budgetTokens: ceiling });
    const perTurn = 260;
    const total = outputServed(tag);
    expect(failure.type).toBe('BudgetExhausted');
    expect(report.status).toBe('budget_exhausted');
    // Far from 4 x 30 turns: the run stopped them within a turn of the ceiling.
    expect(total).toBeGreaterThanOrEqual(ceiling);
    expect(total).toBeLessThan(ceiling + 4 * perTurn);
    // Every call the provider billed is in the totals, the stopped agents' last ones included
    // (those cut off mid-answer too): the run waited for its cancelled agents to say what they spent.
    expect(report.budget.spentTokens).toBe(report.tokens.output);
    const unseen = lastCallOfEach(
      tag,
      [1, 2, 3, 4].map((i) => `long ${i} ${tag} `),
    ).map(usageOf);
    const inputServed = served(tag).reduce((sum, r) => sum + usageOf(r).input, 0);
    expect(report.tokens.output).toBeLessThanOrEqual(total);
    expect(report.tokens.output).toBeGreaterThanOrEqual(total - unseen.reduce((sum, u) => sum + u.output, 0));
    expect(report.tokens.input).toBeLessThanOrEqual(inputServed);
    expect(report.tokens.input).toBeGreaterThanOrEqual(inputServed - unseen.reduce((sum, u) => sum + u.input, 0));
    expect(report.agentList.map((a) => a.state)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
  }, 90_000);

  it('--max-cost: the cost is the served usage at the current prices, overshot by at most one turn per agent', async () => {
    const tag = randomUUID();
    const ceiling = 0.3;
    const { report } = await h.fail(fourLongAgents(tag), { maxCostUsd: ceiling, model: 'opus' });
    const cost = costServed(tag, 'claude-opus-5-5');
    // Opus 5.5 at $4/$20: a turn costs at most about 260 output tokens and 10k prompt tokens.
    const perTurnCost = (260 * 20 + 10_000 * 4) / 1e6;
    expect(report.status).toBe('budget_exhausted');
    // As above: every served turn, at its own tier, but for the calls a stop may have left unseen.
    const price = priceOf('claude-opus-5-5', defaultModelTable());
    const unseenCost = lastCallOfEach(
      tag,
      [1, 2, 3, 4].map((i) => `long ${i} ${tag} `),
    ).reduce((sum, r) => sum + turnCost(price, usageOf(r)), 0);
    expect(report.costUsd).toBeLessThanOrEqual(cost + 1e-9);
    expect(report.costUsd).toBeGreaterThanOrEqual(cost - unseenCost - 1e-9);
    expect(report.costUsd).toBeGreaterThanOrEqual(ceiling);
    expect(cost).toBeLessThan(ceiling + 4 * perTurnCost);
    expect(served(tag).length).toBeLessThan(4 * 30);
  }, 90_000);

  it('--on-budget pause: the run pauses at the ceiling, a raise lets it finish', async () => {
    const tag = randomUUID();
    const source = script(
      `const out = await parallel([1, 2].map((i) => () => agent('paced ' + i + ' ${tag} [turns=6] [out=400] [delay=100]')));\nreturn out.map((r) => r.length);`,
    );
    const handle = await h.start(source, { budgetTokens: 600, onBudget: 'pause' });
    const paused = await waitFor('the run to pause at its ceiling', async () => {
      const state = await handle.query(batonStateQuery);
      return state.status === 'paused' ? state : null;
    });
    expect(paused.pausedReason).toMatch(/^budget: The run's token budget is spent/);
    // Held: once the call in flight when the ceiling was reached has ended, no agent makes another.
    await new Promise((r) => setTimeout(r, 1000));
    const heldAt = served(tag).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(served(tag).length).toBe(heldAt);
    expect(heldAt).toBeLessThan(12);

    const answer = await handle.executeUpdate(raiseBudgetUpdate, { args: [{ budgetTokens: 100_000 }] });
    expect(answer.status).toBe('running');
    const report = (await handle.result()) as RunReport;
    expect(report.status).toBe('completed');
    expect(report.result).toEqual([400, 400]);
    expect(report.budget.totalTokens).toBe(100_000);
    expect(report.budget.spentTokens).toBe(outputServed(tag));
    expect(served(tag).length).toBe(12);
  }, 90_000);
});

describe('every attempt counts', () => {
  it('counts the turns of an agent stopped mid-run, the one at the model included', async () => {
    const tag = randomUUID();
    const source = script(`const r = await agent('stoppable ${tag} [turns=40] [out=200] [delay=200]');\nreturn r;`);
    const handle = await h.start(source);
    await waitFor('four turns', () => served(tag).length >= 4);
    await handle.executeUpdate(stopAgentUpdate, { args: ['a1'] });
    const report = (await handle.result()) as RunReport;
    expect(report.agentList[0]!.state).toBe('stopped');
    expect(report.tokens.output).toBe(outputServed(tag));
    expect(report.tokens.input).toBe(served(tag).reduce((sum, r) => sum + usageOf(r).input, 0));
  }, 60_000);

  it('baton stop of a multi-turn agent: the agent is stopped, its call throws RunStoppedError, every served turn counts', async () => {
    const tag = randomUUID();
    const source = script(`try { return await agent('race ${tag} [turns=40] [out=50] [delay=100]') } catch (e) { log(e.name); throw e }`);
    const handle = await h.start(source);
    await waitFor('three calls', () => served(tag).length >= 3);
    await handle.executeUpdate(stopRunUpdate);
    const failure = await handle.result().catch((e: unknown) => e);
    const report = (failure as { cause?: { details?: unknown[] } }).cause?.details?.[0] as RunReport;
    expect(report.status).toBe('stopped');
    expect(report.agentList[0]!.state).toBe('stopped');
    expect(report.logs).toEqual(['RunStoppedError']);
    expect(report.tokens.output).toBe(outputServed(tag));
  }, 60_000);

  it('an agent stopped while its turn report is held at a paused ceiling is counted once', async () => {
    const tag = randomUUID();
    const handle = await h.start(script(`return await agent('held ${tag} [turns=10] [out=400] [delay=100]')`), { budgetTokens: 300, onBudget: 'pause' });
    await waitFor('the run to pause at its ceiling', async () => (await handle.query(batonStateQuery)).status === 'paused');
    await handle.executeUpdate(stopAgentUpdate, { args: ['a1'] });
    const report = (await handle.result()) as RunReport;
    expect(report.agentList[0]!.state).toBe('stopped');
    expect(report.tokens.output).toBe(outputServed(tag));
    expect(report.tokens.input + report.tokens.cacheRead + report.tokens.cacheWrite).toBe(
      served(tag).reduce((sum, r) => sum + usageOf(r).input + usageOf(r).cacheRead + usageOf(r).cacheWrite, 0),
    );
  }, 60_000);

  it('a run stopped while a call is mid-answer waits for its agent and counts that call', async () => {
    const tag = randomUUID();
    // Each answer takes a minute to generate; the stop comes while the first one does.
    const handle = await h.start(script(`return await agent('cut off ${tag} [turns=3] [generate=60000]');`));
    await waitFor('the call to be answering', () => h.modelServer.requests.some((r) => firstUserText(r.body).includes(tag)));
    await new Promise((r) => setTimeout(r, 500));
    const stoppedAt = Date.now();
    await handle.executeUpdate(stopRunUpdate);
    const failure = await handle.result().catch((e: unknown) => e);
    const report = (failure as { cause?: { details?: unknown[] } }).cause?.details?.[0] as RunReport;
    // Well before the minute: the agent heard of the stop at its next heartbeat.
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect(report.status).toBe('stopped');
    const calls = h.modelServer.requests.filter((r) => firstUserText(r.body).includes(tag));
    expect(calls.map((r) => r.reply.kind)).toEqual(['interrupted']);
    // The cut-off call's prompt (here written to the cache) was billed, and is counted.
    expect(usageOf(calls[0]!).cacheWrite).toBeGreaterThan(0);
    expect(report.tokens).toEqual(usageOf(calls[0]!));
  }, 60_000);

  it('a 2 s timeout ends a 6 s agent in about 2 s with one model call, as TimeoutError', async () => {
    const tag = randomUUID();
    const started = Date.now();
    const report = await h.run(script(`return await agent('slow ${tag} [delay=6000]', { timeout: '2s' });`));
    const elapsed = Date.now() - started;
    expect(report.result).toBeNull();
    expect(report.agentList[0]!.state).toBe('failed');
    expect(report.agentList[0]!.error).toMatch(/^TimeoutError: agent a1 ran past its timeout of 2s/);
    // Well before the model's 6 s answer, on a machine that may be busy with other test files.
    expect(elapsed).toBeLessThan(5_500);
    expect(h.modelServer.requests.filter((r) => firstUserText(r.body).includes(tag))).toHaveLength(1);
  }, 30_000);

  it('a timed-out multi-turn agent keeps the tokens of the turns it finished', async () => {
    const tag = randomUUID();
    const report = await h.run(script(`return await agent('paced ${tag} [turns=50] [out=400] [delay=300]', { timeout: '3s' });`));
    expect(report.agentList[0]!.error).toMatch(/^TimeoutError/);
    const total = outputServed(tag);
    expect(total).toBeGreaterThan(0);
    // The call the timeout cut may be billed yet unseen by the agent, as with a stop (above).
    const [cut] = lastCallOfEach(tag, [`paced ${tag} `]).map(usageOf);
    expect(report.tokens.output).toBeGreaterThanOrEqual(total - cut!.output);
    expect(report.tokens.output).toBeLessThanOrEqual(total);
  }, 30_000);
});

describe('stallMs', () => {
  it('abandons a call with no progress and goes on from the checkpoint, counting the stall', async () => {
    const tag = randomUUID();
    const started = Date.now();
    const report = await h.run(script(`return await agent('stuck ${tag} [turns=3] [stall-at=2]', { stallMs: 5000 });`));
    const elapsed = Date.now() - started;
    expect(report.status).toBe('completed');
    expect(report.agentList[0]).toMatchObject({ state: 'succeeded', stalls: 1, turns: 3 });
    expect(elapsed).toBeLessThan(30_000);
    // The stalled call was made again with the same conversation: no completed turn repeated.
    const calls = h.modelServer.requests.filter((r) => firstUserText(r.body).includes(tag));
    expect(calls.map((r) => r.body.messages.length)).toEqual([1, 3, 3, 5]);
  }, 60_000);
});

describe('a script that ends with agents still running', () => {
  it('ends them, counts what they spent, and starts none of those still waiting for a slot', async () => {
    const tag = randomUUID();
    // Four agents at a cap of two, none awaited: two run, two wait for a slot, and the script ends
    // two seconds later (an approve() that times out), long before the running ones' 40 turns.
    const handle = await h.start(
      script(
        `for (const i of [1, 2, 3, 4]) agent('left ${tag} ' + i + ' [turns=40] [delay=100]')\nawait approve('Go on?', { timeout: '2s', default: true })\nreturn 'done'`,
      ),
      {
        concurrency: 2,
      },
    );
    const report = (await handle.result()) as RunReport;
    expect(report.status).toBe('completed');
    expect(report.result).toBe('done');
    const asked = (i: number) => h.modelServer.requests.filter((r) => firstUserText(r.body).includes(`left ${tag} ${i} `)).length;
    expect(asked(1)).toBeGreaterThan(0);
    expect(asked(3) + asked(4)).toBe(0);
    expect(report.agentList.filter((a) => a.label.startsWith('left')).map((a) => a.state)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    // What the two running ones spent is in the report: every call the provider answered or began,
    // except, at most, the one each was making when stopped, if the stop reached it after the server
    // began the answer but before its first event reached the agent (a race the agent cannot see).
    const mostUnseen = lastCallOfEach(
      tag,
      [1, 2].map((i) => `left ${tag} ${i} `),
    ).reduce((sum, r) => sum + usageOf(r).output, 0);
    expect(report.tokens.output).toBeLessThanOrEqual(outputServed(tag));
    expect(report.tokens.output).toBeGreaterThanOrEqual(outputServed(tag) - mostUnseen);
  }, 60_000);
});

describe('the live view', () => {
  it("shows a running agent's turns, tokens, cost and last tool call within seconds of each turn", async () => {
    const tag = randomUUID();
    const handle = await h.start(script(`return await agent('watched ${tag} [turns=8] [out=120] [delay=1500]');`));
    await waitFor(
      'the fourth model call',
      () => served(tag).length >= 3 && h.modelServer.requests.filter((r) => firstUserText(r.body).includes(tag)).length >= 4,
    );
    const seenAt = Date.now();
    const agent = await waitFor('three turns in the run state', async () => {
      const a = (await handle.query(batonStateQuery)).agentList[0];
      return a && a.turns >= 3 ? a : null;
    });
    expect(Date.now() - seenAt).toBeLessThan(5_000);
    expect(agent.state).toBe('running');
    expect(agent.tokens.output).toBeGreaterThanOrEqual(3 * 30);
    expect(agent.costUsd).toBeGreaterThan(0);
    expect(agent.lastToolCall).toMatch(/^Glob \{"pattern":"\*\.turn\d"\}$/);
    expect(agent.lastProgressAt).toBeGreaterThan(0);
    const detail = await handle.query(batonAgentQuery, 'a1');
    expect(detail?.recentToolCalls.length).toBeGreaterThanOrEqual(3);
    expect(detail?.lastText).toMatch(/^x+$/);
    await handle.terminate('test done');
  }, 60_000);
});

describe('a worker lost mid-agent', () => {
  it('counts the turns its attempt finished, and the retry on another worker does not count them twice', async () => {
    const tag = randomUUID();
    const taskQueue = `long-agents-${randomUUID()}`;
    const source = script(`return await agent('crossing ${tag} [turns=12] [out=200] [delay=250]');`);
    const input: RunInput = { script: await compile(source), options: defaultRunOptions() };
    const handle = await h.client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { taskQueue, workflowId: `long-crash-${tag}`, args: [input] });
    const a = await startExtraWorker(h, taskQueue, checkpointDir);
    await waitFor('five turns on worker A', () => served(tag).length >= 5);
    await a.stop();
    const b = await startExtraWorker(h, taskQueue, checkpointDir);
    let report: RunReport;
    try {
      report = (await handle.result()) as RunReport;
    } finally {
      await b.stop();
    }
    expect(report.status).toBe('completed');
    expect(report.agentList[0]!.state).toBe('succeeded');
    // Every turn the provider served is counted once: worker A's reported turns, B's own.
    const total = outputServed(tag);
    expect(report.tokens.output).toBeLessThanOrEqual(total);
    expect(report.tokens.output).toBeGreaterThanOrEqual(total - 55);
    expect(served(tag).length).toBeGreaterThanOrEqual(12);
  }, 120_000);
});
