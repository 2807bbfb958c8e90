// docs/script-language.md#globals: parallel() and pipeline() never reject; a thunk or stage that throws yields null.
// That null must not hide the error, so the run logs it (status, report and the Temporal UI show
// the log): which call, which item, which error, and where in the script it was thrown.
import type { ThrownError } from './quickjs/script-sandbox.js';
import { scriptPosition, type ScriptFiles } from './script-error.js';

/** The log line for item `index` of `call` (`parallel()` or `pipeline()`) that became null. */
export function nulledLine(call: string, index: number, errorJson: string, files: ScriptFiles): string {
  let error: Partial<ThrownError> = {};
  try {
    error = JSON.parse(errorJson) as Partial<ThrownError>;
  } catch {
    // Described by the prelude, so always JSON; an unreadable one still leaves its trace.
  }
  const { script, line, column } = scriptPosition(typeof error.stack === 'string' ? error.stack : '', files);
  const where = line === null ? '' : ` (${script.fileName}:${line}:${column ?? 1})`;
  return `${call} item ${index} became null: ${error.name ?? 'Error'}: ${error.message ?? ''}${where}`;
}
