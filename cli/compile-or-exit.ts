import { existsSync } from 'node:fs';
import type { CompiledScript } from '../contract/run-types.js';
import { compileScriptFile, formatDiagnostic } from '../compiler/index.js';
import { CliError, EXIT } from './exit-codes.js';

/** Compiles a script; prints warnings; turns compile errors into exit code 2 with `file:line:col: message` lines. */
export async function compileOrExit(path: string): Promise<CompiledScript> {
  if (!existsSync(path)) throw new CliError(`${path}: no such script file.`, EXIT.usage);
  const result = await compileScriptFile(path);
  for (const warning of result.warnings) process.stderr.write(`${formatDiagnostic(warning)} (warning)\n`);
  if (!result.ok) throw new CliError(result.errors.map(formatDiagnostic).join('\n'), EXIT.usage);
  return result.script;
}
