// docs/design.md#why-quickjs: nothing of the host is reachable from a script. Every injected global, and every
// other road to a global object or a Function constructor, is tried; each must end in QuickJS's
// own realm (no process, require, fetch, WebAssembly, host timers; its `console` and timers are
// Baton's own, written in the isolate (a log() in disguise; durable workflow timers,
// docs/script-language.md#timers), and are tried as roads like every injected global) or in an error. The
// worker's environment carries a canary API key that must never come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleInterpreter, rawProgram, script, startHarness, type Harness } from './interpreter-harness.js';

const CANARY = 'sk-ant-isolation-canary-5f1c';
process.env.ANTHROPIC_API_KEY = CANARY;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter() });
});
afterAll(async () => {
  await h?.close();
  delete process.env.ANTHROPIC_API_KEY;
});

const HOST_NAMES = [
  'process',
  'require',
  'module',
  'exports',
  'fetch',
  'WebAssembly',
  'setImmediate',
  'queueMicrotask',
  'Buffer',
  'global',
  'TextEncoder',
  'TextDecoder',
  'URL',
  'AbortController',
  'assert',
  '__TEMPORAL_ACTIVATOR__',
  '__webpack_require__',
  'host',
];

// Shared by every probe: what a reached object offers of the host, and a safe way to try a road.
const PROBE_HELPERS = `
const HOST_NAMES = ${JSON.stringify(HOST_NAMES)};
function hostFound(value) {
  if (value === null || value === undefined) return [];
  const found = [];
  for (const name of HOST_NAMES) {
    try { if (typeof value[name] !== 'undefined') found.push(name); } catch (e) { found.push(name + ' (threw)'); }
  }
  return found;
}
async function tryRoad(road) {
  try {
    const value = await road();
    return { type: typeof value, host: hostFound(value), text: typeof value === 'string' ? value : undefined };
  } catch (e) {
    return { threw: String(e && e.name) };
  }
}
async function tryRoads(roads) {
  const out = {};
  for (const name of Object.keys(roads)) out[name] = await tryRoad(roads[name]);
  return out;
}
`;

const INJECTED = [
  'agent',
  'parallel',
  'pipeline',
  'phase',
  'log',
  'budget.spent',
  'budget.remaining',
  'console.log',
  'console.error',
  'AgentLimitError',
  'BudgetExhaustedError',
  'RunStoppedError',
  'WorkflowNotFoundError',
  'StructuredOutputRetryError',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  // Intl: the installer's own functions, and those of the FormatJS code it loads on first use.
  'Intl.getCanonicalLocales',
  'Intl.Locale',
  'Intl.Collator',
  'String.prototype.localeCompare',
  'Intl.NumberFormat',
  'Number.prototype.toLocaleString',
  'Intl.PluralRules',
  'Intl.DateTimeFormat',
  'Date.prototype.toLocaleDateString',
];

/** For each injected global: the three classic Function-constructor escapes. */
function roadsThroughGlobals(): string {
  const lines: string[] = [];
  for (const name of INJECTED) {
    lines.push(`'${name} .constructor.constructor this': () => ${name}.constructor.constructor('return this')(),`);
    lines.push(`'${name} .constructor this': () => ${name}.constructor('return this')(),`);
    lines.push(`'${name} return process': () => ${name}.constructor.constructor('return process')(),`);
  }
  lines.push(`'budget.constructor.constructor': () => budget.constructor.constructor('return this')(),`);
  lines.push(`'args.constructor.constructor': () => args.constructor.constructor('return this')(),`);
  lines.push(`'args.list.constructor.constructor': () => args.list.constructor.constructor('return process')(),`);
  lines.push(`'error instance': () => new AgentLimitError('x').constructor.constructor('return this')(),`);
  lines.push(`'agent() promise': () => agent('probe').constructor.constructor('return this')(),`);
  lines.push(`'agent() result': async () => (await agent('probe')).constructor.constructor('return process')(),`);
  return lines.join('\n    ');
}

