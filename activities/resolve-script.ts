// The `resolveScript` activity: reads and compiles a saved workflow (or a script file) on the
// worker, at the moment a schedule fires, so an edited file changes the next run. The worker
// must see the same files as the user who created the schedule, as it must for agents.
import { ApplicationFailure } from '@temporalio/common';
import { CompileError } from '../compiler/index.js';
import type { CompiledScript } from '../contract/run-types.js';
import type { ResolveScriptRequest } from '../contract/scheduled-run.js';
import { loadScriptRef, placesOf, ScriptFileUnavailable } from '../library/load-script-ref.js';
import { SavedWorkflowNotFound } from '../library/saved-workflows.js';
import { ensureError } from './agent-errors.js';

export interface ScriptActivities {
  resolveScript(request: ResolveScriptRequest): Promise<CompiledScript>;
}

/** `builtinDir` overrides where the built-in workflows are (tests). */
export function createScriptActivities(options: { builtinDir?: string } = {}): ScriptActivities {
  return {
    async resolveScript(request: ResolveScriptRequest): Promise<CompiledScript> {
      try {
        return await loadScriptRef(request.script, placesOf(request.lookup, options.builtinDir));
      } catch (e) {
        const error = ensureError(e);
        // Retrying cannot find a missing file or fix a script; the next firing looks again.
        if (error instanceof SavedWorkflowNotFound || error instanceof ScriptFileUnavailable || error instanceof CompileError) {
          throw ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true });
        }
        throw error;
      }
    },
  };
}
