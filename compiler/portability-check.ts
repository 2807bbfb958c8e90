// Where a script would not run on Claude Code's workflow runtime (docs/claude-code-differences.md).
// Baton runs all of it; `baton check` warns, so a script meant for both runtimes is kept portable.
// Warnings only: nothing here stops a run, and the approval card does not repeat them.
import { full } from 'acorn-walk';
import { parse, type Node, type Options, type Position, type Program } from 'acorn';
import type { Problem, SourcePosition } from './source-position.js';
import { loaderFor } from './transpile.js';

const REFUSED = 'its scripts must be deterministic, for resume';

/**
 * `ast` is esbuild's output (so `locate` maps back to the user's file); `text` is the user's own,
 * parsed again as plain JavaScript to find the first TypeScript syntax of a .ts file.
 */
export function portabilityWarnings(fileName: string, text: string, acorn: Options, ast: Program, locate: (loc: Position) => SourcePosition | null): Problem[] {
  const warnings: Problem[] = [];
  const warn = (node: Node, message: string) => {
    const at = node.loc && locate(node.loc.start);
    if (at) warnings.push({ at, message: `not portable to Claude Code: ${message}` });
  };
  full(ast, (node) => {
    if (node.type === 'MemberExpression' && !node.computed && node.object.type === 'Identifier' && node.property.type === 'Identifier') {
      const name = `${node.object.name}.${node.property.name}`;
      if (name === 'Date.now') warn(node, `Claude Code refuses Date.now() (${REFUSED}); on Baton it is the run's replay-safe clock`);
      if (name === 'Math.random') warn(node, `Claude Code refuses Math.random() (${REFUSED}); on Baton it is seeded per run`);
    }
    if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'Date' && node.arguments.length === 0) {
      warn(node, `Claude Code refuses new Date() without an argument (${REFUSED}); new Date(ms) runs on both`);
    }
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'approve') {
      warn(node, "approve() is Baton's own; Claude Code has no approve()");
    }
  });
  const typeScript = loaderFor(fileName) === 'ts' ? firstTypeScript(text, acorn) : null;
  if (typeScript) {
    warnings.push({
      at: typeScript,
      message: 'not portable to Claude Code: TypeScript syntax; Claude Code runs plain JavaScript only (Baton strips the types)',
    });
  }
  return warnings;
}

/** Where plain JavaScript stops parsing a .ts file: its first TypeScript syntax, or null when it has none. */
function firstTypeScript(text: string, acorn: Options): SourcePosition | null {
  try {
    parse(text, { ...acorn, locations: true });
    return null;
  } catch (error) {
    const loc = (error as { loc?: Position }).loc;
    return loc ? { line: loc.line, column: loc.column + 1 } : { line: 1, column: 1 };
  }
}
