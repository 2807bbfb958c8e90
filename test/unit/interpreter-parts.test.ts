// The interpreter's pure parts: base64, the FIFO gate, agent() options, error positions.
import { describe, expect, it } from 'vitest';
import type { CompiledScript } from '../../contract/run-types.js';
import { defaultLabel, parseAgentOptions } from '../../workflows/agent-options.js';
import { ConcurrencyGate } from '../../workflows/concurrency-gate.js';
import { decodeBase64 } from '../../workflows/quickjs/base64.js';
import { scriptFailure, scriptPosition } from '../../workflows/script-error.js';

describe('decodeBase64', () => {
  it.each([[''], ['f'], ['fo'], ['foo'], ['foob'], ['fooba'], ['foobar'], ['\u0000\u00ff\u0080binary']])('round-trips %j', (text) => {
    const bytes = Buffer.from(text, 'latin1');
    expect(Buffer.from(decodeBase64(bytes.toString('base64')))).toEqual(bytes);
    expect(Buffer.from(decodeBase64(bytes.toString('base64').replace(/=+$/, '')))).toEqual(bytes);
  });

  it('rejects characters outside the alphabet', () => {
    expect(() => decodeBase64('ab$d')).toThrow(/invalid base64 character at 2/);
  });
});

describe('ConcurrencyGate', () => {
  it('never lets more than its capacity in, and hands slots out in call order', async () => {
    const gate = new ConcurrencyGate(2);
    const order: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const job = async (n: number, ms: number) => {
      const release = await gate.acquire();
      order.push(n);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      release();
    };
    await Promise.all([job(1, 30), job(2, 5), job(3, 5), job(4, 5), job(5, 5), job(6, 5)]);
    expect(order).toEqual([1, 2, 3, 4, 5, 6]);
    expect(maxInFlight).toBe(2);
  });

  it('ignores a second release of the same slot', async () => {
    const gate = new ConcurrencyGate(1);
    const release = await gate.acquire();
    const waiting = gate.acquire();
    release();
    release();
    await waiting;
    expect(gate.inFlight).toBe(1);
    expect(gate.queued).toBe(0);
  });
});

describe('parseAgentOptions', () => {
  it('accepts every documented option', () => {
    const { options, unknown } = parseAgentOptions(
      JSON.stringify({
        label: 'L',
        phase: 'Review',
        schema: { type: 'object' },
        model: 'haiku',
        effort: 'high',
        isolation: 'worktree',
        agentType: 'workflow-subagent',
        tools: ['Read', 'Grep'],
        timeout: '1h30m',
        maxTurns: 4,
      }),
    );
    expect(options).toMatchObject({ label: 'L', effort: 'high', timeoutMs: 5_400_000, maxTurns: 4, tools: ['Read', 'Grep'] });
    expect(unknown).toEqual([]);
  });

  it('ignores options it does not know and lists them, as Claude Code ignores them', () => {
    const parsed = parseAgentOptions(JSON.stringify({ thinkingLevel: 'high', label: 'L', adapter: 'x', timeout: '1d' }));
    expect(parsed).toEqual({ options: { label: 'L', timeoutMs: 86_400_000 }, unknown: ['thinkingLevel', 'adapter'] });
  });

  it('refuses the first unknown option for a run recorded before they were ignored', () => {
    expect(() => parseAgentOptions(JSON.stringify({ labl: 'x' }), () => true)).toThrow(/unknown option "labl". Known options: label, phase/);
    // An unknown key before a bad value was the error then; a bad value still is one now.
    expect(() => parseAgentOptions(JSON.stringify({ labl: 'x', effort: 'huge' }), () => true)).toThrow(/unknown option "labl"/);
    expect(() => parseAgentOptions(JSON.stringify({ labl: 'x', effort: 'huge' }))).toThrow(/option "effort" must be one of/);
  });

  it.each([
    [{ effort: 'huge' }, /option "effort" must be one of 'low', 'medium', 'high', 'xhigh', 'max', got "huge"/],
    [{ schema: [1] }, /option "schema" must be a JSON Schema object/],
    [{ tools: 'Read' }, /option "tools" must be an array of tool names/],
    [{ timeout: '20 minutes' }, /option "timeout" must be a duration such as '90s', '20m'/],
    [{ stallMs: '-5s' }, /option "stallMs" must be a duration/],
    [{ maxTurns: 0 }, /option "maxTurns" must be a positive integer/],
    [{ isolation: 'container' }, /option "isolation" must be 'worktree'/],
    [{ model: '' }, /option "model" must be a non-empty string/],
  ])('rejects %j', (options, message) => {
    expect(() => parseAgentOptions(JSON.stringify(options))).toThrow(message);
    try {
      parseAgentOptions(JSON.stringify(options));
    } catch (error) {
      expect((error as Error).name).toBe('TypeError');
    }
  });

  it('labels an agent with the first words of its prompt', () => {
    expect(defaultLabel('Review the diff for correctness bugs and report them')).toBe('Review the diff for correctness bugs…');
    expect(defaultLabel('  Short   prompt ')).toBe('Short prompt');
  });
});

