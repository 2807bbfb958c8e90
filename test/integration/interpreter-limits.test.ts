// The interpreter's limits (docs/script-language.md#limits, docs/runs.md#budgets): the concurrency cap in call order, the agent cap, the
// per-call item limit and the token budget; plus the live state query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batonStateQuery } from '../../contract/run-messages.js';
import { bundleInterpreter, directiveResponder, script, startHarness, type Harness } from './interpreter-harness.js';

let h: Harness;
let inFlight = 0;
let maxInFlight = 0;
const arrivals: string[] = [];

beforeAll(async () => {
  const inner = directiveResponder();
  h = await startHarness({
    bundle: await bundleInterpreter(),
    // Counts model calls in flight at the network boundary, where the cap must hold.
    responder: async (request, ctx) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      arrivals.push(JSON.stringify(request.messages[0]?.content).match(/job (\d)/)?.[1] ?? '?');
      try {
        return await inner(request, ctx);
      } finally {
        inFlight--;
      }
    },
  });
});
afterAll(async () => h?.close());

describe('concurrency', () => {
  it('never runs more than --concurrency agents, and starts them in call order', async () => {
    maxInFlight = 0;
    arrivals.length = 0;
    // Job 1 holds its slot longest, so jobs 3..6 all go through the other slot, one by one.
    const delays = [900, 300, 300, 300, 300, 300];
    const report = await h.run(
      script(`return await parallel(${JSON.stringify(delays)}.map((ms, i) => () => agent('job ' + (i + 1) + ' [delay=' + ms + ']')));`),
      { concurrency: 2 },
    );
    expect(report.agents).toMatchObject({ total: 6, succeeded: 6 });
    expect(maxInFlight).toBe(2);
    // Jobs 1 and 2 are released together and race to the model; after them, one at a time in call order.
    expect(arrivals.slice(0, 2).sort()).toEqual(['1', '2']);
    expect(arrivals.slice(2, 4)).toEqual(['3', '4']);
    const started = report.agentList.map((a) => a.startedAt!);
    expect(report.agentList.map((a) => a.id)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
    for (let i = 1; i < started.length; i++) expect(started[i]).toBeGreaterThanOrEqual(started[i - 1]!);
    expect(started[3]).toBeGreaterThan(started[2]!);
  });
});

describe('agents per run', () => {
  it('throws AgentLimitError past --max-agents, named WorkflowAgentCapError as on Claude Code, which the script can catch', async () => {
    const report = await h.run(
      script(
        "const done = [];\nfor (let i = 1; i <= 4; i++) {\n  try { done.push(await agent('job ' + i)) }\n" +
          '  catch (e) { return { done, name: e.name, isClass: e instanceof AgentLimitError, message: e.message } }\n}',
      ),
      { maxAgents: 3 },
    );
    expect(report.result).toMatchObject({ done: ['echo: job 1', 'echo: job 2', 'echo: job 3'], name: 'WorkflowAgentCapError', isClass: true });
    expect((report.result as { message: string }).message).toContain('--max-agents');
    expect(report.agents.total).toBe(3);
    expect(report.agentsLeft).toBe(0);
  });
});

describe('items per call', () => {
  it.each(['parallel', 'pipeline'])('%s() refuses more than 4096 items, naming the call and the count', async (call) => {
    const items = call === 'parallel' ? 'Array.from({ length: n }, (_, i) => () => i)' : 'Array.from({ length: n }, (_, i) => i)';
    const report = await h.run(
      script(
        `const run = (n) => ${call}(${items}${call === 'pipeline' ? ', (x) => x * 2' : ''});\n` +
          'const ok = (await run(4096)).length;\n' +
          'try { await run(4097) } catch (e) { return { ok, name: e.name, message: e.message } }',
      ),
    );
    expect(report.result).toMatchObject({ ok: 4096, name: 'RangeError' });
    expect((report.result as { message: string }).message).toMatch(new RegExp(`^${call}\\(\\) got 4097 .* the limit is 4096`));
  });
});

describe('token budget', () => {
  it('throws BudgetExhaustedError once spent, named WorkflowBudgetExceededError as on Claude Code, which the script can catch', async () => {
    const report = await h.run(
      script(
        "await agent('first');\ntry { await agent('second') } catch (e) { return { name: e.name, isClass: e instanceof BudgetExhaustedError, message: e.message } }",
      ),
      { budgetTokens: 1 },
    );
    expect(report.result).toMatchObject({ name: 'WorkflowBudgetExceededError', isClass: true });
    expect((report.result as { message: string }).message).toContain('--budget-tokens');
    expect(report.agents.total).toBe(1);
  });

  it('ends the run as budget_exhausted when the error is not caught', async () => {
    const { failure, report } = await h.fail(script("await agent('first');\nawait agent('second');\nreturn 'unreachable';"), { budgetTokens: 1 });
    expect(failure.type).toBe('BudgetExhausted');
    expect(failure.message).toMatch(/^test-script\.js:3:\d+: WorkflowBudgetExceededError: /);
    expect(report.status).toBe('budget_exhausted');
    expect(report.agents).toMatchObject({ total: 1, succeeded: 1 });
  });
});

describe('state query', () => {
  it('answers the live report while the run is going, and the final one after', async () => {
    const handle = await h.start(script("log('working');\nconst a = await agent('job 1 [delay=2500]');\nreturn a;"), { maxAgents: 10 });
    let live = await handle.query(batonStateQuery);
    for (let i = 0; i < 40 && live.agents.running === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      live = await handle.query(batonStateQuery);
    }
    expect(live).toMatchObject({ status: 'running', endedAt: null, logs: ['working'], agentsLeft: 9 });
    expect(live.agents).toMatchObject({ total: 1, running: 1 });
    await handle.result();
    const final = await handle.query(batonStateQuery);
    expect(final).toMatchObject({ status: 'completed', result: 'echo: job 1 [delay=2500]' });
    expect(final.endedAt).not.toBeNull();
  });
});
