import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { assertCompiled, CompileError, compileScript, compileScriptFile, formatDiagnostic, type CompileResult } from '../../compiler/index.js';

const REVIEW_SCRIPT = fileURLToPath(new URL('../../examples/review-changes.js', import.meta.url));

/** Lines joined with \n, so a case's line numbers can be read off the array. */
const lines = (...ls: string[]) => ls.join('\n');

const META = "export const meta = { name: 'demo', description: 'A demo script' }";

function errorsOf(result: CompileResult) {
  if (result.ok) throw new Error(`expected errors, compiled: ${result.script.program}`);
  return result.errors;
}

describe('compileScript: valid scripts', () => {
  describe.each([
    {
      case: 'plain JavaScript',
      file: 'a.js',
      source: lines(META, "const text = await agent('Say hi')", 'return { text }'),
      meta: { name: 'demo', description: 'A demo script' },
    },
    {
      case: 'TypeScript: annotations, interfaces, generics, as, satisfies',
      file: 'a.ts',
      source: lines(
        "export const meta = { name: 'typed', description: 'Typed' } satisfies { name: string }",
        'interface Finding { title: string }',
        'type Findings = { findings: Finding[] }',
        'const first = <T,>(xs: T[]): T | undefined => xs[0]',
        "const r = (await agent('find', { schema: {} })) as Findings",
        'const x: number = 1',
        'return first(r.findings)?.title ?? x',
      ),
      meta: { name: 'typed', description: 'Typed' },
    },
    {
      case: 'TypeScript meta with a type annotation and as const',
      file: 'b.mts',
      source: lines('type Meta = { name: string; description: string }', "export const meta: Meta = { name: 'm', description: 'd' } as const", 'return 1'),
      meta: { name: 'm', description: 'd' },
    },
    {
      case: 'TypeScript syntax inside meta',
      file: 'c.ts',
      source: lines("export const meta = { name: 'm', description: 'd', phases: [{ title: 'A' }] as Array<{ title: string }> }", 'return 1'),
      meta: { name: 'm', description: 'd', phases: [{ title: 'A' }] },
    },
    {
      case: 'meta with phases, whenToUse, comments, trailing commas, quoted keys',
      file: 'a.js',
      source: lines(
        'export const meta = {',
        "  'name': 'review-changes', // the id",
        '  "description": "Review the diff, verify each finding",',
        "  whenToUse: 'Before merging a large change',",
        "  phases: [{ title: 'Review' }, { title: 'Verify', detail: 'Refute each finding', model: 'haiku' },],",
        '}',
        'return null',
      ),
      meta: {
        name: 'review-changes',
        description: 'Review the diff, verify each finding',
        whenToUse: 'Before merging a large change',
        phases: [{ title: 'Review' }, { title: 'Verify', detail: 'Refute each finding', model: 'haiku' }],
      },
    },
    {
      case: 'template literals without interpolation in meta',
      file: 'a.js',
      source: lines('export const meta = { name: `tmpl`, description: `No $ or { here` }', 'return 1'),
      meta: { name: 'tmpl', description: 'No $ or { here' },
    },
    {
      case: 'no return at all',
      file: 'a.js',
      source: lines(META, "await agent('just work')"),
      meta: { name: 'demo', description: 'A demo script' },
    },
    {
      case: 'a shebang line and a byte-order mark',
      file: 'a.js',
      source: `\uFEFF#!/usr/bin/env baton\n${META}\nreturn 1`,
      meta: { name: 'demo', description: 'A demo script' },
    },
    {
      case: 'type-only declarations before meta',
      file: 'a.ts',
      source: lines("import type { X } from './x'", 'interface Y { y: X }', META, 'return 1'),
      meta: { name: 'demo', description: 'A demo script' },
    },
  ])('$case', ({ file, source, meta }) => {
    it('compiles, with the meta it declares', async () => {
      const result = await compileScript(file, source);
      const script = assertCompiled(result);
      expect(script.meta).toEqual(meta);
      expect(script.fileName).toBe(file);
      expect(script.program.startsWith('(async function () {')).toBe(true);
      expect(script.program).not.toMatch(/\bexport\b/);
    });
  });

  it('compiles the seed review script', async () => {
    const result = await compileScriptFile(REVIEW_SCRIPT);
    const script = assertCompiled(result);
    expect(result.warnings).toEqual([]);
    expect(script.meta).toEqual({
      name: 'review-changes',
      description: 'Review the diff across dimensions, verify each finding',
      whenToUse: 'Before merging a large change. Args: { dimensions?: string[] } of bugs, perf, security, tests (default bugs and perf): one reviewer each.',
      phases: [{ title: 'Review' }, { title: 'Verify', model: 'haiku' }],
    });
    expect(script.fileName).toBe(REVIEW_SCRIPT);
  });

  it('warns about meta keys Baton does not know, and still compiles', async () => {
    const result = await compileScript(
      'a.js',
      lines('export const meta = {', "  name: 'x', description: 'd',", "  model: 'opus',", "  phases: [{ title: 'A', parallel: true }],", '}'),
    );
    expect(result.ok).toBe(true);
    expect(result.warnings.map(formatDiagnostic)).toEqual([
      'a.js:3:3: meta.model is not used by Baton and is ignored (known keys: name, description, whenToUse, phases)',
      'a.js:4:26: meta.phases[0].parallel is not used by Baton and is ignored (known keys: title, detail, model)',
    ]);
    expect(assertCompiled(result).meta).toEqual({ name: 'x', description: 'd', phases: [{ title: 'A' }] });
  });

  it('passes esbuild warnings through, at the position in the user file', async () => {
    const result = await compileScript('w.ts', lines(META, 'interface A {}', 'const o = { a: 1, a: 2 }', 'return o'));
    expect(result.ok).toBe(true);
    expect(result.warnings.map(formatDiagnostic)).toEqual(['w.ts:3:19: Duplicate key "a" in object literal']);
  });
});

