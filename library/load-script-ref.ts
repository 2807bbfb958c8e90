// A script named by a ScriptRef (a saved-workflow name or a file path), read and compiled now:
// what a schedule's launcher does at each firing, so an edited file changes the next run.
import { isAbsolute } from 'node:path';
import { assertCompiled, compileScriptFile } from '../compiler/index.js';
import type { CompiledScript } from '../contract/run-types.js';
import type { ScriptLookup, ScriptRef } from '../contract/scheduled-run.js';
import { requireSavedWorkflow } from './saved-workflows.js';
import type { WorkflowPlaces } from './workflow-places.js';

/** Thrown when a ScriptRef's file path is not absolute or cannot be read. */
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
 * Compiles the script `ref` names. Throws SavedWorkflowNotFound for an unknown name,
 * ScriptFileUnavailable for a file it cannot read, CompileError for a script that does not compile.
 */
export async function loadScriptRef(ref: ScriptRef, places: WorkflowPlaces): Promise<CompiledScript> {
  const path = 'name' in ref ? requireSavedWorkflow(ref.name, places).path : ref.scriptPath;
  if (!isAbsolute(path)) throw new ScriptFileUnavailable(`${path}: a scheduled script path must be absolute.`, path);
  let compiled;
  try {
    compiled = await compileScriptFile(path);
  } catch (error) {
    throw new ScriptFileUnavailable(`${path}: cannot read the script (${(error as Error).message}).`, path);
  }
  return assertCompiled(compiled);
}
