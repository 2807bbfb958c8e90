// `baton run SCRIPT_OR_NAME`: an existing file wins; else a saved workflow of that name
// (docs/runs.md#saved-workflows-and-schedules); else an error that says where Baton looked.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { ScriptLookup, ScriptRef } from '../contract/scheduled-run.js';
import { findSavedWorkflow, looksLikeWorkflowName, placesLookedIn } from '../library/saved-workflows.js';
import type { WorkflowOrigin, WorkflowPlaces } from '../library/workflow-places.js';
import { CliError, EXIT } from './exit-codes.js';

/** Where saved workflows are looked up from this process: its working directory and $HOME. */
export function workflowPlacesHere(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): WorkflowPlaces {
  return { cwd, home: env.HOME || homedir() };
}

export function scriptLookupOf(places: WorkflowPlaces): ScriptLookup {
  return { cwd: resolve(places.cwd), home: places.home ?? null };
}

export interface ResolvedScriptArgument {
  /** The file to compile. */
  path: string;
  /** How to find it again later: by name when it is a saved workflow, else by absolute path. */
  ref: ScriptRef;
  /** Where a saved workflow came from; null for a file path. */
  origin: WorkflowOrigin | null;
}

export function resolveScriptArgument(arg: string, places: WorkflowPlaces): ResolvedScriptArgument {
  const absolute = resolve(places.cwd, arg);
  // Messages name the file as the user typed it, when that names the same file from here.
  if (existsSync(absolute)) return { path: resolve(arg) === absolute ? arg : absolute, ref: { scriptPath: absolute }, origin: null };
  if (!looksLikeWorkflowName(arg)) throw new CliError(`${arg}: no such script file.`, EXIT.usage);
  const saved = findSavedWorkflow(arg, places);
  if (saved) return { path: saved.path, ref: { name: arg }, origin: saved.origin };
  throw new CliError(
    `${arg}: no such script file, and no saved workflow by that name. Looked in:\n` +
      `${placesLookedIn(places, arg)
        .map((place) => `  ${place}`)
        .join('\n')}\n` +
      `Run 'baton workflows' to list the saved workflows.`,
    EXIT.usage,
  );
}
