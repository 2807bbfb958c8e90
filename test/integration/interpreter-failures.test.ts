// Scripts that go wrong (docs/script-language.md#limits, #errors-a-script-sees): each must end the run as failed, within seconds, with
// the script's own position where there is one; never a workflow task that retries forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleInterpreter, directiveResponder, rawProgram, script, startHarness, type Harness } from './interpreter-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: directiveResponder() });
});
afterAll(async () => h?.close());

/** Runs a script that must fail, and how long the run took. */
async function failing(...args: Parameters<Harness['fail']>) {
  const started = Date.now();
  const outcome = await h.fail(...args);
  return { ...outcome, elapsedMs: Date.now() - started };
}

describe('uncaught errors', () => {
  it('fail the run with the script file, line and column', async () => {
    const { failure, report } = await failing(script("const a = await agent('first');\nif (a) {\n  throw new RangeError('bad input: ' + a);\n}"));
    expect(failure.type).toBe('ScriptError');
    expect(failure.nonRetryable).toBe(true);
    // QuickJS places a `new X(...)` error at the call's parenthesis.
    expect(failure.message).toBe('test-script.js:4:23: RangeError: bad input: echo: first');
    expect(report).toMatchObject({ status: 'failed', result: null, agents: { total: 1, succeeded: 1 } });
    expect(report.error).toEqual({ type: 'RangeError', message: 'bad input: echo: first', line: 4, column: 23 });
    expect(report.endedAt).not.toBeNull();
  });

  it('name the script position of a TypeError raised by a global (parallel of promises)', async () => {
    const { failure } = await failing(script("const xs = ['a', 'b'];\nawait parallel(xs.map((x) => agent(x)));"));
    expect(failure.message).toMatch(/^test-script\.js:3:\d+: TypeError: parallel\(\) takes an array of functions, but item 0 is a Promise/);
  });

  it('report a thrown non-Error value', async () => {
    const { failure } = await failing(script("throw 'plain string';"));
    expect(failure.message).toBe('test-script.js: Error: the script threw a non-Error value: "plain string"');
  });

  it('report a syntax error in the program with its line', async () => {
    const { failure, report } = await failing(rawProgram('const ok = 1;\nconst broken = ;'));
    expect(failure.type).toBe('ScriptError');
    expect(failure.message).toMatch(/^raw-program\.js:2:\d+: SyntaxError: /);
    expect(report.error?.line).toBe(2);
  });
});

describe('results', () => {
  it('fail on a forgotten await, naming the path', async () => {
    const { failure } = await failing(script("const first = await agent('one');\nreturn { first, items: [1, 2, agent('three')] };"));
    expect(failure.message).toBe('test-script.js: TypeError: result.items[2] is a Promise: did you forget to await agent(), parallel(), or pipeline()?');
  });

  it('fail on a value JSON cannot hold', async () => {
    const { failure } = await failing(script('const loop = {};\nloop.self = loop;\nreturn loop;'));
    expect(failure.type).toBe('ScriptError');
    expect(failure.message).toMatch(/^test-script\.js: TypeError: .*circular/i);
  });
});

describe('runaway scripts', () => {
  it('stop an infinite loop in seconds', async () => {
    const { failure, report, elapsedMs } = await failing(script("await agent('before the loop');\nwhile (true) {}"));
    expect(failure.type).toBe('ScriptTimeout');
    // The tick budget cuts it (~1.7 s of CPU), or on a loaded machine the wall-clock backstop.
    expect(failure.message).toMatch(/ScriptTimeout: the script computed for (too long|more than 2.5 s) without awaiting anything \(an infinite loop\?\)$/);
    expect(report.status).toBe('failed');
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it('stop a loop of native calls, which polls QuickJS rarely', async () => {
    const { failure, elapsedMs } = await failing(
      script('const o = Array.from({ length: 2000 }, (_, i) => ({ i, s: "x" + i }));\nfor (;;) { JSON.parse(JSON.stringify(o)) }'),
    );
    expect(failure.type).toBe('ScriptTimeout');
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it('stop a memory blow-up at the heap cap', async () => {
    const { failure, report, elapsedMs } = await failing(script("const keep = [];\nfor (;;) keep.push('x'.repeat(1e6) + keep.length);"));
    expect(failure.type).toBe('ScriptOutOfMemory');
    expect(failure.message).toContain('the script used more than 256 MB of memory');
    expect(report.status).toBe('failed');
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it('turn unbounded recursion into a stack-overflow error', async () => {
    const { failure } = await failing(script('function down(n) { return down(n + 1) + 1; }\nreturn down(0);'));
    expect(failure.type).toBe('ScriptError');
    expect(failure.message).toMatch(/^test-script\.js:2:\d+: InternalError: stack overflow$/);
  });

  it('fail a script that waits on a promise nothing can settle', async () => {
    const { failure } = await failing(script('await new Promise(() => {});'));
    expect(failure.message).toBe('test-script.js: Error: the script is waiting for a promise that can never settle (no agent is running)');
  });
});
