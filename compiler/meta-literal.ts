// Reads `export const meta = {...}` as data without running anything. meta is shown on the
// approval card before the script runs, so it must be a pure literal: a value that could be
// written as JSON (plus comments, trailing commas and interpolation-free template strings).

import type { AnyNode, Expression, Position, Property, SpreadElement } from 'acorn';

export interface LiteralProblem {
  /** acorn position: 1-based line, 0-based column, in the text that was parsed. */
  loc: Position;
  /** Path of the value that is not a literal, joined with dots like the maps below. */
  path: string;
  message: string;
}

export interface MetaLiteral {
  value: unknown;
  problems: LiteralProblem[];
  /** Where each value sits, keyed by its path (`phases.1.title`; the root is `''`). */
  valueAt: Map<string, Position>;
  /** Where each property's key sits, keyed the same way. */
  keyAt: Map<string, Position>;
}

export function readMetaLiteral(node: Expression): MetaLiteral {
  const out: MetaLiteral = { value: undefined, problems: [], valueAt: new Map(), keyAt: new Map() };
  out.value = read(node, [], out);
  return out;
}

/** `meta.phases[1].title`, the way a user would write it. */
export function metaPath(path: ReadonlyArray<PropertyKey>): string {
  let text = 'meta';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) text += `.${part}`;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text;
}

function read(node: Expression | SpreadElement, path: Array<string | number>, out: MetaLiteral): unknown {
  out.valueAt.set(path.join('.'), start(node));
  switch (node.type) {
    case 'Literal':
      if (node.regex || node.bigint !== undefined) break;
      return node.value;
    case 'TemplateLiteral':
      if (node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? '';
      // Point at the `${`, which is where the first quasi ends.
      problem(out, node.quasis[0]?.loc?.end ?? start(node), 'a template literal with ${} interpolation', path);
      return undefined;
    case 'UnaryExpression':
      // -1 is a number to anyone reading meta, though the grammar calls it an operator.
      if (node.operator === '-' && node.argument.type === 'Literal' && typeof node.argument.value === 'number') {
        return -node.argument.value;
      }
      break;
    case 'ArrayExpression':
      return node.elements.map((element, i) => {
        if (element === null) {
          problem(out, start(node), 'an empty array slot (two commas in a row)', [...path, i]);
          return undefined;
        }
        return read(element, [...path, i], out);
      });
    case 'ObjectExpression':
      return readObject(node.properties, path, out);
  }
  problem(out, start(node), describe(node), path);
  return undefined;
}

function readObject(properties: Array<Property | SpreadElement>, path: Array<string | number>, out: MetaLiteral) {
  const object: Record<string, unknown> = {};
  for (const prop of properties) {
    if (prop.type === 'SpreadElement') {
      problem(out, start(prop), 'a spread (...)', path);
      continue;
    }
    const key = keyName(prop);
    if (key === null) {
      problem(out, start(prop), 'a computed key ([...])', path);
      continue;
    }
    const keyPath = [...path, key];
    if (prop.kind !== 'init' || prop.method) {
      const what = prop.kind === 'get' ? 'a getter' : prop.kind === 'set' ? 'a setter' : 'a method';
      problem(out, start(prop), what, keyPath);
      continue;
    }
    if (prop.shorthand) {
      problem(out, start(prop), `a shorthand property ({ ${key} }) that reads a variable`, keyPath);
      continue;
    }
    out.keyAt.set(keyPath.join('.'), start(prop));
    // defineProperty, so a key named __proto__ is data, not a prototype change.
    Object.defineProperty(object, key, {
      value: read(prop.value as Expression, keyPath, out),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

function keyName(prop: Property): string | null {
  if (prop.computed) return null;
  if (prop.key.type === 'Identifier') return prop.key.name;
  if (prop.key.type === 'Literal') return String(prop.key.value);
  return null;
}

function problem(out: MetaLiteral, loc: Position, found: string, path: Array<string | number>): void {
  out.problems.push({
    loc,
    path: path.join('.'),
    message:
      `meta must be a pure literal: found ${found} in ${metaPath(path)}; write the value itself ` +
      '(a string, number, boolean, null, array or object), since meta is read without running the script',
  });
}

function start(node: AnyNode): Position {
  return node.loc!.start;
}

function describe(node: AnyNode): string {
  switch (node.type) {
    case 'Identifier':
      return node.name === 'undefined' ? 'undefined (leave the key out instead)' : `an identifier (${node.name})`;
    case 'Literal':
      return node.regex ? 'a regular expression' : 'a BigInt';
    case 'CallExpression':
      return 'a function call';
    case 'NewExpression':
      return 'a `new` expression';
    case 'TaggedTemplateExpression':
      return 'a tagged template';
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return 'a function';
    case 'ClassExpression':
      return 'a class';
    case 'MemberExpression':
      return 'a property access';
    case 'BinaryExpression':
    case 'LogicalExpression':
    case 'UnaryExpression':
    case 'UpdateExpression':
    case 'AssignmentExpression':
      return `an expression with the ${node.operator} operator`;
    case 'ConditionalExpression':
      return 'a conditional (?:) expression';
    case 'AwaitExpression':
      return 'an await expression';
    default:
      return `an expression (${node.type})`;
  }
}