describe('compileScript: invalid scripts', () => {
  describe.each([
    {
      case: 'meta not first',
      file: 'a.js',
      source: lines('const x = 1', META, 'return x'),
      at: [2, 1],
      says: 'export const meta must be the first statement: move it above line 1',
    },
    {
      case: 'meta missing',
      file: 'a.js',
      source: lines("const x = await agent('hi')", 'return x'),
      at: [1, 1],
      says: 'a script must start with export const meta',
    },
    {
      case: 'meta not exported',
      file: 'a.js',
      source: lines('// header', "const meta = { name: 'a', description: 'b' }"),
      at: [2, 1],
      says: 'meta must be exported',
    },
    {
      case: 'meta declared with let',
      file: 'a.js',
      source: "export let meta = { name: 'a', description: 'b' }",
      at: [1, 8],
      says: 'declare meta with const, not let',
    },
    {
      case: 'meta with an identifier',
      file: 'a.js',
      source: lines('export const meta = {', '  name: NAME,', "  description: 'd',", '}'),
      at: [2, 9],
      says: 'meta must be a pure literal: found an identifier (NAME) in meta.name',
    },
    {
      case: 'meta with a call',
      file: 'a.js',
      source: lines('export const meta = {', "  name: 'a',", "  description: describe('x'),", '}'),
      at: [3, 16],
      says: 'found a function call in meta.description',
    },
    {
      case: 'meta with a spread',
      file: 'a.js',
      source: lines('export const meta = {', '  ...base,', "  description: 'd',", '}'),
      at: [2, 3],
      says: 'found a spread (...) in meta',
    },
    {
      case: 'meta with template interpolation (points at ${)',
      file: 'a.js',
      source: lines('export const meta = {', "  name: 'a',", '  description: `Review ${what}`,', '}'),
      at: [3, 24],
      says: 'found a template literal with ${} interpolation in meta.description',
    },
    {
      case: 'meta with a computed key',
      file: 'a.js',
      source: lines('export const meta = {', "  ['name']: 'a',", "  description: 'd',", '}'),
      at: [2, 3],
      says: 'found a computed key',
    },
    {
      case: 'meta with a method',
      file: 'a.js',
      source: lines('export const meta = {', "  name: 'a',", "  description() { return 'd' },", '}'),
      at: [3, 3],
      says: 'found a method in meta.description',
    },
    {
      case: 'meta with a getter',
      file: 'a.js',
      source: lines('export const meta = {', "  name: 'a',", "  get description() { return 'd' },", '}'),
      at: [3, 3],
      says: 'found a getter in meta.description',
    },
    {
      case: 'meta with a folded-by-esbuild concatenation',
      file: 'a.js',
      source: lines('export const meta = {', "  name: 'a' + 'b',", "  description: 'd',", '}'),
      at: [2, 9],
      says: 'found an expression with the + operator in meta.name',
    },
    {
      case: 'meta with an identifier deep in phases',
      file: 'a.js',
      source: lines("export const meta = { name: 'a', description: 'd',", '  phases: [{ title: T }] }'),
      at: [2, 21],
      says: 'found an identifier (T) in meta.phases[0].title',
    },
    {
      case: 'meta with an identifier, in TypeScript',
      file: 'a.ts',
      source: lines('interface Meta { name: string }', 'export const meta: Meta & { description: string } = {', '  name: NAME,', "  description: 'd',", '}'),
      at: [3, 9],
      says: 'found an identifier (NAME) in meta.name',
    },
    {
      // Any non-empty name runs (a warning gives its slug); an empty one is still an error.
      case: 'empty name',
      file: 'a.js',
      source: lines('export const meta = {', "  name: ' ',", "  description: 'd',", '}'),
      at: [2, 9],
      says: 'meta.name must not be empty',
    },
    {
      case: 'missing name (points at the object)',
      file: 'a.js',
      source: "export const meta = { description: 'd' }",
      at: [1, 21],
      says: "meta.name is required: add name: 'review-changes'",
    },
    {
      case: 'missing description (points at the object)',
      file: 'a.js',
      source: lines('export const meta = {', "  name: 'a',", '}'),
      at: [1, 21],
      says: 'meta.description is required',
    },
    {
      case: 'multi-line description',
      file: 'a.js',
      source: lines('export const meta = {', "  name: 'a',", "  description: 'first\\nsecond',", '}'),
      at: [3, 16],
      says: 'meta.description must be one line',
    },
    {
      case: 'multi-line description in a template literal',
      file: 'a.js',
      source: lines('export const meta = {', "  name: 'a',", '  description: `first', 'second`,', '}'),
      at: [3, 16],
      says: 'meta.description must be one line',
    },
    {
      case: 'empty description',
      file: 'a.js',
      source: "export const meta = { name: 'a', description: '  ' }",
      at: [1, 47],
      says: 'meta.description must not be empty',
    },
    {
      case: 'meta that is not an object',
      file: 'a.js',
      source: "export const meta = ['a']",
      at: [1, 21],
      says: 'meta must be an object literal',
    },
    {
      case: 'a phase without a title',
      file: 'a.js',
      source: lines("export const meta = { name: 'a', description: 'd',", "  phases: [{ title: 'A' }, { detail: 'x' }] }"),
      at: [2, 28],
      says: 'meta.phases[1].title is required',
    },
    {
      case: 'phases not an array',
      file: 'a.js',
      source: "export const meta = { name: 'a', description: 'd', phases: 'Review' }",
      at: [1, 60],
      says: 'meta.phases must be an array of phases',
    },
    {
      case: 'import',
      file: 'a.js',
      source: lines(META, "import fs from 'node:fs'", 'return fs'),
      at: [2, 1],
      says: 'import is not allowed: a script has no module, filesystem or network access',
    },
    {
      case: 'import in TypeScript, with a top-level return',
      file: 'a.ts',
      source: lines(META, 'const n: number = 1', "import { readFileSync } from 'node:fs'", 'return readFileSync'),
      at: [3, 1],
      says: 'import is not allowed',
    },
    {
      case: 'export default',
      file: 'a.js',
      source: lines(META, 'export default 42'),
      at: [2, 1],
      says: 'export default is not allowed: return the result instead',
    },
    {
      case: 'export function',
      file: 'a.js',
      source: lines(META, 'export function helper() {}'),
      at: [2, 1],
      says: 'only meta may be exported: remove `export` from function helper',
    },
    {
      case: 'export const other than meta',
      file: 'a.ts',
      source: lines(META, 'export const x: number = 1'),
      at: [2, 1],
      says: 'only meta may be exported: remove `export` from const x',
    },
    {
      case: 'export list',
      file: 'a.js',
      source: lines(META, 'const x = 1', 'export { x }'),
      at: [3, 1],
      says: 'only meta may be exported',
    },
    {
      case: 'export *',
      file: 'a.js',
      source: lines(META, "export * from './other.js'"),
      at: [2, 1],
      says: 'export * is not allowed',
    },
    {
      case: 'dynamic import()',
      file: 'a.js',
      source: lines(META, "const m = await import('node:fs')", 'return 1'),
      at: [2, 17],
      says: 'import() is not allowed: a script has no module, filesystem or network access',
    },
    {
      case: 'require()',
      file: 'a.js',
      source: lines(META, "const fs = require('fs')", 'return 1'),
      at: [2, 12],
      says: 'require() is not allowed',
    },
    {
      case: 'require() after non-ASCII text, in TypeScript (columns count UTF-16 units)',
      file: 'a.ts',
      source: lines(META, "const s: string = 'é😀'; const fs = require('fs')", 'return 1'),
      at: [2, 37],
      says: 'require() is not allowed',
    },
    {
      case: 'import.meta',
      file: 'a.js',
      source: lines(META, 'const u = import.meta.url'),
      at: [2, 11],
      says: 'import.meta is not available',
    },
    {
      case: 'syntax error on line 4',
      file: 'a.js',
      source: lines(META, "const a = await agent('x')", '', 'const b = ;', 'return a'),
      at: [4, 11],
      says: 'Unexpected ";"',
    },
    {
      case: 'syntax error after non-ASCII text (columns count UTF-16 units)',
      file: 'a.js',
      source: lines(META, "const s = 'é😀'; let y = );"),
      at: [2, 26],
      says: 'Unexpected ")"',
    },
    {
      case: 'syntax error on line 5 of a TypeScript file',
      file: 'a.ts',
      source: lines(META, 'interface A {', '  a: number', '}', 'const x: A = { a: };', 'return x'),
      at: [5, 19],
      says: 'Unexpected "}"',
    },
    {
      case: 'a TypeScript-only construct in a .js file',
      file: 'a.js',
      source: lines(META, 'const x: number = 1'),
      at: [2, 8],
      says: 'Expected ";" but found ":"',
    },
  ])('$case', ({ file, source, at, says }) => {
    it(`reports ${at.join(':')}`, async () => {
      const errors = errorsOf(await compileScript(file, source));
      const found = errors.find((e) => e.message.includes(says));
      expect(found, errors.map(formatDiagnostic).join('\n')).toBeDefined();
      expect([found!.line, found!.column]).toEqual(at);
      expect(found!.file).toBe(file);
    });
  });

  it('collects every error, in file order, instead of stopping at the first', async () => {
    const source = lines(
      'export const meta = {',
      "  name: '',",
      '  description: `${x}`,',
      '}',
      "import fs from 'fs'",
      "const cp = require('child_process')",
      'export default cp',
    );
    const errors = errorsOf(await compileScript('all.js', source));
    expect(errors.map((e) => `${e.line}:${e.column}`)).toEqual(['2:9', '3:17', '5:1', '6:12', '7:1']);
  });

  it('reports a file with only a top-level return and no meta', async () => {
    const errors = errorsOf(await compileScript('a.js', 'return 1'));
    expect(errors.map(formatDiagnostic)).toEqual([
      "a.js:1:1: a script must start with export const meta = { name: 'my-script', description: 'One line on what it does' }",
    ]);
  });
});

describe('CompileError and friends', () => {
  it('formats diagnostics as file:line:column: message', () => {
    expect(formatDiagnostic({ file: 'review.js', line: 12, column: 5, message: 'boom' })).toBe('review.js:12:5: boom');
  });

  it('assertCompiled throws a CompileError carrying every diagnostic', async () => {
    const result = await compileScript('x.js', lines(META, "import a from 'a'", "import b from 'b'"));
    let thrown: unknown;
    try {
      assertCompiled(result);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CompileError);
    const error = thrown as CompileError;
    expect(error.name).toBe('CompileError');
    expect(error.diagnostics).toHaveLength(2);
    expect(error.message).toBe(error.diagnostics.map(formatDiagnostic).join('\n'));
    expect(error.message).toMatch(/^x\.js:2:1: import is not allowed.*\nx\.js:3:1: import is not allowed/);
  });

  it('compileScriptFile lets a missing file fail as a file error', async () => {
    await expect(compileScriptFile('/nonexistent/script.js')).rejects.toThrow(/ENOENT/);
  });
});
