// The script language's globals (docs/script-language.md#globals), run by the interpreter workflow on a real dev server
// with the real agent activity against the test model server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleInterpreter, directiveResponder, script, startHarness, type Harness } from './interpreter-harness.js';

const events: string[] = [];
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: directiveResponder(events) });
});
afterAll(async () => h?.close());

const modelOf = (prompt: string) => h.modelServer.requests.find((r) => JSON.stringify(r.body.messages).includes(prompt))?.body.model;

describe('agent()', () => {
  it('resolves to the agent text and records the agent in the report', async () => {
    const report = await h.run(script("const a = await agent('say hello');\nreturn { a };"));
    expect(report.status).toBe('completed');
    expect(report.result).toEqual({ a: 'echo: say hello' });
    expect(report.agents).toMatchObject({ total: 1, succeeded: 1, failed: 0 });
    expect(report.agentList[0]).toMatchObject({ id: 'a1', label: 'say hello', state: 'succeeded', turns: 1, model: 'claude-sonnet-5-5' });
    expect(report.tokens.output).toBeGreaterThan(0);
    expect(report.costUsd).toBeGreaterThan(0);
  });

  it('resolves to the schema-shaped object when a schema is given', async () => {
    const report = await h.run(
      script(
        "const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };\n" +
          "return await agent('check it', { schema, label: 'checker' });",
      ),
    );
    expect(report.result).toEqual({ ok: expect.any(Boolean) });
    expect(report.agentList[0]?.label).toBe('checker');
  });

  it('resolves to null when the agent fails terminally, and counts the failure', async () => {
    const report = await h.run(script("const a = await agent('this one [fail]s');\nreturn { a };"));
    expect(report.result).toEqual({ a: null });
    expect(report.agents).toMatchObject({ total: 1, failed: 1 });
    expect(report.agentList[0]?.error).toContain('this test agent was told to fail');
  });

  // An unknown option is ignored with a warning instead (script-compat.test.ts).
  it('rejects a bad value of a known option with a TypeError naming the option', async () => {
    const report = await h.run(
      script(
        'const messages = [];\n' +
          "for (const opts of [{ effort: 'huge' }, { maxTurns: -1 }, { tools: 'Read' }]) {\n" +
          "  try { await agent('never runs', opts) } catch (e) { messages.push(e.name + ': ' + e.message) }\n" +
          '}\n' +
          'return messages;',
      ),
    );
    expect(report.result).toEqual([
      expect.stringMatching(/^TypeError: agent\(\) option "effort" must be one of/),
      expect.stringMatching(/^TypeError: agent\(\) option "maxTurns" must be a positive integer/),
      expect.stringMatching(/^TypeError: agent\(\) option "tools" must be an array/),
    ]);
    expect(report.agents.total).toBe(0);
  });

  it('uses the agent model, else the phase model, else the run default', async () => {
    const meta = { phases: [{ title: 'Review' }, { title: 'Verify', model: 'haiku' }] };
    const report = await h.run(
      script(
        "phase('Review');\nawait agent('model probe A');\nawait agent('model probe B', { model: 'opus' });\n" +
          "phase('Verify');\nawait agent('model probe C');\nawait agent('model probe D', { model: 'claude-custom-1' });\n" +
          "await agent('model probe E', { phase: 'Review' });",
        meta,
      ),
      { model: 'sonnet' },
    );
    expect(['A', 'B', 'C', 'D', 'E'].map((x) => modelOf(`model probe ${x}`))).toEqual([
      'claude-sonnet-5-5',
      'claude-opus-5-5',
      'claude-haiku-5-5',
      'claude-custom-1',
      'claude-sonnet-5-5',
    ]);
    expect(report.agentList.map((a) => a.model)).toEqual(['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-haiku-5-5', 'claude-custom-1', 'claude-sonnet-5-5']);
  });
});

describe('parallel()', () => {
  it('resolves in input order, with null for thunks that throw or reject, and never rejects', async () => {
    const report = await h.run(
      script(
        'return await parallel([\n' +
          "  () => agent('slow one [delay=600]'),\n" +
          "  () => agent('fast one'),\n" +
          "  () => { throw new Error('sync throw') },\n" +
          "  async () => { throw new Error('async throw') },\n" +
          "  () => agent('failing one [fail]'),\n" +
          '  () => 42,\n' +
          ']);',
      ),
    );
    expect(report.result).toEqual(['echo: slow one [delay=600]', 'echo: fast one', null, null, null, 42]);
    // Both agents ran at once: the fast one finished while the slow one was still running.
    expect(events.indexOf('end fast one')).toBeLessThan(events.indexOf('end slow one [delay=600]'));
  });

  it('refuses an array of promises with the fix', async () => {
    const report = await h.run(script("try { await parallel([agent('p1'), agent('p2')]) } catch (e) { return e.name + ': ' + e.message }"));
    expect(report.result).toMatch(/^TypeError: parallel\(\) takes an array of functions, but item 0 is a Promise/);
    expect(report.result).toContain('parallel([() => agent(a), () => agent(b)])');
  });

  it('refuses a non-array', async () => {
    const report = await h.run(script("try { await parallel(() => agent('x')) } catch (e) { return e.message }"));
    expect(report.result).toMatch(/^parallel\(\) takes an array of functions, got a function/);
  });
});

