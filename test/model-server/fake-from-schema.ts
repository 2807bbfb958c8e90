import { valueFromSchema } from '../../contract/value-from-schema.js';
import type { JsonSchema } from './wire-types.js';

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
 * (at least one with `nonEmptyArrays`), strings 'example' (or a value of their format),
 * numbers 0 (moved into range), booleans true, enums their first value.
 */
export function fakeFromSchema(schema: JsonSchema, options: { nonEmptyArrays?: boolean } = {}): unknown {
  return valueFromSchema(schema, { text: 'example', formats: STRING_FORMATS, atLeastOneItem: options.nonEmptyArrays ?? false });
}
