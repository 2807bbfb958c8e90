// The host side of workflow(nameOrRef, args) (docs/runs.md#saved-workflows-and-schedules): finds and compiles the saved workflow
// on a worker (the resolveScript activity, so the files are read where agents run and the
// result is in the history for replay), then hands its program to the prelude, which runs it
// inline in the same isolate. Sharing the cap, counter, budget and stop comes from that: the
// nested program calls the same host agent() as the run's own script.
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { ScriptActivities } from '../activities/resolve-script.js';
import type { CompiledScript, RunOptions } from '../contract/run-types.js';
import type { ScriptLookup, ScriptRef } from '../contract/scheduled-run.js';
import { PROGRAM_FILE } from './quickjs/script-sandbox.js';
import type { AgentTypes } from './agent-types.js';
import { controlActivities } from './control-activities.js';
import type { ScriptFiles } from './script-error.js';

/** How the activity that loads `shown` runs; its summary names the call in the Temporal UI. */
function loader(shown: string): ScriptActivities {
  // A missing or broken script fails at once (non-retryable); retries cover a worker lost mid-read.
  return controlActivities<ScriptActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 3 },
    summary: `workflow(${shown})`,
  });
}

/** resolveScript's failure types that mean "there is no such workflow". */
const NOT_FOUND_TYPES = new Set(['WorkflowNotFoundError', 'ScriptFileUnavailable']);

type Envelope = { ok: true; value: { id: number; name: string } } | { ok: false; error: { name: string; message: string } };

export class NestedWorkflows {
  private readonly files = new Map<string, CompiledScript>();
  private readonly lookup: ScriptLookup;

  constructor(
    runScript: CompiledScript,
    options: RunOptions,
    private readonly agentTypes?: AgentTypes,
  ) {
    this.files.set(PROGRAM_FILE, runScript);
    this.lookup = options.scriptLookup ?? { cwd: options.workspace, home: null };
  }

  /** Every program the isolate may run, for error positions (script-error.ts). */
  get scriptFiles(): ScriptFiles {
    return this.files;
  }

  /**
   * Resolves the workflow `refJson` names (`{ name }` or `{ scriptPath }`, checked by the
   * prelude). Resolves with `{ ok: true, value: { id, name } }` for `program(id)`, or the error
   * the script's workflow() call throws.
   */
  async load(refJson: string): Promise<string> {
    const ref = JSON.parse(refJson) as ScriptRef;
    const shown = 'name' in ref ? `"${ref.name}"` : `{ scriptPath: "${ref.scriptPath}" }`;
    let envelope: Envelope;
    try {
      const script = await loader(shown).resolveScript({ script: ref, lookup: this.lookup });
      // Its agent types are read before it runs, so its calls keep their order.
      await this.agentTypes?.preloadFor(script.program);
      const id = this.files.size;
      this.files.set(nestedFileName(id), script);
      envelope = { ok: true, value: { id, name: script.meta.name } };
    } catch (error) {
      if (isCancellation(error)) {
        return JSON.stringify({ ok: false, error: { name: 'RunStoppedError', message: `The run was stopped while workflow(${shown}) was loading.` } });
      }
      const cause = error instanceof ActivityFailure ? error.cause : error;
      if (!(cause instanceof ApplicationFailure)) throw error;
      const name = NOT_FOUND_TYPES.has(cause.type ?? '') ? 'WorkflowNotFoundError' : 'Error';
      envelope = { ok: false, error: { name, message: `workflow(${shown}): ${cause.message}` } };
    }
    return JSON.stringify(envelope);
  }

  /** Nested workflow `id`'s compiled script. */
  script(id: number): CompiledScript {
    const script = this.files.get(nestedFileName(id));
    if (!script) throw new Error(`no nested workflow ${id} was loaded`);
    return script;
  }

  /**
   * The code of nested program `id`: a function of the names the nested script must see as its
   * own (its `args`, a `workflow` that refuses a second level, an `agent` that tags its agents)
   * returning the script's async function. The header sits on the program's first line, which
   * holds no user code, so the script's line numbers are unchanged.
   */
  program(id: number): { code: string; fileName: string } {
    const { program } = this.script(id);
    return { code: `(function (args, workflow, agent) { return ${program}\n; })`, fileName: nestedFileName(id) };
  }
}

/** The file name QuickJS gives a nested program's stack frames. */
function nestedFileName(id: number): string {
  return `baton-workflow-${id}.js`;
}
