// What agent() hands back to the script (script-prelude.js): the value it resolves to, or the
// error it throws, as JSON the prelude decodes.
import type { ScriptFacingError } from './agent-options.js';

export type CallEnvelope = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

/** The call throws `error` in the script. */
export function failure(error: ScriptFacingError): CallEnvelope {
  return { ok: false, error: { name: error.name, message: error.message } };
}
