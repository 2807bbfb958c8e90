import { fail, join, optionalBoolean, optionalCacheControl, rejectExtraFields, requireArray, requireObject, requireString, type Json } from './field-checks.js';
import { blocksOf } from './inspect-request.js';
import type { ContentBlockParam, MessageParam } from './wire-types.js';

const BLOCK_FIELDS: Record<string, ReadonlySet<string>> = {
  text: new Set(['type', 'text', 'cache_control', 'citations']),
  image: new Set(['type', 'source', 'cache_control']),
  document: new Set(['type', 'source', 'title', 'context', 'citations', 'cache_control']),
  search_result: new Set(['type', 'source', 'title', 'content', 'citations', 'cache_control']),
  tool_use: new Set(['type', 'id', 'name', 'input', 'caller', 'cache_control']),
  tool_result: new Set(['type', 'tool_use_id', 'content', 'is_error', 'cache_control']),
  thinking: new Set(['type', 'thinking', 'signature']),
  redacted_thinking: new Set(['type', 'data']),
  server_tool_use: new Set(['type', 'id', 'name', 'input', 'caller', 'cache_control']),
  web_search_tool_result: new Set(['type', 'tool_use_id', 'content', 'caller', 'cache_control']),
  web_fetch_tool_result: new Set(['type', 'tool_use_id', 'content', 'caller', 'cache_control']),
};
const USER_ONLY = new Set(['image', 'document', 'search_result', 'tool_result']);
const ASSISTANT_ONLY = new Set(['tool_use', 'thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result']);
const SERVER_TOOL_NAMES = new Set(['web_search', 'web_fetch']);
const SERVER_TOOL_ID = /^srvtoolu_[a-zA-Z0-9_]+$/;
const TOOL_RESULT_CONTENT = new Set(['text', 'image', 'document', 'search_result']);
const MESSAGE_FIELDS = new Set(['role', 'content']);
const ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

/**
 * Checks `messages` the way the API does: shape of every block, then the conversation rules
 * (user first, alternating roles, non-empty content, tool_use/tool_result pairing, prefill).
 */
export function validateMessages(value: unknown): MessageParam[] {
  if (value === undefined) fail('messages', 'Field required');
  const list = requireArray(value, 'messages');
  if (list.length === 0) fail('messages', 'at least one message is required');
  const messages = list.map((m, i) => validateMessageShape(m, `messages.${i}`));

  checkRoles(messages);
  messages.forEach((m, i) => checkContentNotEmpty(m, i, i === messages.length - 1));
  checkToolPairing(messages);
  checkServerToolPairing(messages);
  checkPrefill(messages);
  return messages;
}

function validateMessageShape(value: unknown, path: string): MessageParam {
  const message = requireObject(value, path);
  rejectExtraFields(message, MESSAGE_FIELDS, path);
  const role = message.role;
  if (role === undefined) fail(join(path, 'role'), 'Field required');
  if (role !== 'user' && role !== 'assistant') fail(join(path, 'role'), "Input should be 'user' or 'assistant'");
  const content = message.content;
  if (content === undefined) fail(join(path, 'content'), 'Field required');
  if (typeof content !== 'string') {
    requireArray(content, join(path, 'content')).forEach((b, j) => validateBlock(b, join(path, `content.${j}`), role));
  }
  return message as unknown as MessageParam;
}

function validateBlock(value: unknown, path: string, role: 'user' | 'assistant'): void {
  const block = requireObject(value, path);
  const type = block.type;
  if (type === undefined) fail(join(path, 'type'), 'Field required');
  const allowed = typeof type === 'string' ? BLOCK_FIELDS[type] : undefined;
  if (!allowed) {
    const tags = Object.keys(BLOCK_FIELDS)
      .map((t) => `'${t}'`)
      .join(', ');
    fail(join(path, 'type'), `Input tag '${String(type)}' found using 'type' does not match any of the expected tags: ${tags}`);
  }
  if (role === 'assistant' && USER_ONLY.has(type as string)) fail(path, `\`${type}\` blocks are only allowed in user messages`);
  if (role === 'user' && ASSISTANT_ONLY.has(type as string)) fail(path, `\`${type}\` blocks are only allowed in assistant messages`);
  rejectExtraFields(block, allowed, path);
  optionalCacheControl(block.cache_control, join(path, 'cache_control'));

  switch (type) {
    case 'text':
      return validateText(block, path);
    case 'image':
    case 'document':
      requireObject(block.source, join(path, 'source'));
      return;
    case 'tool_use':
      requireId(block.id, join(path, 'id'));
      if (requireString(block.name, join(path, 'name')) === '') fail(join(path, 'name'), 'String should have at least 1 character');
      requireObject(block.input, join(path, 'input'));
      return;
    case 'tool_result':
      return validateToolResult(block, path);
    case 'thinking':
      requireString(block.thinking, join(path, 'thinking'));
      requireString(block.signature, join(path, 'signature'));
      return;
    case 'redacted_thinking':
      requireString(block.data, join(path, 'data'));
      return;
    case 'server_tool_use':
      if (!SERVER_TOOL_ID.test(requireString(block.id, join(path, 'id')))) fail(join(path, 'id'), "String should match pattern '^srvtoolu_[a-zA-Z0-9_]+$'");
      if (!SERVER_TOOL_NAMES.has(requireString(block.name, join(path, 'name')))) fail(join(path, 'name'), "Input should be 'web_search' or 'web_fetch'");
      requireObject(block.input, join(path, 'input'));
      return;
    case 'web_search_tool_result':
    case 'web_fetch_tool_result':
      if (!SERVER_TOOL_ID.test(requireString(block.tool_use_id, join(path, 'tool_use_id'))))
        fail(join(path, 'tool_use_id'), "String should match pattern '^srvtoolu_[a-zA-Z0-9_]+$'");
      if (block.content === undefined) fail(join(path, 'content'), 'Field required');
      return;
  }
}

