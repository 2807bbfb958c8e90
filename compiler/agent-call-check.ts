// agent() calls whose options Baton can read from the text: a key it does not know is ignored
// at run time (as Claude Code ignores it), so `baton check` and the approval card say so first.
import { full } from 'acorn-walk';
import type { Position, Program, Property, SpreadElement } from 'acorn';
import { isAgentOptionName, unknownOptionWarning } from '../contract/agent-options.js';
import { FILE_START, type Problem, type SourcePosition } from './source-position.js';

export function agentOptionWarnings(ast: Program, locate: (loc: Position) => SourcePosition | null): Problem[] {
  const warnings: Problem[] = [];
  full(ast, (node) => {
    if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'agent') return;
    const options = node.arguments[1];
    if (options?.type !== 'ObjectExpression') return;
    for (const property of options.properties as Array<Property | SpreadElement>) {
      if (property.type !== 'Property' || property.computed) continue;
      const key = keyName(property);
      if (key === null || isAgentOptionName(key)) continue;
      warnings.push({ at: locate(property.key.loc!.start) ?? FILE_START, message: unknownOptionWarning(key) });
    }
  });
  return warnings;
}

function keyName(property: Property): string | null {
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'Literal' && typeof property.key.value === 'string') return property.key.value;
  return null;
}
