// A minimal instance valid against a JSON Schema: objects carry their required properties,
// numbers 0 (moved into range), booleans true, enums their first value, unions their first
// non-null branch, local $refs followed. Used by the dry run (placeholder agents) and by the
// test model server (scripted StructuredOutput answers). Pure and deterministic, so the
// workflow sandbox can run it. `pattern` and `multipleOf` are not honoured.

type Schema = Record<string, unknown>;

export interface ValueOptions {
  /** What a string (or an untyped value) becomes. */
  text: string;
  /** Strings for known `format`s (date-time, email...), else `text` is used for them too. */
  formats?: Record<string, string>;
  /** Arrays hold at least one item (capped by maxItems), so a fan-out over them shows. */
  atLeastOneItem?: boolean;
}

// Deep enough for any realistic output schema; stops self-referencing $refs.
const MAX_DEPTH = 32;

export function valueFromSchema(schema: Schema, options: ValueOptions): unknown {
  return fake(schema, { root: schema, options }, 0);
}

interface Context {
  root: Schema;
  options: ValueOptions;
}

function fake(schema: unknown, ctx: Context, depth: number): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  if (typeof schema.$ref === 'string') return fake(resolveRef(schema.$ref, ctx.root), ctx, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const union = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(union) && union.length > 0) {
    const nonNull = union.find((s) => !(isSchema(s) && s.type === 'null'));
    return fake(nonNull ?? union[0], ctx, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const values = schema.allOf.map((part) => fake(part, ctx, depth + 1));
    if (values.every(isSchema)) return Object.assign({}, ...values);
    return values[0] ?? null;
  }
  switch (typeOf(schema)) {
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const out: Record<string, unknown> = {};
      for (const name of required) out[name] = name in properties ? fake(properties[name], ctx, depth + 1) : ctx.options.text;
      return out;
    }
    case 'array':
      return fakeArray(schema, ctx, depth);
    case 'string':
      return fakeString(schema, ctx.options);
    case 'integer':
    case 'number':
      return fakeNumber(schema);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return ctx.options.text;
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

/** Resolves local references: '#', '#/$defs/X', '#/definitions/X' and deeper pointers. */
function resolveRef(ref: string, root: Schema): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return node;
}

function fakeArray(schema: Schema, ctx: Context, depth: number): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const count = ctx.options.atLeastOneItem ? Math.min(Math.max(minItems, 1), maxItems) : minItems;
  const out = prefix.slice(0, count).map((s) => fake(s, ctx, depth + 1));
  while (out.length < count) out.push(fake(schema.items ?? {}, ctx, depth + 1));
  return out;
}

function fakeString(schema: Schema, options: ValueOptions): string {
  let s = (typeof schema.format === 'string' && options.formats?.[schema.format]) || options.text;
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
