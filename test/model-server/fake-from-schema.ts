import type { JsonSchema } from './wire-types.js';

// Deep enough for any realistic output schema; stops self-referencing $refs.
const MAX_DEPTH = 32;

const STRING_FORMATS: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00Z',
  email: 'user@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/**
 * A minimal instance valid against `schema`, for a scripted model that must answer a
 * StructuredOutput tool: objects carry only required properties, arrays hold minItems items
 * (usually none), strings are 'example', numbers 0 (moved into range), booleans true, enums
 * their first value. `pattern` and `multipleOf` are not honoured.
 */
export function fakeFromSchema(schema: JsonSchema, options: { nonEmptyArrays?: boolean } = {}): unknown {
  const root = options.nonEmptyArrays ? (withOneItemArrays(schema) as JsonSchema) : schema;
  return fake(root, root, 0);
}

/** The schema with `minItems: 1` on every array that sets no minimum, so fakes show some data. */
function withOneItemArrays(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withOneItemArrays);
  if (!isSchema(node)) return node;
  const copy: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) copy[key] = withOneItemArrays(value);
  if (typeOf(copy) === 'array' && copy.minItems === undefined && copy.maxItems !== 0) copy.minItems = 1;
  return copy;
}

function fake(schema: unknown, root: JsonSchema, depth: number): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  if (typeof schema.$ref === 'string') return fake(resolveRef(schema.$ref, root), root, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const union = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(union) && union.length > 0) {
    const nonNull = union.find((s) => !(isSchema(s) && s.type === 'null'));
    return fake(nonNull ?? union[0], root, depth + 1);
  }
  if (Array.isArray(schema.allOf)) return fakeAllOf(schema.allOf, root, depth);

  switch (typeOf(schema)) {
    case 'object':
      return fakeObject(schema, root, depth);
    case 'array':
      return fakeArray(schema, root, depth);
    case 'string':
      return fakeString(schema);
    case 'integer':
    case 'number':
      return fakeNumber(schema);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'example';
  }
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(schema: JsonSchema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') ?? 'null';
  if (isSchema(schema.properties) || Array.isArray(schema.required)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  return undefined;
}

/** Resolves local references: '#', '#/$defs/X', '#/definitions/X' and deeper pointers. */
function resolveRef(ref: string, root: JsonSchema): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return node;
}

function fakeAllOf(parts: unknown[], root: JsonSchema, depth: number): unknown {
  const values = parts.map((p) => fake(p, root, depth + 1));
  if (values.every(isSchema)) return Object.assign({}, ...values);
  return values[0] ?? null;
}

function fakeObject(schema: JsonSchema, root: JsonSchema, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const out: Record<string, unknown> = {};
  for (const name of required) {
    out[name] = name in properties ? fake(properties[name], root, depth + 1) : 'example';
  }
  return out;
}

function fakeArray(schema: JsonSchema, root: JsonSchema, depth: number): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const out = prefix.slice(0, Math.max(minItems, 0)).map((s) => fake(s, root, depth + 1));
  while (out.length < minItems) out.push(fake(schema.items ?? {}, root, depth + 1));
  return out;
}

function fakeString(schema: JsonSchema): string {
  let s = (typeof schema.format === 'string' && STRING_FORMATS[schema.format]) || 'example';
  if (typeof schema.minLength === 'number') s = s.padEnd(schema.minLength, 'x');
  if (typeof schema.maxLength === 'number') s = s.slice(0, schema.maxLength);
  return s;
}

function fakeNumber(schema: JsonSchema): number {
  const step = schema.type === 'integer' ? 1 : 0.5;
  let n = 0;
  if (typeof schema.minimum === 'number') n = Math.max(n, schema.minimum);
  if (typeof schema.exclusiveMinimum === 'number') n = Math.max(n, schema.exclusiveMinimum + step);
  if (typeof schema.maximum === 'number') n = Math.min(n, schema.maximum);
  if (typeof schema.exclusiveMaximum === 'number') n = Math.min(n, schema.exclusiveMaximum - step);
  return schema.type === 'integer' ? Math.ceil(n) : n;
}