describe('isolation of the script', () => {
  it('reaches no host object through any injected global', async () => {
    const report = await h.run(rawProgram(`${PROBE_HELPERS}\nreturn await tryRoads({\n    ${roadsThroughGlobals()}\n});`), { args: { list: [1, 2] } });
    const results = report.result as Record<string, { type?: string; host?: string[]; threw?: string }>;
    expect(Object.keys(results)).toHaveLength(INJECTED.length * 3 + 6);
    for (const [road, found] of Object.entries(results)) {
      if (road.endsWith('return process')) expect(found, road).toEqual({ threw: 'ReferenceError' });
      else if ('threw' in found) expect(found.threw, road).not.toBe('');
      else expect(found.host, road).toEqual([]);
    }
    expect(JSON.stringify(report)).not.toContain(CANARY);
  });

  it('reaches no host object through this, globalThis, eval, Function or other constructors', async () => {
    const report = await h.run(
      rawProgram(`${PROBE_HELPERS}
return await tryRoads({
  'this (sloppy)': () => this,
  'globalThis': () => globalThis,
  'Function': () => Function('return this')(),
  'new Function globalThis': () => new Function('return globalThis')(),
  'eval': () => eval('this'),
  'indirect eval': () => (0, eval)('this'),
  'AsyncFunction': () => Object.getPrototypeOf(async function () {}).constructor('return this')(),
  'GeneratorFunction': () => Object.getPrototypeOf(function* () {}).constructor('return this')().next().value,
  'AsyncGeneratorFunction': async () => (await Object.getPrototypeOf(async function* () {}).constructor('return this')().next()).value,
  'string constructor': () => ''.constructor.constructor('return this')(),
  'Promise constructor': () => Promise.resolve().constructor.constructor('return this')(),
  'Error.prepareStackTrace': () => { Error.prepareStackTrace = (e, frames) => frames; return new Error('x').stack; },
  'stack of a failed agent': async () => { try { await agent('x', { bogus: 1 }); } catch (e) { return e.stack; } },
  'arguments.callee.caller': function () { return arguments.callee.caller; },
  'self-check': () => ({ process: {}, fetch() {} }),
});`),
    );
    const results = report.result as Record<string, { type?: string; host?: string[]; threw?: string; text?: string }>;
    // The probe does see host-looking names when they are there.
    expect(results['self-check']).toEqual({ type: 'object', host: ['process', 'fetch'] });
    for (const [road, found] of Object.entries(results)) {
      if ('threw' in found || road === 'self-check') continue;
      expect(found.host, road).toEqual([]);
    }
    expect(results['globalThis']).toEqual({ type: 'object', host: [] });
    expect(results['Error.prepareStackTrace']?.type).toBe('string');
    expect(JSON.stringify(report)).not.toContain(CANARY);
  });

  it('has no process, require, import(), fetch, host timers or environment', async () => {
    const report = await h.run(
      rawProgram(`
const results = {};
for (const name of ${JSON.stringify(HOST_NAMES)}) results[name] = eval('typeof ' + name);
try { results.requireFs = typeof require('fs'); } catch (e) { results.requireFs = 'threw ' + e.name; }
try { results.importFs = typeof (await Function('return import("fs")')()); } catch (e) { results.importFs = 'threw ' + e.name; }
try { results.importNodeFs = typeof (await import('node:fs')); } catch (e) { results.importNodeFs = 'threw ' + e.name; }
try { results.env = process.env.ANTHROPIC_API_KEY; } catch (e) { results.env = 'threw ' + e.name; }
try { results.envViaFunction = Function('return process.env.ANTHROPIC_API_KEY')(); } catch (e) { results.envViaFunction = 'threw ' + e.name; }
results.globals = Object.getOwnPropertyNames(globalThis).sort();
return results;`),
    );
    const results = report.result as Record<string, unknown>;
    for (const name of HOST_NAMES) expect(results[name], name).toBe('undefined');
    expect(results.requireFs).toBe('threw ReferenceError');
    expect(results.importFs).toMatch(/^threw /);
    expect(results.importNodeFs).toMatch(/^threw /);
    expect(results.env).toBe('threw ReferenceError');
    expect(results.envViaFunction).toBe('threw ReferenceError');
    // Beyond the language's own built-ins, only Baton's globals.
    const globals = results.globals as string[];
    for (const name of ['agent', 'parallel', 'pipeline', 'phase', 'log', 'args', 'budget', 'workflow', 'AgentLimitError']) {
      expect(globals).toContain(name);
    }
    const unexpected = globals.filter((name) => !ECMASCRIPT_GLOBALS.has(name) && !BATON_GLOBALS.has(name));
    expect(unexpected).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(CANARY);
  });

  it('keeps runs apart: what one run leaves on its globals, the next does not see', async () => {
    await h.run(script("globalThis.leftover = 'from run A';\nObject.prototype.polluted = 'yes';\nArray.prototype.push = () => 0;\nreturn 1;"));
    const report = await h.run(script('return { leftover: typeof globalThis.leftover, polluted: ({}).polluted, push: [].push(1) };'));
    expect(report.result).toEqual({ leftover: 'undefined', push: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a script that tampers with JSON or Promise without reaching the host', async () => {
    const report = await h.run(
      script(
        'JSON.stringify = () => ({ not: "a string" });\nJSON.parse = () => process;\n' +
          "const a = await agent('still works');\nlog({ fine: true });\nreturn { a };",
      ),
    );
    expect(report.result).toEqual({ a: 'echo: still works' });
    expect(report.logs).toEqual(['{"fine":true}']);
  });
});

// QuickJS's standard global names (ES2023 plus its Iterator/`escape`-era extras).
const ECMASCRIPT_GLOBALS = new Set([
  'Object',
  'Function',
  'Error',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  'InternalError',
  'AggregateError',
  'Iterator',
  'Array',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'decodeURI',
  'decodeURIComponent',
  'encodeURI',
  'encodeURIComponent',
  'escape',
  'unescape',
  'Infinity',
  'NaN',
  'undefined',
  '__date_clock',
  'Number',
  'Boolean',
  'String',
  'Math',
  'Reflect',
  'Symbol',
  'eval',
  'globalThis',
  'Date',
  'RegExp',
  'JSON',
  'Proxy',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'Uint8ClampedArray',
  'Int8Array',
  'Uint8Array',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'DataView',
  'Atomics',
  'Promise',
  'BigInt',
  'performance',
  'Intl',
  'structuredClone',
  'DisposableStack',
  'AsyncDisposableStack',
  'SuppressedError',
]);
const BATON_GLOBALS = new Set([
  'agent',
  'parallel',
  'pipeline',
  'phase',
  'log',
  'args',
  'budget',
  'workflow',
  'approve',
  'score',
  'console',
  'AgentLimitError',
  'BudgetExhaustedError',
  'RunStoppedError',
  'WorkflowNotFoundError',
  'StructuredOutputRetryError',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
]);