describe('pipeline()', () => {
  it('has no barrier: an item reaches stage 2 while another is still in stage 1', async () => {
    const report = await h.run(
      script(
        'return await pipeline([0, 1],\n' +
          "  (item) => agent('stage1 item' + item + (item === 1 ? ' [delay=1500]' : '')),\n" +
          "  (prev, item, index) => agent('stage2 item' + item + ' index' + index + ' after ' + prev),\n" +
          ');',
      ),
    );
    expect(report.result).toEqual(['echo: stage2 item0 index0 after echo: stage1 item0', 'echo: stage2 item1 index1 after echo: stage1 item1 [delay=1500]']);
    expect(events.indexOf('start stage2 item0 index0 after echo: stage1 item0')).toBeLessThan(events.indexOf('end stage1 item1 [delay=1500]'));
  });

  it('nulls an item whose stage throws and skips its later stages, keeping input order', async () => {
    const report = await h.run(
      script(
        'const seen = [];\n' +
          'const results = await pipeline(["a", "b", "c"],\n' +
          '  (item) => { if (item === "b") throw new Error("no b"); return item + "1" },\n' +
          '  (prev, item) => { seen.push(item); return prev + "2" },\n' +
          ');\n' +
          'return { results, seen };',
      ),
    );
    expect(report.result).toEqual({ results: ['a12', null, 'c12'], seen: ['a', 'c'] });
  });
});

describe('phase(), log(), args, budget', () => {
  it('groups agents by phase: meta order first, then unknown titles as first seen', async () => {
    const meta = { phases: [{ title: 'Review' }, { title: 'Verify' }] };
    const report = await h.run(
      script(
        "phase('Verify');\nawait agent('v1');\nawait agent('r1', { phase: 'Review' });\n" +
          "phase('Extra');\nawait parallel([() => agent('e1'), () => agent('e2')]);",
        meta,
      ),
    );
    expect(report.phases.map((p) => [p.title, p.agents, p.byState])).toEqual([
      ['Review', 1, { succeeded: 1 }],
      ['Verify', 1, { succeeded: 1 }],
      ['Extra', 2, { succeeded: 2 }],
    ]);
    expect(report.agentList.map((a) => a.phase)).toEqual(['Verify', 'Review', 'Extra', 'Extra']);
    expect(report.phases[2]?.tokens).toBeGreaterThan(0);
  });

  it('keeps log lines in the report and refuses a forgotten await in a message', async () => {
    const report = await h.run(
      script("log('starting');\nlog({ step: 2, items: ['a'] });\n" + "try { log({ pending: agent('x') }) } catch (e) { return e.message }"),
    );
    expect(report.logs).toEqual(['starting', '{"step":2,"items":["a"]}']);
    expect(report.result).toBe('log(): message.pending is a Promise: did you forget to await agent(), parallel(), or pipeline()?');
  });

  it('passes args through verbatim, and leaves them undefined when absent', async () => {
    const args = { files: ['a.ts', 'b.ts'], depth: 2, nested: { flag: true, none: null }, text: 'ü "quoted"' };
    expect((await h.run(script('return args;'), { args })).result).toEqual(args);
    expect((await h.run(script('return typeof args;'))).result).toBe('undefined');
  });

  it('shows the token budget: total, spent and remaining', async () => {
    const report = await h.run(
      script(
        "const before = budget.remaining();\nawait agent('spend');\nreturn { total: budget.total, before, spent: budget.spent(), after: budget.remaining() };",
      ),
      { budgetTokens: 10_000 },
    );
    const { total, before, spent, after } = report.result as Record<string, number>;
    expect({ total, before }).toEqual({ total: 10_000, before: 10_000 });
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBe(report.tokens.output);
    expect(after).toBe(10_000 - spent);
    const unlimited = await h.run(script('return { total: budget.total, infinite: budget.remaining() === Infinity };'));
    expect(unlimited.result).toEqual({ total: null, infinite: true });
  });
});
