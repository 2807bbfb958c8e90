// The value a dry-run agent resolves to (`baton check --dry-run`): a minimal instance shaped like
// the agent's output schema. Pure and deterministic, so the workflow sandbox can use it.
// Objects carry their required properties, arrays ONE item (so fan-outs over them show),
// strings 'placeholder', numbers 0 (moved into range), booleans true, enums their first value.

type Schema = Record<string, unknown>;

// Deep enough for any realistic output schema; stops self-referencing $refs.
const MAX_DEPTH = 32;

export const PLACEHOLDER_STRING = 'placeholder';

export function placeholderFromSchema(schema: Schema): unknown {
  return fake(schema, schema, 0);
}

/** The text a dry-run agent without a schema resolves to. */
export function placeholderText(label: string): string {
  return `[dry run: ${label}]`;
}

function fake(schema: unknown, root: Schema, depth: number): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  if (typeof schema.$ref === 'string') return fake(resolveRef(schema.$ref, root), root, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const union = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(union) && union.length > 0) {
    const nonNull = union.find((s) => !(isSchema(s) && s.type === 'null'));
    return fake(nonNull ?? union[0], root, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const values = schema.allOf.map((p) => fake(p, root, depth + 1));
    if (values.every(isSchema)) return Object.assign({}, ...values);
    return values[0] ?? null;
  }
  switch (typeOf(schema)) {
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const out: Record<string, unknown> = {};
      for (const name of required) out[name] = name in properties ? fake(properties[name], root, depth + 1) : PLACEHOLDER_STRING;
      return out;
    }
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
      return PLACEHOLDER_STRING;
  }
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(schema: Schema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type as string[]).find((t) => t !== 'null') ?? 'null';
  if (isSchema(schema.properties) || Array.isArray(schema.required)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  return undefined;
}

function resolveRef(ref: string, root: Schema): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return node;
}

function fakeArray(schema: Schema, root: Schema, depth: number): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const count = Math.min(Math.max(typeof schema.minItems === 'number' ? schema.minItems : 0, 1), max);
  const out = prefix.slice(0, count).map((s) => fake(s, root, depth + 1));
  while (out.length < count) out.push(fake(schema.items ?? {}, root, depth + 1));
  return out;
}

function fakeString(schema: Schema): string {
  let s = PLACEHOLDER_STRING;
  if (typeof schema.minLength === 'number') s = s.padEnd(schema.minLength, 'x');
  if (typeof schema.maxLength === 'number') s = s.slice(0, schema.maxLength);
  return s;
}

function fakeNumber(schema: Schema): number {
  const step = schema.type === 'integer' ? 1 : 0.5;
  let n = 0;
  if (typeof schema.minimum === 'number') n = Math.max(n, schema.minimum);
  if (typeof schema.exclusiveMinimum === 'number') n = Math.max(n, schema.exclusiveMinimum + step);
  if (typeof schema.maximum === 'number') n = Math.min(n, schema.maximum);
  if (typeof schema.exclusiveMaximum === 'number') n = Math.min(n, schema.exclusiveMaximum - step);
  return schema.type === 'integer' ? Math.ceil(n) : n;
}
