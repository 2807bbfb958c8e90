// The compiled program is evaluated here in a Node vm context with stub globals, to show it
// runs as the interpreter will run it: an async function whose body is the script.
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertCompiled, compileScript, compileScriptFile } from '../../compiler/index.js';
import type { CompiledScript } from '../../contract/run-types.js';

const lines = (...ls: string[]) => ls.join('\n');
const META = "export const meta = { name: 'demo', description: 'A demo script' }";
const PROGRAM_FILE = 'program.js';

/** Evaluates `program` with the given globals and runs it; results cross back as JSON. */
async function run(script: CompiledScript, globals: Record<string, unknown> = {}): Promise<unknown> {
  const context = vm.createContext({ agent: async (prompt: string) => `did: ${prompt}`, log: () => {}, ...globals });
  const fn = vm.runInContext(script.program, context, { filename: PROGRAM_FILE }) as () => Promise<unknown>;
  const result = await fn();
  return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
}

async function compiled(file: string, source: string): Promise<CompiledScript> {
  return assertCompiled(await compileScript(file, source));
}

describe('program: top-level await and return', () => {
  describe.each([
    { case: 'returns an awaited value', file: 'a.js', body: ["const r = await agent('hi')", 'return { r }'], args: undefined, expected: { r: 'did: hi' } },
    { case: 'an object literal after return (not a block)', file: 'a.js', body: ['return { a: 1, b: [2] }'], args: undefined, expected: { a: 1, b: [2] } },
    { case: 'an early return inside if', file: 'a.js', body: ["if (args) return 'early'", "return 'late'"], args: 1, expected: 'early' },
    { case: 'falls through an early return not taken', file: 'a.js', body: ["if (args) return 'early'", "return 'late'"], args: 0, expected: 'late' },
    {
      case: 'return without a value',
      file: 'a.js',
      body: ["await agent('x')", 'return', "throw new Error('unreachable')"],
      args: undefined,
      expected: undefined,
    },
    { case: 'return; then a closing brace', file: 'a.js', body: ['if (true) { return }', 'return 1'], args: undefined, expected: undefined },
    { case: 'return then a newline ends the statement (ASI)', file: 'a.js', body: ['return', '42'], args: undefined, expected: undefined },
    { case: 'return followed by a block comment', file: 'a.js', body: ['return /* the answer */ 42'], args: undefined, expected: 42 },
    { case: 'return followed by a line comment', file: 'a.js', body: ['return // nothing', '42'], args: undefined, expected: undefined },
    { case: 'return of a comma expression', file: 'a.js', body: ['return 1, 2'], args: undefined, expected: 2 },
    { case: 'return of a parenthesised comma expression', file: 'a.js', body: ['return (1, 3)'], args: undefined, expected: 3 },
    { case: 'return of a called function expression', file: 'a.js', body: ['return function () { return 5 }()'], args: undefined, expected: 5 },
    {
      case: 'return inside a loop and a switch',
      file: 'a.js',
      body: ['for (const x of [1, 2, 3]) {', '  switch (x) { case 2: return x * 10 }', '}'],
      args: undefined,
      expected: 20,
    },
    { case: 'return without a space before the value', file: 'a.js', body: ["return['a']"], args: undefined, expected: ['a'] },
    { case: 'the script can read its meta', file: 'a.js', body: ['return meta.name'], args: undefined, expected: 'demo' },
    { case: 'a variable named like the return marker', file: 'a.js', body: ['const $_r_$ = 7', 'return $_r_$'], args: undefined, expected: 7 },
    {
      case: 'TypeScript types are stripped',
      file: 'a.ts',
      body: ['interface A { n: number }', 'const a: A = { n: 2 }', "const s = (await agent('x')) as unknown as string", 'return { n: a.n as number, s }'],
      args: undefined,
      expected: { n: 2, s: 'did: x' },
    },
    {
      case: 'TypeScript enum and generic arrow',
      file: 'a.ts',
      body: ['enum Color { Red, Green }', 'const id = <T,>(x: T): T => x', 'return id(Color.Green)'],
      args: undefined,
      expected: 1,
    },
    { case: 'TypeScript return with a type assertion', file: 'a.ts', body: ['const v: unknown = 3', 'return <number>v + 1'], args: undefined, expected: 4 },
  ])('$case', ({ file, body, args, expected }) => {
    it('evaluates to the returned value', async () => {
      const script = await compiled(file, lines(META, ...body));
      expect(await run(script, { args })).toEqual(expected);
    });
  });

  it('runs in strict mode, as a module would', async () => {
    const script = await compiled('a.js', lines(META, 'undeclared = 1', 'return 1'));
    await expect(run(script)).rejects.toThrow(/undeclared is not defined/);
  });

  it('runs the seed review script with stub globals', async () => {
    const path = fileURLToPath(new URL('../../examples/review-changes.js', import.meta.url));
    const script = assertCompiled(await compileScriptFile(path));
    const calls: Array<{ prompt: string; phase: string }> = [];
    const agent = async (prompt: string, opts: { phase: string; schema: { required: string[] } }) => {
      calls.push({ prompt, phase: opts.phase });
      if (opts.schema.required[0] === 'findings') return { findings: [{ title: 'keep' }, { title: 'drop' }] };
      return { real: prompt.endsWith('keep') };
    };
    const parallel = (thunks: Array<() => Promise<unknown>>) => Promise.all(thunks.map((t) => t()));
    const pipeline = (items: unknown[], ...stages: Array<(prev: unknown, item: unknown, i: number) => unknown>) =>
      Promise.all(
        items.map(async (item, i) => {
          let prev = item;
          for (const stage of stages) prev = await stage(prev, item, i);
          return prev;
        }),
      );
    const result = await run(script, { agent, parallel, pipeline, args: undefined, score: () => {} });
    expect(result).toEqual({
      confirmed: [
        { title: 'keep', verdict: { real: true } },
        { title: 'keep', verdict: { real: true } },
      ],
    });
    expect(calls.filter((c) => c.phase === 'Review')).toHaveLength(2);
    expect(calls.filter((c) => c.phase === 'Verify')).toHaveLength(4);
  });
});

