// What the compiler reports: a message pinned to a position in the user's own file.

/**
 * A compile error or warning. `line` and `column` are both 1-based and point into the
 * original file (before TypeScript stripping); columns count UTF-16 code units, as editors do.
 */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** `review.js:12:5: message`, the form editors and terminals turn into links. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

/** `review.js:12:5: warning: message`. */
export function formatWarning(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: warning: ${d.message}`;
}

/** Thrown when a script does not compile; carries every error found, not just the first. */
export class CompileError extends Error {
  override readonly name = 'CompileError';

  constructor(
    readonly diagnostics: Diagnostic[],
    readonly warnings: Diagnostic[] = [],
  ) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
  }
}
