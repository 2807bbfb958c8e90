// `args` given as a string that holds JSON (Claude Code issue #86156): the script gets the string,
// and `for (const x of args)` walks it character by character without a word. Not an error, since
// a script may want a string, but the approval card says so before anything runs.

/** The warning for `args`, or null when they are not a string holding a JSON object or array. */
export function argsWarning(args: unknown): string | null {
  if (typeof args !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const kind = Array.isArray(parsed) ? 'an array' : 'an object';
  return `args is a string holding JSON (${kind}): the script gets the string, not ${kind}, and iterating it goes character by character. Pass ${kind} itself.`;
}
