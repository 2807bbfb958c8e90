// Scripts written for Claude Code run on Baton without a surprise (docs/script-language.md#globals): console.*, the
// isolation values, errors parallel()/pipeline() turn into null, custom error classes, results
// that JSON would silently mangle, and schemas no answer can meet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../../client/start-run.js';
import { runDetailsMarkdown } from '../../workflows/run-details.js';
import { bundleInterpreter, compile, defaultRunOptions, directiveResponder, script, startHarness, type Harness } from './interpreter-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder: directiveResponder() });
});
afterAll(async () => h?.close());

describe('Claude Code script compatibility', () => {
  it('console.log/info/warn/error are log() lines', async () => {
    const report = await h.run(
      script(`console.log('found', 3, 'files', { a: 1 })\nconsole.info('info')\nconsole.warn('careful')\nconsole.error(new RangeError('bad'))\nreturn 1`),
    );
    expect(report.logs).toEqual(['found 3 files {"a":1}', 'info', 'careful', 'RangeError: bad']);
  });

  it("isolation 'remote' is accepted; an unknown value is an error naming it and the line", async () => {
    const report = await h.run(script(`return await agent('remote one', { isolation: 'remote' })`));
    expect(report.result).toBe('echo: remote one');
    const requests = h.modelServer.requests.length;
    const { failure, report: failed } = await h.fail(script(`const x = 1\nreturn await agent('typo', { isolation: 'worktreee' })`));
    expect(failure.message).toMatch(/^test-script\.js:3:\d+: TypeError: agent\(\) option "isolation" must be 'worktree' .*or 'remote', got "worktreee"/);
    expect(failed.error?.line).toBe(3);
    expect(h.modelServer.requests.length).toBe(requests);
  });

  it('unknown agent() options are ignored with one warning per key in the log; a wrong known value stays an error', async () => {
    const report = await h.run(
      script(
        [
          `const a = await agent('first', { thinkingLevel: 'high', adapter: 'x', timeout: '1d' })`,
          `const b = await agent('second', { thinkingLevel: 'low' })`,
          `return [a, b]`,
        ].join('\n'),
      ),
    );
    expect(report.result).toEqual(['echo: first', 'echo: second']);
    expect(report.logs).toEqual([
      expect.stringMatching(/^warning: agent\(\) option "thinkingLevel" is not one Baton knows, so it is ignored/),
      expect.stringMatching(/^warning: agent\(\) option "adapter" is not one Baton knows/),
    ]);
    const { failure } = await h.fail(script(`return await agent('typo', { runtime: 'x', isolation: 'worktreee' })`));
    expect(failure.message).toMatch(/^test-script\.js:2:\d+: TypeError: agent\(\) option "isolation" must be/);
  });

  it('a meta.name that is not kebab-case runs, under a slugged run id', async () => {
    const compiled = await compile(script(`return await agent('named')`, { name: 'thermo_quality_review' }));
    const { workflowId } = await startRun(h.client, { script: compiled, options: defaultRunOptions() }, h.taskQueue);
    expect(workflowId).toMatch(/^thermo-quality-review-\d{8}-\d{6}-/);
    const report = await h.client.workflow.getHandle(workflowId).result();
    expect(report).toMatchObject({ status: 'completed', result: 'echo: named' });
  });

  it('an error parallel() or pipeline() turns into null is logged with its item, error and line', async () => {
    const report = await h.run(
      script(
        [
          `const xs = await parallel([`,
          `  () => agent('fine'),`,
          `  () => { throw new TypeError('thunk broke') },`,
          `])`,
          `const ys = await pipeline([1, 2], (n) => { if (n === 2) throw new Error('stage broke on ' + n); return n })`,
          `return { xs, ys }`,
        ].join('\n'),
      ),
    );
    expect(report.result).toEqual({ xs: ['echo: fine', null], ys: [1, null] });
    expect(report.logs).toEqual([
      expect.stringMatching(/^parallel\(\) item 1 became null: TypeError: thunk broke \(test-script\.js:4:\d+\)$/),
      expect.stringMatching(/^pipeline\(\) item 1 became null: Error: stage broke on 2 \(test-script\.js:6:\d+\)$/),
    ]);
    // The same lines in the report's own field, which the Temporal UI's details list.
    expect(report.nulled).toEqual(report.logs);
    expect(runDetailsMarkdown(report)).toContain(`- ${report.logs[0]}`);
  });

  it('a custom error class is reported at its throw, not at its super()', async () => {
    const { report } = await h.fail(
      script(
        [
          `class ReviewFailed extends Error {`,
          `  constructor(what) {`,
          `    super('review failed: ' + what)`,
          `    this.name = 'ReviewFailed'`,
          `  }`,
          `}`,
          `class NoFindings extends ReviewFailed {}`,
          `const n = 0`,
          `if (n === 0) throw new NoFindings('nothing found')`,
        ].join('\n'),
      ),
    );
    expect(report.error).toMatchObject({ type: 'ReviewFailed', message: 'review failed: nothing found', line: 10 });
  });

  it('a result holding a function is an error naming its path', async () => {
    const { failure } = await h.fail(script(`return { summary: 'ok', items: [{ format: () => 'x' }] }`));
    expect(failure.message).toContain('TypeError: result.items[0].format is a function, and a result must be JSON');
  });

  it('a schema that contradicts itself fails the call before any model request', async () => {
    const requests = h.modelServer.requests.length;
    const schema = {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: { type: 'object', properties: { title: { type: 'string' } }, required: ['title', 'severity'], additionalProperties: false },
        },
      },
      required: ['items'],
    };
    const { failure } = await h.fail(script(`return await agent('find bugs', { schema: ${JSON.stringify(schema)} })`));
    expect(failure.message).toContain(
      'agent() option "schema" can never be satisfied: schema.properties.items.items: "severity" is required, but additionalProperties: false allows only "title"',
    );
    expect(h.modelServer.requests.length).toBe(requests);
  });
});
