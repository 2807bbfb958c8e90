// A shell command as the simple commands it runs, so a permission check can look at each one:
// `npm test && curl evil` must not pass as "a command starting with npm test".
//
// Splitting, outside quotes: `&&`, `||`, `;`, `|`, `|&`, `&` and newlines end a command.
// `$(...)`, `<(...)`, `>(...)` and backticks (also inside double quotes) are commands of their
// own, and the command around them keeps their text. A `( ... )` subshell is replaced by the
// commands inside it. Single quotes are literal, `$'...'` honours backslashes, `\` escapes one
// character (so `\;` or `\>&` is not an operator); `#` at the start of a word starts a
// comment. `2>&1`, `&>`, `>&2` and `>|` are redirections, not separators.
// Anything this does not model (here-documents, `{ ...; }`, `if`/`for`, `$((...))`) yields
// parts no rule but a bare `Bash` matches, so it is refused rather than misread.

/** Thrown internally for unbalanced quotes or parentheses. */
class Unbalanced extends Error {}

/** The simple commands in `command`, trimmed, in order; null when quotes or parentheses do not balance. */
export function commandParts(command: string): string[] | null {
  const parts: string[] = [];
  try {
    splitInto(command, parts);
  } catch (e) {
    if (e instanceof Unbalanced) return null;
    throw e;
  }
  return parts;
}

function splitInto(src: string, parts: string[]): void {
  let current = '';
  // The last character taken from plain text (not quoted or escaped): `\>&` is not a redirection.
  let lastPlain = '';
  // Whether the next character starts a word: only there does `#` start a comment.
  let wordStart = true;
  const take = (text: string, plain = '') => {
    current += text;
    lastPlain = plain;
    wordStart = false;
  };
  const flush = () => {
    const part = current.trim();
    if (part) parts.push(part);
    current = '';
    lastPlain = '';
    wordStart = true;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '\\' && next === '\n') {
      // A line continuation, not a command separator.
      current += ' ';
      lastPlain = '';
      wordStart = true;
      i += 2;
    } else if (c === '\\') {
      take(src.slice(i, i + 2));
      i += 2;
    } else if (c === "'" || (c === '$' && next === "'")) {
      const end = c === '$' ? endOfAnsiQuoted(src, i + 2) : src.indexOf("'", i + 1);
      if (end < 0) throw new Unbalanced();
      take(src.slice(i, end + 1));
      i = end + 1;
    } else if (c === '"') {
      const end = endOfDoubleQuoted(src, i + 1, parts);
      take(src.slice(i, end + 1));
      i = end + 1;
    } else if (c === '`') {
      const end = endOfBackticks(src, i + 1);
      splitInto(src.slice(i + 1, end), parts);
      take(src.slice(i, end + 1));
      i = end + 1;
    } else if ((c === '$' || c === '<' || c === '>') && next === '(') {
      const end = endOfParens(src, i + 2);
      splitInto(src.slice(i + 2, end), parts);
      take(src.slice(i, end + 1));
      i = end + 1;
    } else if (c === '(') {
      const end = endOfParens(src, i + 1);
      splitInto(src.slice(i + 1, end), parts);
      i = end + 1;
    } else if (c === ')') {
      throw new Unbalanced();
    } else if (c === '#' && wordStart) {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
    } else if (c === '\n' || c === ';') {
      flush();
      i++;
    } else if (c === '&' && next !== '&' && (lastPlain === '>' || lastPlain === '<' || next === '>')) {
      take(c, c);
      i++;
    } else if (c === '&') {
      flush();
      i += next === '&' ? 2 : 1;
    } else if (c === '|' && lastPlain === '>') {
      take(c, c);
      i++;
    } else if (c === '|') {
      flush();
      i += next === '|' || next === '&' ? 2 : 1;
    } else if (/\s/.test(c)) {
      current += c;
      lastPlain = c;
      wordStart = true;
      i++;
    } else {
      take(c, c);
      i++;
    }
  }
  flush();
}

/** Index of the `'` closing a `$'...'` string, where backslash escapes a quote; -1 if none. */
function endOfAnsiQuoted(src: string, start: number): number {
  for (let i = start; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === "'") return i;
  }
  return -1;
}

/**
 * Index of the `"` closing a double-quoted string that starts at `start`. Substitutions inside
 * still run, so they are split into `parts` (when given).
 */
function endOfDoubleQuoted(src: string, start: number, parts: string[] | null): number {
  let i = start;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      i += 2;
    } else if (c === '"') {
      return i;
    } else if (c === '`') {
      const end = endOfBackticks(src, i + 1);
      if (parts) splitInto(src.slice(i + 1, end), parts);
      i = end + 1;
    } else if (c === '$' && src[i + 1] === '(') {
      const end = endOfParens(src, i + 2);
      if (parts) splitInto(src.slice(i + 2, end), parts);
      i = end + 1;
    } else {
      i++;
    }
  }
  throw new Unbalanced();
}

function endOfBackticks(src: string, start: number): number {
  for (let i = start; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '`') return i;
  }
  throw new Unbalanced();
}

/** Index of the `)` matching an opening parenthesis just before `start`. */
function endOfParens(src: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      i += 2;
    } else if (c === "'" || (c === '$' && src[i + 1] === "'")) {
      const end = c === '$' ? endOfAnsiQuoted(src, i + 2) : src.indexOf("'", i + 1);
      if (end < 0) throw new Unbalanced();
      i = end + 1;
    } else if (c === '"') {
      i = endOfDoubleQuoted(src, i + 1, null) + 1;
    } else if (c === '`') {
      i = endOfBackticks(src, i + 1) + 1;
    } else {
      if (c === '(') depth++;
      if (c === ')' && --depth === 0) return i;
      i++;
    }
  }
  throw new Unbalanced();
}
