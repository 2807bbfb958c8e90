// Globals a script gets beyond Baton's own prelude, as Claude Code's runtime has them: timers and
// Intl (docs/script-language.md, Timers and Intl). Each is behind a patch: a run recorded before it existed saw
// neither (`setTimeout` was not defined, `toLocaleString` gave plain digits), so it replays so.
import { patched } from '@temporalio/workflow';
import type { RunInput } from '../contract/run-types.js';
import { collationTable, INTL_INSTALLER, intlPart } from './script-intl.js';
import type { SandboxBindings, SandboxProgram } from './quickjs/script-sandbox.js';
import { ScriptTimers } from './script-timers-host.js';
import { TIMERS_INSTALLER } from './script-timers.js';
import { SCRIPT_INTL_PATCH, SCRIPT_TIMERS_PATCH } from './patches.js';

export interface RuntimeExtras extends SandboxBindings {
  installers: NonNullable<SandboxProgram['installers']>;
  /** Null in a run from before timers existed. */
  timers: ScriptTimers | null;
}

export function runtimeExtras(input: RunInput, stopRequested: () => boolean): RuntimeExtras {
  const extras: RuntimeExtras = { sync: {}, async: {}, programs: {}, installers: [], timers: null };
  if (patched(SCRIPT_INTL_PATCH)) {
    extras.installers.push({ code: INTL_INSTALLER, fileName: 'baton-intl.js' });
    extras.sync.collationTable = collationTable;
    extras.programs = { intlPart: (name) => intlPart(String(name)) };
  }
  if (patched(SCRIPT_TIMERS_PATCH)) {
    const timers = new ScriptTimers(stopRequested, input.carry?.timers);
    extras.timers = timers;
    extras.installers.push({ code: TIMERS_INSTALLER, fileName: 'baton-timers.js' });
    extras.async.timerStart = (id, ms) => timers.start(Number(id), Number(ms));
    extras.sync.timerClear = (id) => timers.clear(Number(id));
  }
  return extras;
}