function validateText(block: Json, path: string): void {
  const text = requireString(block.text, join(path, 'text'));
  if (text === '') fail('messages', 'text content blocks must be non-empty');
  if (text.trim() === '') fail('messages', 'text content blocks must contain non-whitespace text');
}

function validateToolResult(block: Json, path: string): void {
  requireId(block.tool_use_id, join(path, 'tool_use_id'));
  optionalBoolean(block.is_error, join(path, 'is_error'));
  const content = block.content;
  if (content === undefined || typeof content === 'string') return;
  requireArray(content, join(path, 'content')).forEach((value, k) => {
    const itemPath = join(path, `content.${k}`);
    const item = requireObject(value, itemPath);
    if (typeof item.type !== 'string' || !TOOL_RESULT_CONTENT.has(item.type)) {
      fail(join(itemPath, 'type'), "Input should be 'text', 'image', 'document' or 'search_result'");
    }
    rejectExtraFields(item, BLOCK_FIELDS[item.type]!, itemPath);
    optionalCacheControl(item.cache_control, join(itemPath, 'cache_control'));
    if (item.type === 'text') validateText(item, itemPath);
  });
}

function requireId(value: unknown, path: string): void {
  if (!ID_PATTERN.test(requireString(value, path))) fail(path, "String should match pattern '^[a-zA-Z0-9_-]+$'");
}

function checkRoles(messages: MessageParam[]): void {
  if (messages[0]!.role !== 'user') fail('messages', 'first message must use the "user" role');
  for (let i = 1; i < messages.length; i++) {
    const role = messages[i]!.role;
    if (role === messages[i - 1]!.role) {
      fail('messages', `roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`);
    }
  }
}

function checkContentNotEmpty(message: MessageParam, i: number, isLast: boolean): void {
  const empty = message.content.length === 0;
  if (empty && !(isLast && message.role === 'assistant')) {
    fail(`messages.${i}`, 'all messages must have non-empty content except for the optional final assistant message');
  }
  if (typeof message.content === 'string' && !empty && message.content.trim() === '' && !isLast) {
    fail('messages', 'text content blocks must contain non-whitespace text');
  }
}

function toolUseIds(message: MessageParam | undefined): string[] {
  if (message?.role !== 'assistant') return [];
  return blocksOf(message.content).flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
}

/** Tool results that open the message; a result after other content does not answer a call. */
function leadingToolResultIds(message: MessageParam | undefined): Set<string> {
  const ids = new Set<string>();
  if (message?.role !== 'user') return ids;
  for (const block of blocksOf(message.content)) {
    if (block.type !== 'tool_result') break;
    ids.add(block.tool_use_id);
  }
  return ids;
}

function checkToolPairing(messages: MessageParam[]): void {
  const seen = new Set<string>();
  messages.forEach((message, i) => {
    const blocks: ContentBlockParam[] = blocksOf(message.content);
    if (message.role === 'assistant') {
      blocks.forEach((b, j) => {
        if (b.type !== 'tool_use') return;
        if (seen.has(b.id)) fail(`messages.${i}.content.${j}`, '`tool_use` ids must be unique');
        seen.add(b.id);
      });
      const answered = leadingToolResultIds(messages[i + 1]);
      const missing = toolUseIds(message).filter((id) => !answered.has(id));
      if (missing.length > 0) {
        fail(
          `messages.${i}`,
          `\`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
            'Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
        );
      }
      return;
    }
    const calls = new Set(toolUseIds(messages[i - 1]));
    const results = new Set<string>();
    blocks.forEach((b, j) => {
      if (b.type !== 'tool_result') return;
      const path = `messages.${i}.content.${j}`;
      if (calls.size === 0) fail(path, 'tool_result block(s) provided when previous message does not contain any tool_use blocks');
      if (!calls.has(b.tool_use_id)) {
        fail(
          path,
          `unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${b.tool_use_id}. ` +
            'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
        );
      }
      if (results.has(b.tool_use_id)) fail(path, `each \`tool_use\` id must have exactly one \`tool_result\`; found a second for ${b.tool_use_id}`);
      results.add(b.tool_use_id);
    });
  });
}

/** Each server tool result answers a server_tool_use made earlier in the same assistant message. */
function checkServerToolPairing(messages: MessageParam[]): void {
  messages.forEach((message, i) => {
    if (message.role !== 'assistant') return;
    const calls = new Set<string>();
    blocksOf(message.content).forEach((block, j) => {
      const typed = block as unknown as { type: string; id?: string; tool_use_id?: string };
      if (typed.type === 'server_tool_use') calls.add(typed.id!);
      if ((typed.type === 'web_search_tool_result' || typed.type === 'web_fetch_tool_result') && !calls.has(typed.tool_use_id!)) {
        fail(
          `messages.${i}.content.${j}`,
          `\`${typed.type}\` block with tool_use_id ${typed.tool_use_id} has no \`server_tool_use\` before it in the same message`,
        );
      }
    });
  });
}

/** A final assistant message is a prefill the model continues; the API refuses one ending in whitespace. */
function checkPrefill(messages: MessageParam[]): void {
  const last = messages.at(-1)!;
  if (last.role !== 'assistant') return;
  const blocks = blocksOf(last.content);
  const tail = blocks.at(-1);
  if (tail?.type === 'text' && tail.text !== tail.text.trimEnd()) {
    fail('messages', 'final assistant content cannot end with trailing whitespace');
  }
}
