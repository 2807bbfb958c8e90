// Claude Code's script-visible semantics (docs/claude-code-differences.md): an agent({ schema })
// whose attempts all fail validation throws (a null slot inside parallel()/pipeline()), and a
// pipeline() stage's null ends that item's chain. Error names are pinned in interpreter-limits.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleInterpreter, directiveResponder, script, startHarness, type Harness } from './interpreter-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: directiveResponder() });
});
afterAll(async () => h?.close());

const SCHEMA = "{ type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }";

describe("Claude Code's runtime semantics", () => {
  it('agent({ schema }) throws StructuredOutputRetryError once its 5 attempts fail, with the last validation message', async () => {
    const report = await h.run(
      script(
        `try { await agent('answer [invalid]', { schema: ${SCHEMA} }); return 'no throw' }\n` +
          `catch (e) { return { name: e.name, isClass: e instanceof StructuredOutputRetryError, message: e.message } }`,
      ),
    );
    expect(report.result).toMatchObject({ name: 'StructuredOutputRetryError', isClass: true });
    const { message } = report.result as { message: string };
    expect(message).toMatch(/^agent\(\{schema\}\): StructuredOutput retry cap \(5\) exceeded\. /);
    expect(message).toContain("must have required property 'ok'");
    expect(report.agentList[0]).toMatchObject({ state: 'failed', turns: 5 });
  });

  it('uncaught, the schema error fails the run at the agent() line', async () => {
    const { failure, report } = await h.fail(script(`const x = 1\nreturn await agent('answer [invalid]', { schema: ${SCHEMA} })`));
    expect(failure.message).toMatch(/^test-script\.js:3:\d+: StructuredOutputRetryError: agent\(\{schema\}\): StructuredOutput retry cap \(5\) exceeded/);
    expect(report.status).toBe('failed');
  });

  it('inside parallel() and pipeline() the exhausted schema is a null slot, logged', async () => {
    const report = await h.run(
      script(
        [
          `const xs = await parallel([() => agent('good', { schema: ${SCHEMA} }), () => agent('bad [invalid]', { schema: ${SCHEMA} })])`,
          `const ys = await pipeline(['bad [invalid]'], (p) => agent(p, { schema: ${SCHEMA} }))`,
          `return { xs, ys }`,
        ].join('\n'),
      ),
    );
    expect(report.result).toEqual({ xs: [{ ok: expect.any(Boolean) }, null], ys: [null] });
    expect(report.logs).toEqual([
      expect.stringMatching(/^parallel\(\) item 1 became null: StructuredOutputRetryError: agent\(\{schema\}\): StructuredOutput retry cap \(5\)/),
      expect.stringMatching(/^pipeline\(\) item 0 became null: StructuredOutputRetryError: /),
    ]);
  });

  it("a pipeline() stage's null ends that item's chain: no later stage runs for it", async () => {
    const requests = h.modelServer.requests.length;
    const report = await h.run(
      script(
        [
          `const seen = []`,
          `const out = await pipeline([1, 2, 3],`,
          `  (n) => (n === 2 ? null : n),`,
          `  (n) => { seen.push(n); return agent('stage two ' + n) })`,
          `return { out, seen }`,
        ].join('\n'),
      ),
    );
    expect(report.result).toEqual({ out: ['echo: stage two 1', null, 'echo: stage two 3'], seen: [1, 3] });
    expect(h.modelServer.requests.length - requests).toBe(2);
  });
});
