// The QuickJS sandbox on its own, outside Temporal: how a script ends, the fuses, and that a
// clean run frees every handle (QuickJS asserts on dispose when one leaks).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedQuickJS } from '../../workflows/quickjs/load-quickjs.js';
import type { SandboxBindings, ScriptSandbox as Sandbox } from '../../workflows/quickjs/script-sandbox.js';

const GENERATED = fileURLToPath(new URL('../../workflows/quickjs/quickjs-wasm.generated.ts', import.meta.url));
const EMBED = fileURLToPath(new URL('../../scripts/embed-quickjs-wasm.mjs', import.meta.url));

let loadQuickJS: (max: number) => Promise<LoadedQuickJS>;
let ScriptSandbox: typeof Sandbox;
let SCRIPT_PRELUDE: string;

beforeAll(async () => {
  if (!existsSync(GENERATED)) execFileSync(process.execPath, [EMBED], { stdio: 'ignore' });
  ({ loadQuickJS } = await import('../../workflows/quickjs/load-quickjs.js'));
  ({ ScriptSandbox } = await import('../../workflows/quickjs/script-sandbox.js'));
  ({ SCRIPT_PRELUDE } = await import('../../workflows/script-prelude.js'));
});

const noHost: SandboxBindings = {
  sync: { phase: () => undefined, log: () => undefined, spent: () => 0 },
  async: { agent: async (prompt) => JSON.stringify({ ok: true, value: `echo: ${String(prompt)}` }) },
};

async function runBody(body: string, bindings = noHost, maxMemory = 64 * 1024 * 1024) {
  const sandbox = new ScriptSandbox(await loadQuickJS(maxMemory), bindings);
  const end = await sandbox.start({
    prelude: SCRIPT_PRELUDE,
    preludeArgs: [undefined],
    program: `(async function () {\n${body}\n})`,
  });
  return { end, sandbox };
}

describe('ScriptSandbox', () => {
  it('returns the JSON of the result and frees every handle', async () => {
    const { end, sandbox } = await runBody("const a = await agent('x'); return { a, n: [1, 2] };");
    expect(end).toEqual({ kind: 'returned', json: '{"a":"echo: x","n":[1,2]}' });
    expect(sandbox.close()).toEqual({ leaked: null });
  });

  it('frees a promise the host still owes when the script returns without awaiting it', async () => {
    let settle!: (value: string) => void;
    const bindings: SandboxBindings = {
      ...noHost,
      async: { agent: () => new Promise<string>((resolve) => (settle = resolve)) },
    };
    const { end, sandbox } = await runBody("agent('fire and forget'); return 1;", bindings);
    expect(end).toEqual({ kind: 'returned', json: '1' });
    expect(sandbox.close()).toEqual({ leaked: null });
    settle(JSON.stringify({ ok: true, value: 'late' }));
  });

  it('reports an uncaught error with the stack frame of the program', async () => {
    const { end } = await runBody("const x = 1;\n  throw new TypeError('boom');");
    expect(end.kind).toBe('threw');
    if (end.kind !== 'threw') return;
    expect(end.error).toMatchObject({ name: 'TypeError', message: 'boom' });
    expect(end.error.stack).toContain('baton-program.js:3:');
  });

  it('reports a script that awaits a promise nothing will settle as stalled', async () => {
    const { end } = await runBody('await new Promise(() => {}); return 1;');
    expect(end).toEqual({ kind: 'stalled' });
  });

  it('stops an infinite loop by its tick budget, even when the script catches errors', async () => {
    const started = Date.now();
    const { end } = await runBody('for (;;) { try { while (true) {} } catch (e) {} }');
    expect(end.kind).toBe('timeout');
    // The tick budget (~1.5 s of an idle core) trips first; only on a machine so loaded that
    // the budget takes longer than the 2.5 s wall-clock backstop may the backstop win.
    const elapsed = Date.now() - started;
    if (end.kind === 'timeout' && end.trip !== 'budget') expect(elapsed).toBeGreaterThan(2_500);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('stops a loop of native calls too (the shortened interrupt counter)', async () => {
    const started = Date.now();
    const { end } = await runBody('const o = Array.from({ length: 2000 }, (_, i) => ({ i, s: "x" + i })); for (;;) { JSON.parse(JSON.stringify(o)) }');
    expect(end.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('ends a memory blow-up as out-of-memory at the heap cap', async () => {
    const { end } = await runBody('const keep = []; for (;;) keep.push(new Array(10000).fill(1));', noHost, 32 * 1024 * 1024);
    expect(end.kind).toBe('out-of-memory');
  });

  it('turns deep recursion into a catchable stack overflow, not a host crash', async () => {
    const { end } = await runBody('function f(n) { return f(n + 1) + 1 }\ntry { f(0) } catch (e) { return e.name + ": " + e.message }');
    expect(end).toEqual({ kind: 'returned', json: '"InternalError: stack overflow"' });
  });

  it('reports a syntax error in the program with its position', async () => {
    const { end } = await runBody('const x = ;');
    expect(end.kind).toBe('threw');
    if (end.kind === 'threw') {
      expect(end.error.name).toBe('SyntaxError');
      expect(end.error.stack).toContain('baton-program.js:2:');
    }
  });
});