describe('script positions', () => {
  const script: CompiledScript = {
    fileName: 'review.js',
    meta: { name: 'review', description: 'd' },
    program: '(async function () { "use strict";\n    const meta = {};\n  const x = null.foo;\n})',
    lineMap: [null, null, [1, 8], [7, 3], null],
  };
  const nestedScript: CompiledScript = { ...script, fileName: '/repo/.claude/workflows/triage.js', lineMap: [null, null, [1, 8], [4, 1], null] };
  const files = new Map([
    ['baton-program.js', script],
    ['baton-workflow-1.js', nestedScript],
  ]);

  it('maps a QuickJS frame to the script line, keeping the offset from the line start', () => {
    expect(scriptPosition('    at <anonymous> (baton-program.js:3:13)\n', files)).toEqual({ script, line: 7, column: 13 });
  });

  it('has no position for frames outside the program or on unmapped lines', () => {
    expect(scriptPosition('    at parallel (baton-prelude.js:120:5)\n', files)).toEqual({ script, line: null, column: null });
    expect(scriptPosition('    at <anonymous> (baton-program.js:1:5)\n', files)).toEqual({ script, line: null, column: null });
  });

  it('names the nested workflow whose frame is innermost, skipping prelude frames', () => {
    const stack = '    at workflow (baton-prelude.js:200:7)\n    at <anonymous> (baton-workflow-1.js:3:3)\n    at <anonymous> (baton-program.js:3:13)\n';
    expect(scriptPosition(stack, files)).toEqual({ script: nestedScript, line: 4, column: 1 });
    const failure = scriptFailure({ kind: 'threw', error: { name: 'Error', message: 'one level', stack } }, files);
    expect(failure.message).toBe('/repo/.claude/workflows/triage.js:4:1: Error: one level');
    expect(failure.info).toEqual({ type: 'Error', message: 'one level', line: 4, column: 1, file: '/repo/.claude/workflows/triage.js' });
  });

  it('formats a failure as file:line:column: name: message', () => {
    const failure = scriptFailure(
      { kind: 'threw', error: { name: 'TypeError', message: 'boom', stack: '    at <anonymous> (baton-program.js:3:13)\n' } },
      files,
    );
    expect(failure).toMatchObject({ type: 'ScriptError', status: 'failed', message: 'review.js:7:13: TypeError: boom' });
    expect(failure.info).toEqual({ type: 'TypeError', message: 'boom', line: 7, column: 13 });
  });

  it('gives uncaught budget and stop errors their own run status', () => {
    const budget = scriptFailure({ kind: 'threw', error: { name: 'BudgetExhaustedError', message: 'spent', stack: '' } }, files);
    expect(budget).toMatchObject({ type: 'BudgetExhausted', status: 'budget_exhausted', message: 'review.js: BudgetExhaustedError: spent' });
  });
});
