// A script named by a ScriptRef (a saved-workflow name or a file path), read and compiled now:
// what a schedule's launcher does at each firing (so an edited file changes the next run) and
// what a nested `workflow()` call does.
import { resolve } from 'node:path';
import { assertCompiled, compileScriptFile } from '../compiler/index.js';
import type { CompiledScript } from '../contract/run-types.js';
import type { ScriptLookup, ScriptRef } from '../contract/scheduled-run.js';
import { requireSavedWorkflow, SCRIPT_EXTENSIONS } from './saved-workflows.js';
import type { WorkflowPlaces } from './workflow-places.js';

/** Thrown when a ScriptRef's file cannot be read. */
export class ScriptFileUnavailable extends Error {
  override name = 'ScriptFileUnavailable';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export function placesOf(lookup: ScriptLookup, builtinDir?: string): WorkflowPlaces {
  return { cwd: lookup.cwd, home: lookup.home ?? undefined, ...(builtinDir ? { builtinDir } : {}) };
}

/**
 * Compiles the script `ref` names; a relative path is taken from `places.cwd`, as the CLI takes
 * it from where it was started. Throws SavedWorkflowNotFound for an unknown name,
 * ScriptFileUnavailable for a file it cannot read, CompileError for a script that does not compile.
 */
export async function loadScriptRef(ref: ScriptRef, places: WorkflowPlaces): Promise<CompiledScript> {
  const path = 'name' in ref ? requireSavedWorkflow(ref.name, places).path : resolve(places.cwd, ref.scriptPath);
  // A script's workflow({ scriptPath }) names the path: reading only script files keeps it from
  // probing other files on the worker through compile errors.
  if (!SCRIPT_EXTENSIONS.some((extension) => path.endsWith(extension))) {
    throw new ScriptFileUnavailable(`${path}: not a script file (a workflow script ends with ${SCRIPT_EXTENSIONS.join(' or ')}).`, path);
  }
  let compiled;
  try {
    compiled = await compileScriptFile(path);
  } catch (error) {
    throw new ScriptFileUnavailable(`${path}: cannot read the script (${(error as Error).message}).`, path);
  }
  return assertCompiled(compiled);
}
