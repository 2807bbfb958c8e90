import { describe, expect, it } from 'vitest';
import { fakeFromSchema } from '../model-server/index.js';

const cases: Array<[string, Record<string, unknown>, unknown]> = [
  ['string', { type: 'string' }, 'example'],
  ['string with minLength', { type: 'string', minLength: 10 }, 'examplexxx'],
  ['date-time string', { type: 'string', format: 'date-time' }, '2024-01-01T00:00:00Z'],
  ['number', { type: 'number' }, 0],
  ['integer with minimum', { type: 'integer', minimum: 3 }, 3],
  ['integer with exclusiveMinimum', { type: 'integer', exclusiveMinimum: 0 }, 1],
  ['boolean', { type: 'boolean' }, true],
  ['enum', { enum: ['low', 'high'] }, 'low'],
  ['const', { const: 'fixed' }, 'fixed'],
  ['nullable type list', { type: ['null', 'string'] }, 'example'],
  ['anyOf prefers a non-null branch', { anyOf: [{ type: 'null' }, { type: 'integer' }] }, 0],
  ['array is empty by default', { type: 'array', items: { type: 'string' } }, []],
  ['array honours minItems', { type: 'array', items: { type: 'boolean' }, minItems: 2 }, [true, true]],
  [
    'object keeps only required properties',
    {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'object', properties: { d: { enum: [7] } }, required: ['d'] } },
      required: ['a', 'c'],
    },
    { a: 'example', c: { d: 7 } },
  ],
  [
    'allOf merges objects',
    { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { required: ['b'] }] },
    { a: 'example', b: 'example' },
  ],
  [
    '$ref into $defs',
    {
      type: 'object',
      properties: { item: { $ref: '#/$defs/Item' } },
      required: ['item'],
      $defs: { Item: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
    },
    { item: { n: 0 } },
  ],
];

describe('fakeFromSchema', () => {
  it.each(cases)('%s', (_name, schema, expected) => {
    expect(fakeFromSchema(schema)).toEqual(expected);
  });

  it('stops on a self-referencing schema', () => {
    const schema = { type: 'object', properties: { next: { $ref: '#' } }, required: ['next'] };
    expect(() => fakeFromSchema(schema)).not.toThrow();
  });
});
