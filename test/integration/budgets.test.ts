// Budgets (docs/runs.md#budgets): `--budget-tokens N` (output tokens) and `--max-cost USD` (all tokens,
// priced). On reaching either no new agent starts, running agents are cancelled, pending and
// later agent() calls throw BudgetExhaustedError; uncaught, the run ends `budget_exhausted` with
// its partial report. The model server answers every task with 400 characters (100 output
// tokens at chars/4), after the `[delay=MS]` the prompt asks for.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { defaultModelTable } from '../../contract/models.js';
import { INTERPRETER_WORKFLOW_TYPE, type RunInput, type RunReport } from '../../contract/run-types.js';
import { firstUserText, reply, text, type Responder } from '../model-server/index.js';
import { bundleInterpreter, compile, defaultRunOptions, script, startExtraWorker, startHarness, type Harness } from './interpreter-harness.js';
import { waitFor } from '../harness/wait-for.js';

const ANSWER = 'x'.repeat(400);
const TOKENS_PER_AGENT = 100;

const responder: Responder = async (request) => {
  const delay = Number(/\[delay=(\d+)\]/.exec(firstUserText(request))?.[1] ?? 0);
  return { ...reply(text(ANSWER)), delayMs: delay };
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder });
});
afterAll(async () => h?.close());

function asked(marker: string): number {
  return h.modelServer.requests.filter((r) => firstUserText(r.body).includes(marker)).length;
}

describe('--budget-tokens', () => {
  it('cancels the running agents and refuses the queued ones once reached; uncaught, the run is budget_exhausted', async () => {
    const tag = randomUUID();
    const source = script(
      `const prompts = ['quick ${tag} [delay=200]', 'slow1 ${tag} [delay=30000]', 'slow2 ${tag} [delay=30000]',\n` +
        `  'queued1 ${tag}', 'queued2 ${tag}', 'queued3 ${tag}', 'queued4 ${tag}', 'queued5 ${tag}'];\n` +
        `await Promise.all(prompts.map((p) => agent(p)));\nreturn 'unreachable';`,
    );
    const started = Date.now();
    const { failure, report } = await h.fail(source, { budgetTokens: TOKENS_PER_AGENT, concurrency: 3 });
    const elapsed = Date.now() - started;

    expect(failure.type).toBe('BudgetExhausted');
    expect(report.status).toBe('budget_exhausted');
    expect(report.error?.type).toBe('WorkflowBudgetExceededError');
    // Promptly: the slow agents were cancelled, not waited for.
    expect(elapsed).toBeLessThan(15_000);
    expect(report.agentList.map((a) => [a.label.split(' ')[0], a.state])).toEqual([
      ['quick', 'succeeded'],
      ['slow1', 'stopped'],
      ['slow2', 'stopped'],
      ['queued1', 'stopped'],
      ['queued2', 'stopped'],
      ['queued3', 'stopped'],
      ['queued4', 'stopped'],
      ['queued5', 'stopped'],
    ]);
    expect(report.agentList[0]!.tokens.output).toBe(TOKENS_PER_AGENT);
    expect(report.budget).toEqual({ totalTokens: TOKENS_PER_AGENT, spentTokens: TOKENS_PER_AGENT, maxCostUsd: null });
    for (let i = 1; i <= 5; i++) expect(asked(`queued${i} ${tag}`)).toBe(0);
    expect(asked(`slow1 ${tag}`)).toBe(1);
  }, 60_000);

  it('lets a script that catches BudgetExhaustedError finish with partial results', async () => {
    const tag = randomUUID();
    const source = script(
      `const out = [];\nlet caught = null;\ntry {\n  for (let i = 1; i <= 5; i++) out.push((await agent('step ' + i + ' ${tag}')).length);\n` +
        `} catch (e) {\n  caught = e.name;\n}\nreturn { out, caught, total: budget.total, spent: budget.spent(), remaining: budget.remaining() };`,
    );
    const report = await h.run(source, { budgetTokens: 150 });
    expect(report.status).toBe('completed');
    expect(report.result).toEqual({ out: [400, 400], caught: 'WorkflowBudgetExceededError', total: 150, spent: 200, remaining: 0 });
    expect(report.agents.total).toBe(2);
    expect(asked(`step 3 ${tag}`)).toBe(0);
  }, 60_000);
});

describe('--max-cost', () => {
  it('ends the run budget_exhausted once the priced usage reaches the cap', async () => {
    const tag = randomUUID();
    const table = defaultModelTable();
    // $1 per output token, input free: each agent costs $100.
    table.prices = { ...table.prices, sonnet: { inputPerMTok: 0, outputPerMTok: 1_000_000 } };
    const source = script(`const out = [];\nfor (let i = 1; i <= 4; i++) out.push(await agent('priced ' + i + ' ${tag}'));\nreturn out;`);
    const { failure, report } = await h.fail(source, { maxCostUsd: 150, modelTable: table });
    expect(failure.type).toBe('BudgetExhausted');
    expect(report.status).toBe('budget_exhausted');
    expect(report.error?.message).toContain('cost cap');
    expect(report.agentList.map((a) => a.state)).toEqual(['succeeded', 'succeeded']);
    expect(report.costUsd).toBeCloseTo(200, 6);
    expect(asked(`priced 3 ${tag}`)).toBe(0);
  }, 60_000);
});

describe('the ledger across a crash', () => {
  it('still counts the agents before a worker restart', async () => {
    const taskQueue = `budgets-${randomUUID()}`;
    const tag = randomUUID();
    const source = script(
      `const out = [];\nout.push(await agent('first ${tag}'));\nout.push(await agent('second ${tag} [delay=3000]'));\n` +
        `out.push(await agent('third ${tag}'));\nreturn out;`,
    );
    const input: RunInput = { script: await compile(source), options: { ...defaultRunOptions(), budgetTokens: 2 * TOKENS_PER_AGENT } };
    const handle = await h.client.workflow.start(INTERPRETER_WORKFLOW_TYPE, { taskQueue, workflowId: `budget-crash-${tag}`, args: [input] });

    // Worker A runs the first agent and starts the second, then goes away.
    const a = await startExtraWorker(h, taskQueue);
    await waitFor('the second agent to reach the model', () => asked(`second ${tag}`) > 0);
    await a.stop();

    // Worker B replays the history and goes on: the first agent's tokens still count.
    const b = await startExtraWorker(h, taskQueue);
    let report: RunReport;
    try {
      await handle.result();
      throw new Error('expected the run to end budget_exhausted');
    } catch (error) {
      if (!(error instanceof WorkflowFailedError) || !(error.cause instanceof ApplicationFailure)) throw error;
      expect(error.cause.type).toBe('BudgetExhausted');
      report = error.cause.details?.[0] as RunReport;
    } finally {
      await b.stop();
    }
    expect(report.status).toBe('budget_exhausted');
    expect(report.agentList.map((x) => x.state)).toEqual(['succeeded', 'succeeded']);
    expect(report.budget.spentTokens).toBe(2 * TOKENS_PER_AGENT);
    expect(asked(`first ${tag}`)).toBe(1);
    expect(asked(`third ${tag}`)).toBe(0);
  }, 120_000);
});
