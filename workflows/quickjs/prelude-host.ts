// What the prelude (script-prelude.js) may call on the host, as the interpreter binds it
// (interpreter-workflow.ts, through ScriptSandbox). Only strings, numbers, booleans, null and
// undefined cross; objects travel as JSON text, and a host null arrives as undefined.

/** The JSON text of a host call's answer: its value, or the error the script should see. */
export type HostAnswer = string;

/** A host answer once parsed. */
export type HostOutcome<T = unknown> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };

/** A nested workflow's program, as nested-workflows.ts hands it to the isolate. */
export type NestedProgram = (
  args: unknown,
  workflow: (nameOrRef: unknown) => Promise<never>,
  agent: (prompt: unknown, opts?: unknown) => Promise<unknown>,
) => () => Promise<unknown>;

export interface PreludeHost {
  /** `nestedId` names the nested workflow whose script made the call, else undefined. */
  agent(prompt: string, optionsJson: string, nestedId: number | undefined): Promise<HostAnswer>;
  /** Loads a saved workflow: `{ id, name }` for nestedProgram(id). */
  workflow(refJson: string): Promise<HostAnswer>;
  approve(message: string, optionsJson: string): Promise<HostAnswer>;
  nestedProgram(id: number): NestedProgram;
  phase(title: string): void;
  log(line: string): void;
  /** A throw that parallel() or pipeline() turned into null, for the run's log. */
  nulled(call: string, index: number, errorJson: string): void;
  /** score(): a refusal for the script to throw (too many names), else undefined. */
  score(name: string, value: number | boolean, note: string | null): string | undefined;
  spent(): number;
  budgetTotal(): number | null | undefined;
  /** The script returned: the JSON of its result (undefined for no result). */
  done(json: string | undefined): void;
  /** The script threw: `{ name, message, stack }` as JSON. */
  fail(errorJson: string): void;
}
