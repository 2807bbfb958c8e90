import type { CompiledScript } from '../contract/run-types.js';
import { compileScriptFile, formatDiagnostic } from '../compiler/index.js';
import type { WorkflowPlaces } from '../library/workflow-places.js';
import { CliError, EXIT } from './exit-codes.js';
import { resolveScriptArgument, workflowPlacesHere } from './script-argument.js';

/**
 * Compiles a script file, or the saved workflow `pathOrName` names (an existing file wins);
 * prints warnings (with `portability`, also where it would not run on Claude Code); turns compile
 * errors into exit code 2 with `file:line:col: message` lines.
 */
export async function compileOrExit(
  pathOrName: string,
  places: WorkflowPlaces = workflowPlacesHere(),
  { portability = false }: { portability?: boolean } = {},
): Promise<CompiledScript> {
  const { path, origin } = resolveScriptArgument(pathOrName, places);
  if (origin !== null) process.stderr.write(`${pathOrName}: the ${origin} workflow ${path}\n`);
  const result = await compileScriptFile(path);
  for (const warning of result.warnings) process.stderr.write(`${formatDiagnostic(warning)} (warning)\n`);
  if (!result.ok) throw new CliError(result.errors.map(formatDiagnostic).join('\n'), EXIT.usage);
  if (portability) for (const warning of result.portability) process.stderr.write(`${formatDiagnostic(warning)} (warning)\n`);
  return result.script;
}
