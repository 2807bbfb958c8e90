// The value a dry-run agent resolves to (`baton check --dry-run`): a minimal instance shaped like
// the agent's output schema, with ONE item per array (so fan-outs over them show) and strings
// 'placeholder'. Pure and deterministic, so the workflow sandbox can use it.
import { valueFromSchema } from './value-from-schema.js';

export const PLACEHOLDER_STRING = 'placeholder';

export function placeholderFromSchema(schema: Record<string, unknown>): unknown {
  return valueFromSchema(schema, { text: PLACEHOLDER_STRING, atLeastOneItem: true });
}

/** The text a dry-run agent without a schema resolves to. */
export function placeholderText(label: string): string {
  return `[dry run: ${label}]`;
}
