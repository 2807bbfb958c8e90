// Positions in the user's file. Everything the compiler reports goes through here, so the
// line/column convention (both 1-based, columns in UTF-16 code units) lives in one place.

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

/** A problem found in the script, before the file name is attached. */
export interface Problem {
  at: SourcePosition;
  message: string;
}

export const FILE_START: SourcePosition = { line: 1, column: 1 };

// The same line terminators as ECMAScript (and so acorn and esbuild) use.
const LINE_BREAK = /\r\n?|\n|\u2028|\u2029/g;

/** Offsets at which each line starts; index 0 is line 1. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(LINE_BREAK)) starts.push(m.index + m[0].length);
  return starts;
}

/** Offset of a 1-based line and 0-based UTF-16 column, or null when the line does not exist. */
export function offsetAt(starts: number[], line: number, column0: number): number | null {
  const start = starts[line - 1];
  return start === undefined ? null : start + column0;
}

/** esbuild reports columns in UTF-8 bytes; editors count UTF-16 code units. */
export function utf16Column(lineText: string, byteColumn: number): number {
  return Buffer.from(lineText, 'utf8').subarray(0, byteColumn).toString('utf8').length;
}

/** 1-based position of an offset. */
export function positionAt(starts: number[], offset: number): SourcePosition {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

/**
 * esbuild maps `export const x` and `export function f` to the declaration, not to `export`;
 * this steps back over the keyword so a message about the export points at it.
 */
export function backOverKeyword(source: string, starts: number[], at: SourcePosition, keyword: string): SourcePosition {
  const offset = offsetAt(starts, at.line, at.column - 1);
  if (offset === null) return at;
  const before = source.slice(Math.max(0, offset - 200), offset).match(new RegExp(`\\b${keyword}\\s+$`));
  return before ? positionAt(starts, offset - before[0].length) : at;
}
