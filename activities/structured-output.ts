// `agent({ schema })`: the agent answers by calling a StructuredOutput tool whose input schema
// is the script's schema. A tool call rather than prose, because tool inputs are JSON the model
// is trained to shape to a schema, and a mismatch can be sent back for a retry.
import type Anthropic from '@anthropic-ai/sdk';
import { InvalidSchema, SchemaValidationFailed } from './agent-errors.js';
import { compileSchema, type Validation } from './json-schema.js';
import { MAX_STRUCTURED_OUTPUT_ATTEMPTS } from '../contract/agent-options.js';

export { MAX_STRUCTURED_OUTPUT_ATTEMPTS };

export const STRUCTURED_OUTPUT_TOOL = 'StructuredOutput';

export interface StructuredOutput {
  tool: Anthropic.Tool;
  /** Appended to the user's prompt, so the shared system prompt stays one cache prefix. */
  instructions: string;
  /** The tool call's input checked against the schema, unwrapped to what the script asked for. */
  check(input: unknown): Validation;
  /** Counts a failed attempt; throws SchemaValidationFailed once they are used up. */
  recordFailure(error: string): void;
  /** Failed attempts so far, for a checkpoint. */
  readonly failures: number;
  /** The is_error tool_result text for an answer that failed `check`. */
  retryMessage(errors: string): string;
  /** The user turn sent when the model ended its turn in prose. */
  reminder: string;
}

/** One per agent run: it counts that agent's failed attempts, starting from `failedBefore` when resumed. */
export function structuredOutputFor(schema: Record<string, unknown>, failedBefore = 0): StructuredOutput {
  // Tool inputs are always JSON objects: a schema for an array or a string travels as `value`.
  const wrapped = schema.type !== 'object';
  const inputSchema = wrapped ? wrapInObject(schema) : schema;
  let validate;
  try {
    validate = compileSchema(inputSchema);
  } catch (e) {
    throw new InvalidSchema(`The schema given to agent() is not a valid JSON Schema: ${(e as Error).message}`);
  }
  let failures = failedBefore;
  return {
    tool: {
      name: STRUCTURED_OUTPUT_TOOL,
      description:
        'Use this tool to return your final response in the requested structured format. ' +
        'You MUST call this tool exactly once, at the end, once your work is done; its input is your answer. ' +
        'If the input does not match the schema you will be told what to fix and must call it again.',
      input_schema: inputSchema as Anthropic.Tool.InputSchema,
    },
    instructions:
      `When you have finished, call the ${STRUCTURED_OUTPUT_TOOL} tool with your final answer as its input ` +
      "(it must match the tool's input schema). Your answer is that tool call, not a text message.",
    get failures() {
      return failures;
    },
    check(input) {
      const result = validate(input);
      if (!result.ok || !wrapped) return result;
      return { ok: true, value: (input as { value: unknown }).value };
    },
    recordFailure(error) {
      failures++;
      if (failures < MAX_STRUCTURED_OUTPUT_ATTEMPTS) return;
      throw new SchemaValidationFailed(
        `The agent's answer did not match the schema after ${failures} attempts. Last error:\n${error}\n` +
          'Simplify the schema or make the prompt say what each field must hold.',
      );
    },
    retryMessage: (errors) =>
      `The input does not match the schema:\n${errors}\n` +
      `Call ${STRUCTURED_OUTPUT_TOOL} again with corrected input (attempt ${failures + 1} of ${MAX_STRUCTURED_OUTPUT_ATTEMPTS}).`,
    reminder: `You have not called the ${STRUCTURED_OUTPUT_TOOL} tool. Call it now with your final answer; its input must match the tool's input schema.`,
  };
}

function wrapInObject(schema: Record<string, unknown>): Record<string, unknown> {
  // `#/$defs/...` references resolve against the root, so the definitions move up with it.
  const { $defs, definitions, $schema: _ignored, ...value } = schema;
  return {
    type: 'object',
    properties: { value },
    required: ['value'],
    additionalProperties: false,
    ...($defs === undefined ? {} : { $defs }),
    ...(definitions === undefined ? {} : { definitions }),
  };
}
