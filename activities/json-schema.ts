// One JSON Schema validator for the activities: tool inputs and StructuredOutput.
// Draft 2020-12, because that is the dialect the Messages API documents for `input_schema`.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';

const ajv = new Ajv2020({
  allErrors: true,
  // Scripts write schemas by hand; an unknown keyword (`examples`, `x-...`) must not fail the agent.
  strict: false,
});
formatsModule.default(ajv);

// Keyed by the schema's JSON: each activity call receives a fresh copy of the same schema, and
// compiling is far costlier than serialising. Bounded, since a worker lives for weeks.
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 500;

export type Validation = { ok: true; value: unknown } | { ok: false; errors: string };

export type Validator = (value: unknown) => Validation;

/** Compiles (once per distinct schema) a validator; throws when the schema itself is invalid. */
export function compileSchema(schema: Record<string, unknown>): Validator {
  // `$schema` naming another draft would make ajv refuse; validate every schema as 2020-12.
  const { $schema: _ignored, ...rest } = schema;
  const key = JSON.stringify(rest);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(rest);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validate);
  }
  const fn = validate;
  return (value) => (fn(value) ? { ok: true, value } : { ok: false, errors: formatErrors(fn.errors ?? []) });
}

/** `/findings/0/title: must be string`, one line per failing path, for the model to fix. */
export function formatErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => {
      const where = e.instancePath || '/';
      const params = e.params as Record<string, unknown>;
      let detail = '';
      if (e.keyword === 'additionalProperties') detail = ` ('${String(params.additionalProperty)}')`;
      else if (e.keyword === 'enum') detail = `: ${JSON.stringify(params.allowedValues)}`;
      else if (e.keyword === 'const') detail = `: ${JSON.stringify(params.allowedValue)}`;
      return `${where}: ${e.message ?? e.keyword}${detail}`;
    })
    .filter((line, i, all) => all.indexOf(line) === i)
    .join('\n');
}
