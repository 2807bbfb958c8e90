// Strips TypeScript and lowers syntax with esbuild, keeping a source map to the user's file.
//
// esbuild parses a file as an ECMAScript module as soon as it sees `export`, `import` or a
// top-level `await`, and then refuses top-level `return` — which scripts use to hand back
// their result. So the first pass finds every top-level `return` (esbuild reports each one),
// the second pass sees them replaced by a same-length marker that is legal at module level
// (`$_r_$;` or `$_r_$=`), and restore-returns.ts turns the markers back into `return` in the
// output. Keeping the length keeps every position in esbuild's source map the user's own.

import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';
import type { Message, TransformOptions, TransformResult } from 'esbuild';
import { lineStarts, offsetAt, utf16Column, FILE_START, type Problem } from './source-position.js';

// esbuild is a CommonJS package: required, Node loads it as such at once, where an `import` would
// first scan its source for its module format and its export names (docs/performance.md#cli).
const { transform } = createRequire(import.meta.url)('esbuild') as typeof Esbuild;

const TOP_LEVEL_RETURN = 'Top-level return cannot be used inside an ECMAScript module';

export type Transpiled =
  | {
      ok: true;
      code: string;
      /** esbuild's source map (v3 JSON) from `code` back to the original file. */
      map: string;
      /** Identifier standing for `return` in `code`, or null when no marker was needed. */
      returnMarker: string | null;
      warnings: Problem[];
    }
  | { ok: false; errors: Problem[]; warnings: Problem[] };

export function loaderFor(fileName: string): 'ts' | 'js' {
  return /\.[cm]?ts$/i.test(fileName) ? 'ts' : 'js';
}

export async function transpile(fileName: string, source: string): Promise<Transpiled> {
  const options: TransformOptions = {
    loader: loaderFor(fileName),
    // QuickJS implements ES2023; es2022 leaves room and still keeps top-level await.
    target: 'es2022',
    sourcemap: 'external',
    sourcefile: fileName,
    charset: 'utf8',
    logLevel: 'silent',
    // Without this, esbuild drops TypeScript imports it cannot see used, and a forbidden
    // `import fs from 'fs'` would vanish instead of being reported.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  };

  const first = await run(source, options);
  if (first.ok) return { ...first, returnMarker: null };

  const returns = first.errors.filter((e) => e.text === TOP_LEVEL_RETURN);
  const others = first.errors.filter((e) => e.text !== TOP_LEVEL_RETURN);
  // A real syntax error makes esbuild stop; the return reports are then beside the point.
  if (others.length > 0 || returns.length === 0) {
    return { ok: false, errors: others.map(toProblem), warnings: first.warnings.map(toProblem) };
  }

  const marker = pickMarker(source);
  const rewritten = replaceReturns(source, returns, marker);
  if (typeof rewritten !== 'string') return { ok: false, errors: rewritten, warnings: [] };

  const second = await run(rewritten, options);
  if (!second.ok) {
    return { ok: false, errors: second.errors.map(toProblem), warnings: second.warnings.map(toProblem) };
  }
  return { ...second, returnMarker: marker };
}

type RunResult = { ok: true; code: string; map: string; warnings: Problem[] } | { ok: false; errors: Message[]; warnings: Message[] };

async function run(source: string, options: TransformOptions): Promise<RunResult> {
  let result: TransformResult;
  try {
    result = await transform(source, options);
  } catch (e) {
    const failure = e as { errors?: Message[]; warnings?: Message[] };
    if (!Array.isArray(failure.errors)) throw e;
    return { ok: false, errors: failure.errors, warnings: failure.warnings ?? [] };
  }
  return { ok: true, code: result.code, map: result.map, warnings: result.warnings.map(toProblem) };
}

function toProblem(m: Message): Problem {
  if (!m.location) return { at: FILE_START, message: m.text };
  const { line, column, lineText } = m.location;
  return { at: { line, column: utf16Column(lineText, column) + 1 }, message: m.text };
}

/** A five-character identifier the script does not mention, so it cannot clash. */
function pickMarker(source: string): string {
  for (let c = 0x61; c <= 0x7a; c++) {
    const marker = `$_${String.fromCharCode(c)}_$`;
    if (!source.includes(marker)) return marker;
  }
  for (let n = 0; ; n++) {
    const marker = `$${n.toString(36).padStart(3, '_')}$`;
    if (!source.includes(marker)) return marker;
  }
}

function replaceReturns(source: string, returns: Message[], marker: string): string | Problem[] {
  const starts = lineStarts(source);
  const offsets: number[] = [];
  for (const r of returns) {
    const loc = r.location;
    const offset = loc && offsetAt(starts, loc.line, utf16Column(loc.lineText, loc.column));
    if (offset === null || offset === undefined || !source.startsWith('return', offset)) {
      return [toProblem(r)];
    }
    offsets.push(offset);
  }
  offsets.sort((a, b) => a - b);
  let out = '';
  let last = 0;
  for (const offset of offsets) {
    // `return;` becomes the expression statement `$_r_$;`, `return x` the assignment
    // `$_r_$= x`: both are six characters, both are legal in any statement position.
    const replacement = returnsValue(source, offset + 'return'.length) ? `${marker}=` : `${marker};`;
    out += source.slice(last, offset) + replacement;
    last = offset + 'return'.length;
  }
  return out + source.slice(last);
}

/** Whether the `return` ending at `pos` has an argument (by the automatic-semicolon rules). */
function returnsValue(source: string, pos: number): boolean {
  let i = pos;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029') return false;
    if (ch === ';' || ch === '}') return false;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (source.startsWith('//', i)) return false;
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) return false;
      if (/[\n\r\u2028\u2029]/.test(source.slice(i, end))) return false;
      i = end + 2;
      continue;
    }
    return true;
  }
  return false;
}
