// agent()'s options in the workflow: checked against the one table (contract/agent-options.ts)
// on the JSON the prelude sends; a bad value becomes a TypeError in the script that names the
// option and what it accepts.
import { checkAgentOptions, unknownOptionError, type AgentOptions } from '../contract/agent-options.js';

export type { AgentOptions } from '../contract/agent-options.js';

/** An error the script should see (as `name`), as opposed to an interpreter bug. */
export class ScriptFacingError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Parses and checks the options JSON; throws ScriptFacingError('TypeError') on a bad value.
 * Unknown keys are ignored and listed in `unknown`, unless `refuseUnknown` (runs recorded before
 * they were ignored), when the first one met is the error it always was.
 */
export function parseAgentOptions(json: string, refuseUnknown = () => false): { options: AgentOptions; unknown: string[] } {
  const checked = checkAgentOptions(JSON.parse(json) as Record<string, unknown>);
  const unknown = checked.ok ? checked.unknown : checked.unknownBefore;
  if (unknown.length > 0 && refuseUnknown()) throw new ScriptFacingError('TypeError', unknownOptionError(unknown[0]!));
  if (!checked.ok) throw new ScriptFacingError('TypeError', checked.message);
  return { options: checked.options, unknown };
}

/** The default label: the prompt's first words, short enough for a status line. */
export function defaultLabel(prompt: string): string {
  const words = prompt.trim().split(/\s+/).filter(Boolean);
  let label = words.slice(0, 6).join(' ');
  if (label.length > 60) label = `${label.slice(0, 59)}…`;
  else if (words.length > 6) label += '…';
  return label || '(empty prompt)';
}