/** The program line a thrown error points at, read from its stack. */
async function throwingLine(script: CompiledScript): Promise<number> {
  const error = await run(script).then(
    () => null,
    (e: Error) => e,
  );
  const match = error?.stack?.match(new RegExp(`${PROGRAM_FILE}:(\\d+):\\d+`));
  if (!match) throw new Error(`no program position in: ${error?.stack}`);
  return Number(match[1]);
}

describe('lineMap: runtime errors name the script line', () => {
  describe.each([
    {
      case: 'JavaScript',
      file: 'a.js',
      source: lines(
        META, // 1
        '', // 2
        "const a = await agent('one')", // 3
        'const b = [a,', // 4
        '  a]', // 5
        '// comment', // 6
        "if (b.length === 2) throw new Error('line 7')", // 7
        'return b', // 8
      ),
    },
    {
      case: 'TypeScript with stripped lines before the throw',
      file: 'a.ts',
      source: lines(
        'interface Finding {', // 1
        '  title: string', // 2
        '}', // 3
        META, // 4
        'type Alias = Finding[]', // 5
        'const found: Alias = []', // 6
        'const x = (found[0] as any).title', // 7: TypeError, reading .title of undefined
        'return x', // 8
      ),
    },
    {
      case: 'a throw after an early top-level return that was not taken',
      file: 'a.js',
      source: lines(
        META, // 1
        'const n = 1', // 2
        'if (n > 1) return', // 3
        'const o = {', // 4
        '  a: 1,', // 5
        '}', // 6
        '  ;null.boom', // 7
      ),
    },
  ])('$case', ({ file, source }) => {
    it('maps the throwing program line to line 7', async () => {
      const script = await compiled(file, source);
      const line = await throwingLine(script);
      expect(line).toBeGreaterThan(1);
      expect(script.lineMap[line]?.[0]).toBe(7);
    });
  });

  it('has one entry per program line, index 0 and the wrapper lines unused', async () => {
    const script = await compiled('a.js', lines(META, "const a = await agent('x')", 'return a'));
    const programLines = script.program.split('\n').length;
    expect(script.lineMap).toHaveLength(programLines + 1);
    expect(script.lineMap[0]).toBeNull();
    expect(script.lineMap[1]).toBeNull();
    expect(script.lineMap[programLines]).toBeNull();
    expect(script.lineMap.slice(2, -1).map((entry) => entry?.[0])).toEqual([1, 2, 3]);
    // The meta line's first token is `const` (column 8), once `export` is blanked out.
    expect(script.lineMap[2]).toEqual([1, 8]);
    expect(script.lineMap[3]).toEqual([2, 1]);
  });
});
