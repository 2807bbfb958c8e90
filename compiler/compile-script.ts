// Script file → CompiledScript: the compiler's entry point.

import { readFile } from 'node:fs/promises';
import { parse, parseExpressionAt, type Expression, type Options, type Position, type Program } from 'acorn';
import { GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import type { CompiledScript } from '../contract/run-types.js';
import { CompileError, type Diagnostic } from './diagnostics.js';
import { readMetaLiteral, type MetaLiteral } from './meta-literal.js';
import { checkMeta } from './meta-schema.js';
import { buildLineMap, buildProgram } from './program-text.js';
import { FILE_START, lineStarts, offsetAt, type Problem, type SourcePosition } from './source-position.js';
import { transpile } from './transpile.js';
import { validateProgram } from './validate-program.js';
import { agentOptionWarnings } from './agent-call-check.js';
import { portabilityWarnings } from './portability-check.js';

export type CompileResult =
  | {
      ok: true;
      script: CompiledScript;
      warnings: Diagnostic[];
      /** Where it would not run on Claude Code (portability-check.ts): `baton check` prints them. */
      portability: Diagnostic[];
    }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

const ACORN: Options = {
  ecmaVersion: 'latest',
  sourceType: 'module',
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  locations: true,
};

/** Compiles a script's text. `fileName` names it in messages and picks the loader (.ts → TypeScript). */
export async function compileScript(fileName: string, source: string): Promise<CompileResult> {
  const text = neutraliseFileHeader(source);
  const fail = (errors: Problem[], warnings: Problem[]): CompileResult => ({
    ok: false,
    errors: toDiagnostics(fileName, errors),
    warnings: toDiagnostics(fileName, warnings),
  });

  // 1. Strip types and lower syntax. A syntax error stops everything after it.
  const transpiled = await transpile(fileName, text);
  if (!transpiled.ok) return fail(transpiled.errors, transpiled.warnings);
  const map = new TraceMap(transpiled.map);
  const locate = (loc: Position) => originalPosition(map, loc);
  const warnings = [...transpiled.warnings];

  // 2. Parse esbuild's output, whose positions the source map ties to the user's file.
  let ast: Program;
  try {
    ast = parse(transpiled.code, ACORN);
  } catch (e) {
    const loc = (e as { loc?: Position }).loc;
    return fail([{ at: (loc && locate(loc)) ?? FILE_START, message: (e as Error).message }], warnings);
  }

  // 3. Statements: meta first, no imports, exports, require or import().
  const shape = validateProgram(ast, text, locate);
  const errors = [...shape.problems];
  warnings.push(...agentOptionWarnings(ast, locate));

  // 4. meta: a pure literal of the right shape.
  let meta: CompiledScript['meta'] | null = null;
  if (shape.metaStatement && !shape.metaInit) {
    errors.push({
      at: locate(shape.metaStatement.loc!.start) ?? FILE_START,
      message: 'export const meta needs a value: export const meta = { ... }',
    });
  }
  if (shape.metaInit) {
    const { literal, locateLiteral } = readMeta(text, shape.metaInit, locate);
    errors.push(...literal.problems.map((p) => ({ at: locateLiteral(p.loc), message: p.message })));
    const checked = checkMeta(literal, locateLiteral);
    errors.push(...checked.errors);
    warnings.push(...checked.warnings);
    meta = checked.meta;
  }
  if (errors.length > 0 || meta === null || shape.metaStatement === null) return fail(errors, warnings);

  // 5. The program the interpreter evaluates, and where each of its lines came from.
  const program = buildProgram(transpiled.code, ast, shape.metaStatement, transpiled.returnMarker);
  const diagnostics = toDiagnostics(fileName, warnings);
  const script: CompiledScript = { fileName, meta, program, lineMap: buildLineMap(program, map), source };
  // The approval card shows them too (a run started with --yes still has them in its input).
  if (diagnostics.length > 0) script.warnings = diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`);
  const portability = toDiagnostics(fileName, portabilityWarnings(fileName, text, ACORN, ast, locate));
  return { ok: true, script, warnings: diagnostics, portability };
}

/** Reads and compiles a script file; `path` is used as given in messages. File errors are thrown as-is. */
export async function compileScriptFile(path: string): Promise<CompileResult> {
  return compileScript(path, await readFile(path, 'utf8'));
}

/** The compiled script, or a CompileError carrying every diagnostic. */
export function assertCompiled(result: CompileResult): CompiledScript {
  if (!result.ok) throw new CompileError(result.errors, result.warnings);
  return result.script;
}

// A byte-order mark or a `#!` line would end up inside the wrapper function, where it is a
// syntax error; same-length replacements keep every position where it was.
function neutraliseFileHeader(source: string): string {
  const bom = source.startsWith('\uFEFF');
  const text = bom ? ` ${source.slice(1)}` : source;
  const at = bom ? 1 : 0;
  return text.startsWith('#!', at) ? `${text.slice(0, at)}//${text.slice(at + 2)}` : text;
}

/**
 * meta is read from the user's own text where possible: esbuild folds constants ('a' + 'b',
 * `${'x'}`), which would hide the very expressions meta may not contain. esbuild's output is
 * the fallback, for a meta that holds TypeScript syntax acorn cannot parse.
 */
function readMeta(
  source: string,
  init: Expression,
  locate: (loc: Position) => SourcePosition | null,
): { literal: MetaLiteral; locateLiteral: (loc: Position) => SourcePosition } {
  const at = locate(init.loc!.start);
  const offset = at && offsetAt(lineStarts(source), at.line, at.column - 1);
  if (offset !== null) {
    try {
      const original = parseExpressionAt(source, offset, ACORN);
      if (original.type === init.type) {
        return { literal: readMetaLiteral(original), locateLiteral: (loc) => ({ line: loc.line, column: loc.column + 1 }) };
      }
    } catch {
      // TypeScript inside meta (`[] as Phase[]`): use esbuild's output below.
    }
  }
  return { literal: readMetaLiteral(init), locateLiteral: (loc) => locate(loc) ?? FILE_START };
}

function originalPosition(map: TraceMap, loc: Position): SourcePosition | null {
  for (const bias of [GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND] as const) {
    const found = originalPositionFor(map, { line: loc.line, column: loc.column, bias });
    if (found.line !== null) return { line: found.line, column: found.column + 1 };
  }
  return null;
}

function toDiagnostics(file: string, problems: Problem[]): Diagnostic[] {
  return [...problems]
    .sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column)
    .map((p) => ({ file, line: p.at.line, column: p.at.column, message: p.message }));
}
