import { describe, expect, it } from 'vitest';
import { InvalidSchema } from '../../activities/agent-errors.js';
import { structuredOutputFor } from '../../activities/structured-output.js';

const findings = {
  type: 'object',
  properties: {
    summary: { type: 'string' },
    findings: {
      type: 'array',
      items: { type: 'object', properties: { title: { type: 'string' }, line: { type: 'integer' } }, required: ['title'] },
    },
    severity: { enum: ['low', 'high'] },
    url: { type: 'string', format: 'uri' },
  },
  required: ['summary', 'findings'],
  additionalProperties: false,
};

describe('structured output', () => {
  const output = structuredOutputFor(findings);

  it('sends an object schema unchanged as the tool input schema', () => {
    expect(output.tool.name).toBe('StructuredOutput');
    expect(output.tool.input_schema).toEqual(findings);
  });

  describe.each([
    ['a complete answer', { summary: 's', findings: [{ title: 't', line: 3 }] }],
    ['an empty list', { summary: 's', findings: [], severity: 'low' }],
    ['a valid format', { summary: 's', findings: [], url: 'https://example.com/x' }],
  ])('accepts %s', (_name, input) => {
    it('returning it as the value', () => {
      expect(output.check(input)).toEqual({ ok: true, value: input });
    });
  });

  describe.each([
    ['a wrong nested type', { summary: 's', findings: [{ title: 3 }] }, ['/findings/0/title: must be string']],
    ['a missing field', { findings: [] }, ["/: must have required property 'summary'"]],
    [
      'several problems at once',
      { summary: 1, findings: [{}], extra: true },
      ["/: must NOT have additional properties ('extra')", '/summary: must be string', "/findings/0: must have required property 'title'"],
    ],
    ['a value outside an enum', { summary: 's', findings: [], severity: 'mid' }, ['/severity: must be equal to one of the allowed values: ["low","high"]']],
    ['a bad format', { summary: 's', findings: [], url: 'not a url' }, ['/url: must match format "uri"']],
    ['a non-object', 'just text', ['/: must be object']],
  ])('rejects %s', (_name, input, errors) => {
    it('naming each failing path', () => {
      const result = output.check(input);
      expect(result.ok).toBe(false);
      for (const error of errors) expect(result.ok ? '' : result.errors.split('\n')).toContain(error);
    });
  });

  describe.each([
    ['an array', { type: 'array', items: { type: 'string' } }, ['a', 'b'], [1]],
    ['a string', { type: 'string' }, 'hello', 5],
    ['a schema with $defs', { type: 'array', items: { $ref: '#/$defs/item' }, $defs: { item: { type: 'integer' } } }, [1, 2], ['x']],
  ])('wraps %s in an object', (_name, schema, good, bad) => {
    const wrapped = structuredOutputFor(schema);
    it('as {value}', () => {
      expect(wrapped.tool.input_schema).toMatchObject({ type: 'object', required: ['value'] });
    });
    it('and unwraps the valid value', () => {
      expect(wrapped.check({ value: good })).toEqual({ ok: true, value: good });
    });
    it('and rejects an invalid one', () => {
      expect(wrapped.check({ value: bad }).ok).toBe(false);
    });
  });

  it('accepts a schema that names another draft', () => {
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { a: { type: 'number' } } };
    expect(structuredOutputFor(schema).check({ a: 1 }).ok).toBe(true);
  });

  it('fails with InvalidSchema for a schema that cannot compile', () => {
    expect(() => structuredOutputFor({ type: 'object', properties: { a: { type: 'nonsense' } } })).toThrow(InvalidSchema);
  });
});
