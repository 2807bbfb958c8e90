import {
  fail,
  isObject,
  join,
  optionalBoolean,
  optionalCacheControl,
  optionalNumberInRange,
  rejectExtraFields,
  requireArray,
  requireObject,
  requireString,
} from './field-checks.js';
import { blocksOf } from './inspect-request.js';
import { countBreakpoints, promptBlocks } from './prompt-blocks.js';
import { validateMessages } from './validate-messages.js';
import { validateTools } from './validate-tools.js';
import type { MessagesRequestBody } from './wire-types.js';

// Body fields of POST /v1/messages in @anthropic-ai/sdk 1.x, standard and beta, plus the
// sampling parameters older models accept. Anything else is rejected, as the API does.
const TOP_LEVEL_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'stream',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'thinking',
  'metadata',
  'cache_control',
  'output_config',
  'output_format',
  'service_tier',
  'speed',
  'inference_geo',
  'container',
  'diagnostics',
  'mcp_servers',
  'context_management',
]);
const MAX_BREAKPOINTS = 4;

/** Checks a parsed POST /v1/messages body; throws InvalidRequestError naming the bad field. */
export function validateRequest(value: unknown): MessagesRequestBody {
  const body = requireObject(value, '');
  rejectExtraFields(body, TOP_LEVEL_FIELDS, '');

  if (requireString(body.model, 'model') === '') fail('model', 'String should have at least 1 character');
  validateMaxTokens(body.max_tokens);
  validateMessages(body.messages);
  validateSystem(body.system);
  validateTools(body.tools, body.tool_choice);
  requireToolsForToolBlocks(body);

  optionalBoolean(body.stream, 'stream');
  if (body.stop_sequences !== undefined) {
    requireArray(body.stop_sequences, 'stop_sequences').forEach((s, i) => requireString(s, `stop_sequences.${i}`));
  }
  optionalNumberInRange(body.temperature, 'temperature', 0, 1);
  optionalNumberInRange(body.top_p, 'top_p', 0, 1);
  if (body.top_k !== undefined && !(Number.isInteger(body.top_k) && (body.top_k as number) >= 0)) {
    fail('top_k', 'Input should be a non-negative integer');
  }
  validateMetadata(body.metadata);
  if (body.service_tier !== undefined && body.service_tier !== 'auto' && body.service_tier !== 'standard_only') {
    fail('service_tier', "Input should be 'auto' or 'standard_only'");
  }
  validateThinking(body);
  validateOutputConfig(body.output_config);
  optionalCacheControl(body.cache_control, 'cache_control');

  const request = body as unknown as MessagesRequestBody;
  validateBreakpoints(request);
  return request;
}

function validateMaxTokens(value: unknown): void {
  if (value === undefined) fail('max_tokens', 'Field required');
  if (typeof value !== 'number' || !Number.isInteger(value)) fail('max_tokens', 'Input should be a valid integer');
  if (value < 1) fail('max_tokens', 'Input should be greater than or equal to 1');
}

function validateSystem(value: unknown): void {
  if (value === undefined || typeof value === 'string') return;
  requireArray(value, 'system').forEach((v, i) => {
    const path = `system.${i}`;
    const block = requireObject(v, path);
    if (block.type !== 'text') fail(join(path, 'type'), "Input should be 'text'");
    rejectExtraFields(block, new Set(['type', 'text', 'cache_control', 'citations']), path);
    const text = requireString(block.text, join(path, 'text'));
    if (text === '') fail('system', 'text content blocks must be non-empty');
    optionalCacheControl(block.cache_control, join(path, 'cache_control'));
  });
}

/** A conversation with tool calls in it cannot be sent without the tool definitions. */
function requireToolsForToolBlocks(body: Record<string, unknown>): void {
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  if (hasTools) return;
  const messages = body.messages as MessagesRequestBody['messages'];
  const usesTools = messages.some((m) => blocksOf(m.content).some((b) => b.type === 'tool_use' || b.type === 'tool_result'));
  if (usesTools) fail('', 'Requests which include `tool_use` or `tool_result` blocks must define tools.');
}

function validateMetadata(value: unknown): void {
  if (value === undefined) return;
  const metadata = requireObject(value, 'metadata');
  rejectExtraFields(metadata, new Set(['user_id']), 'metadata');
  if (metadata.user_id !== undefined && metadata.user_id !== null) requireString(metadata.user_id, 'metadata.user_id');
}

function validateThinking(body: Record<string, unknown>): void {
  if (body.thinking === undefined) return;
  const thinking = requireObject(body.thinking, 'thinking');
  switch (thinking.type) {
    case 'enabled': {
      rejectExtraFields(thinking, new Set(['type', 'budget_tokens', 'display']), 'thinking');
      const budget = thinking.budget_tokens;
      if (typeof budget !== 'number' || !Number.isInteger(budget)) fail('thinking.enabled.budget_tokens', 'Input should be a valid integer');
      if (budget < 1024) fail('thinking.enabled.budget_tokens', 'Input should be greater than or equal to 1024');
      if ((body.max_tokens as number) <= budget) fail('', '`max_tokens` must be greater than `thinking.budget_tokens`.');
      break;
    }
    case 'adaptive':
      rejectExtraFields(thinking, new Set(['type', 'display']), 'thinking');
      break;
    case 'disabled':
      rejectExtraFields(thinking, new Set(['type']), 'thinking');
      return;
    default:
      fail('thinking.type', "Input should be 'enabled', 'adaptive' or 'disabled'");
  }
  const choice = isObject(body.tool_choice) ? body.tool_choice.type : undefined;
  if (choice === 'any' || choice === 'tool') fail('', 'Thinking may not be enabled when tool_choice forces tool use.');
  if (body.temperature !== undefined && body.temperature !== 1) {
    fail('', '`temperature` may only be set to 1 when thinking is enabled.');
  }
}

function validateOutputConfig(value: unknown): void {
  if (value === undefined) return;
  const config = requireObject(value, 'output_config');
  rejectExtraFields(config, new Set(['effort', 'format']), 'output_config');
  if (config.format === undefined || config.format === null) return;
  const format = requireObject(config.format, 'output_config.format');
  if (format.type !== 'json_schema') fail('output_config.format.type', "Input should be 'json_schema'");
  requireObject(format.schema, 'output_config.format.schema');
}

/** At most four breakpoints, and 1h entries must precede 5m ones (a shorter entry can't hold a longer one's prefix). */
function validateBreakpoints(body: MessagesRequestBody): void {
  const blocks = promptBlocks(body);
  const count = countBreakpoints(blocks);
  if (count > MAX_BREAKPOINTS) fail('', `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${count}.`);
  let seenShort = false;
  for (const cc of blocks.flatMap((b) => b.breakpoints)) {
    if (cc.ttl === '1h' && seenShort) fail('', "A cache_control with ttl='1h' must not come after one with ttl='5m'.");
    if (cc.ttl !== '1h') seenShort = true;
  }
}
