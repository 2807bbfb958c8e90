// A schema no value can satisfy, in the way scripts write them by hand: a required key that the
// same object's `additionalProperties: false` rules out (it is in neither `properties` nor
// `patternProperties`). The model could only fail at it, after spending every retry, so agent()
// refuses the call before any token (docs/script-language.md#agent-options). Pure, for the workflow sandbox.

/** The first contradiction in `schema`, as `path: what`, or null when none is found. */
export function schemaContradiction(schema: unknown, path = 'schema'): string | null {
  if (schema === null || typeof schema !== 'object') return null;
  if (Array.isArray(schema)) {
    for (let i = 0; i < schema.length; i++) {
      const found = schemaContradiction(schema[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  const node = schema as Record<string, unknown>;
  if (node.additionalProperties === false && Array.isArray(node.required)) {
    const properties = isRecord(node.properties) ? node.properties : {};
    const patterns = isRecord(node.patternProperties) ? Object.keys(node.patternProperties) : [];
    for (const key of node.required) {
      if (typeof key !== 'string' || Object.hasOwn(properties, key)) continue;
      if (patterns.some((pattern) => matches(pattern, key))) continue;
      return `${path}: "${key}" is required, but additionalProperties: false allows only ${
        Object.keys(properties)
          .map((k) => `"${k}"`)
          .join(', ') || 'no keys'
      }; add "${key}" to properties or drop it from required`;
    }
  }
  for (const [key, value] of Object.entries(node)) {
    // `const`, `enum`, `default` and `examples` hold data, not schemas.
    if (key === 'const' || key === 'enum' || key === 'default' || key === 'examples') continue;
    const found = schemaContradiction(value, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function matches(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    // A pattern we cannot read might match: no contradiction is claimed.
    return true;
  }
}
