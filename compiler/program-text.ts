// Turns esbuild's output into the `program` the interpreter evaluates, and its line map.

import { simple } from 'acorn-walk';
import type { Expression, ExportNamedDeclaration, Program } from 'acorn';
import { decodedMappings, type TraceMap } from '@jridgewell/trace-mapping';

// Scripts are ES modules, which are strict; the wrapper function must keep them strict.
const HEADER = '(async function () { "use strict";';
const FOOTER = '})';

/** A source-map segment that points into the source: [column, source, line, column, name?]. */
type MappedSegment = [number, number, number, number] | [number, number, number, number, number];

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * `(async function () {` + the script body + `})`, with the meta statement turned into a
 * plain `const meta = ...` (scripts may read meta) and return markers back into `return`.
 */
export function buildProgram(code: string, ast: Program, metaStatement: ExportNamedDeclaration, returnMarker: string | null): string {
  const edits: Edit[] = [];
  // Blank out `export ` rather than delete it, so columns on that line stay esbuild's.
  const declStart = metaStatement.declaration!.start;
  edits.push({ start: metaStatement.start, end: declStart, text: ' '.repeat(declStart - metaStatement.start) });
  if (returnMarker !== null) edits.push(...returnEdits(code, ast, returnMarker));

  edits.sort((a, b) => a.start - b.start);
  let body = '';
  let last = 0;
  for (const edit of edits) {
    body += code.slice(last, edit.start) + edit.text;
    last = edit.end;
  }
  body += code.slice(last);
  if (!body.endsWith('\n')) body += '\n';
  return `${HEADER}\n${body}${FOOTER}`;
}

/** Edits that turn `$_r_$;` into `return;` and `$_r_$ = x` into `return x` (see transpile.ts). */
function returnEdits(code: string, ast: Program, marker: string): Edit[] {
  const edits: Edit[] = [];
  const isMarker = (e: Expression) => e.type === 'Identifier' && e.name === marker;
  simple(ast, {
    ExpressionStatement(statement) {
      let expr = statement.expression;
      if (isMarker(expr)) {
        edits.push({ start: expr.start, end: expr.end, text: 'return' });
        return;
      }
      if (expr.type === 'SequenceExpression') expr = expr.expressions[0]!;
      if (expr.type === 'AssignmentExpression' && expr.operator === '=' && isMarker(expr.left as Expression)) {
        const equals = code.indexOf('=', expr.left.end);
        const width = equals + 1 - expr.left.start;
        // esbuild may print a comment and a line break before the value; after `return`, a line
        // break would end the statement, so the value is then wrapped in parentheses.
        if (/[\n\r\u2028\u2029]/.test(code.slice(equals + 1, expr.right.start))) {
          edits.push({ start: expr.left.start, end: equals + 1, text: 'return ('.padEnd(width) });
          edits.push({ start: expr.right.end, end: expr.right.end, text: ')' });
        } else {
          edits.push({ start: expr.left.start, end: equals + 1, text: 'return'.padEnd(width) });
        }
      }
    },
  });
  return edits;
}

/**
 * For each 1-based line of the program, where it came from in the user's file: the first
 * source-map segment of the matching line of esbuild's output, made 1-based.
 */
export function buildLineMap(program: string, map: TraceMap): Array<[number, number] | null> {
  const lineCount = program.split('\n').length;
  const mappings = decodedMappings(map);
  const lineMap: Array<[number, number] | null> = [null];
  for (let line = 1; line <= lineCount; line++) {
    // Program line 1 is the header, so program line n is output line n - 1 (0-based n - 2).
    const segment = mappings[line - 2]?.find((s): s is MappedSegment => s.length >= 4);
    lineMap.push(segment ? [segment[2] + 1, segment[3] + 1] : null);
  }
  return lineMap;
}
