// How a script's end becomes a failed run: which failure type, which status, and the script's
// own file:line:column, recovered from QuickJS's stack through the compiler's line map.
import type { CompiledScript, RunStatus, ScriptErrorInfo } from '../contract/run-types.js';
import { PROGRAM_FILE, SCRIPT_MEMORY_LIMIT_BYTES, type ScriptEnd } from './quickjs/script-sandbox.js';
import { ACTIVATION_BACKSTOP_MS } from './quickjs/cpu-fuse.js';

export type ScriptFailureType = 'ScriptError' | 'ScriptTimeout' | 'ScriptOutOfMemory' | 'BudgetExhausted' | 'RunStopped';

export interface ScriptFailure {
  /** The ApplicationFailure type. */
  type: ScriptFailureType;
  status: RunStatus;
  /** `review.js:12:5: TypeError: ...`, or `review.js: ...` when no line is known. */
  message: string;
  info: ScriptErrorInfo;
}

// Uncaught errors that end a run with their own status (docs/runs.md#statuses) rather than 'failed'.
const STATUS_BY_ERROR: Record<string, [ScriptFailureType, RunStatus]> = {
  BudgetExhaustedError: ['BudgetExhausted', 'budget_exhausted'],
  // Claude Code's name for it, which runs recorded since claude-code-semantics.ts's patch use.
  WorkflowBudgetExceededError: ['BudgetExhausted', 'budget_exhausted'],
  RunStoppedError: ['RunStopped', 'stopped'],
};

/**
 * Every program evaluated in the isolate, by the file name QuickJS gives its stack frames: the
 * run's script under PROGRAM_FILE, each nested workflow under its own (nested-workflows.ts).
 */
export type ScriptFiles = ReadonlyMap<string, CompiledScript>;

export function scriptFailure(end: Exclude<ScriptEnd, { kind: 'returned' }>, files: ScriptFiles): ScriptFailure {
  let type: ScriptFailureType = 'ScriptError';
  let status: RunStatus = 'failed';
  let name: string;
  let message: string;
  let stack = '';
  switch (end.kind) {
    case 'threw':
      ({ name, message, stack } = end.error);
      [type, status] = STATUS_BY_ERROR[name] ?? [type, status];
      break;
    case 'timeout':
      type = 'ScriptTimeout';
      name = 'ScriptTimeout';
      message =
        end.trip === 'budget'
          ? 'the script computed for too long without awaiting anything (an infinite loop?)'
          : `the script computed for more than ${ACTIVATION_BACKSTOP_MS / 1000} s without awaiting anything (an infinite loop?)`;
      stack = end.error.stack;
      break;
    case 'out-of-memory':
      type = 'ScriptOutOfMemory';
      name = 'ScriptOutOfMemory';
      message = `the script used more than ${SCRIPT_MEMORY_LIMIT_BYTES / 1024 / 1024} MB of memory`;
      stack = end.error.stack;
      break;
    case 'stalled':
      name = 'Error';
      message = 'the script is waiting for a promise that can never settle (no agent is running)';
      break;
  }
  const { script, line, column } = scriptPosition(stack, files);
  const where = line === null ? script.fileName : `${script.fileName}:${line}:${column ?? 1}`;
  const info: ScriptErrorInfo = { type: name, message, line, column };
  if (script !== files.get(PROGRAM_FILE)) info.file = script.fileName;
  return { type, status, message: `${where}: ${name}: ${message}`, info };
}

/**
 * The position of the innermost stack frame inside one of the scripts, and which script it is
 * in (the run's own when no frame is). QuickJS frames read `at fn (baton-program.js:LINE:COL)`
 * (SyntaxErrors: `at baton-program.js:LINE:COL`); prelude frames are skipped.
 */
export function scriptPosition(stack: string, files: ScriptFiles): { script: CompiledScript; line: number | null; column: number | null } {
  const runScript = files.get(PROGRAM_FILE)!;
  for (const match of stack.matchAll(/([\w.-]+\.js):(\d+)(?::(\d+))?/g)) {
    const script = files.get(match[1]!);
    if (!script) continue;
    return { script, ...programPosition(script, Number(match[2]), match[3] === undefined ? null : Number(match[3])) };
  }
  return { script: runScript, line: null, column: null };
}

/** A QuickJS line and column of `script`'s program, as a line and column of the user's file. */
function programPosition(script: CompiledScript, programLine: number, rawColumn: number | null): { line: number | null; column: number | null } {
  // The sandbox evaluates `(` + program, which shifts line 1 by one column.
  const programColumn = rawColumn === null ? null : rawColumn - (programLine === 1 ? 1 : 0);
  const mapped = script.lineMap[programLine];
  if (!mapped) return { line: null, column: null };
  const [line, lineStartColumn] = mapped;
  if (programColumn === null) return { line, column: lineStartColumn };
  // The map gives where the line's first token came from; keep the offset from that token.
  const text = script.program.split('\n')[programLine - 1] ?? '';
  const firstTokenColumn = text.length - text.trimStart().length + 1;
  return { line, column: lineStartColumn + Math.max(0, programColumn - firstTokenColumn) };
}
