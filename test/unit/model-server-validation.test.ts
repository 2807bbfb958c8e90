import Anthropic, { BadRequestError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reply, startModelServer, text, type ModelServer } from '../model-server/index.js';

// Requests built by hand, as a buggy agent loop might, so they bypass the SDK's types.
type Body = Record<string, unknown>;

const tool = (name: string) => ({ name, input_schema: { type: 'object', properties: {} } });
const user = (content: unknown) => ({ role: 'user', content });
const assistant = (content: unknown) => ({ role: 'assistant', content });
const callA = { type: 'tool_use', id: 'toolu_A', name: 'Read', input: {} };
const resultA = { type: 'tool_result', tool_use_id: 'toolu_A', content: 'ok' };
const base = (extra: Body = {}): Body => ({ model: 'claude-test', max_tokens: 2048, messages: [user('hi')], ...extra });
const withCache = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'text', text: `part ${i}`, cache_control: { type: 'ephemeral' } }));

const rejected: Array<[string, Body, string]> = [
  ['model missing', { max_tokens: 10, messages: [user('hi')] }, 'model: Field required'],
  ['model empty', base({ model: '' }), 'model: String should have at least 1 character'],
  ['max_tokens missing', { model: 'm', messages: [user('hi')] }, 'max_tokens: Field required'],
  ['max_tokens zero', base({ max_tokens: 0 }), 'max_tokens: Input should be greater than or equal to 1'],
  ['max_tokens fractional', base({ max_tokens: 1.5 }), 'max_tokens: Input should be a valid integer'],
  ['messages empty', base({ messages: [] }), 'messages: at least one message is required'],
  ['unknown top-level field', base({ maxTokens: 10 }), 'maxTokens: Extra inputs are not permitted'],
  ['first message from assistant', base({ messages: [assistant('hi'), user('yo')] }), 'messages: first message must use the "user" role'],
  [
    'two user messages in a row',
    base({ messages: [user('a'), user('b')] }),
    'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
  ],
  ['bad role', base({ messages: [{ role: 'system', content: 'x' }] }), "messages.0.role: Input should be 'user' or 'assistant'"],
  ['extra message field', base({ messages: [{ role: 'user', content: 'x', name: 'bob' }] }), 'messages.0.name: Extra inputs are not permitted'],
  ['empty string content', base({ messages: [user('')] }), 'messages.0: all messages must have non-empty content'],
  ['empty block list', base({ messages: [user('a'), assistant([]), user('b')] }), 'messages.1: all messages must have non-empty content'],
  ['empty text block', base({ messages: [user([{ type: 'text', text: '' }])] }), 'messages: text content blocks must be non-empty'],
  ['whitespace text block', base({ messages: [user([{ type: 'text', text: ' \n' }])] }), 'messages: text content blocks must contain non-whitespace text'],
  ['unknown block type', base({ messages: [user([{ type: 'video', url: 'x' }])] }), "messages.0.content.0.type: Input tag 'video'"],
  ['extra block field', base({ messages: [user([{ type: 'text', text: 'x', id: 1 }])] }), 'messages.0.content.0.id: Extra inputs are not permitted'],
  [
    'tool_use in a user message',
    base({ tools: [tool('Read')], messages: [user([callA])] }),
    'messages.0.content.0: `tool_use` blocks are only allowed in assistant messages',
  ],
  [
    'tool_result in an assistant message',
    base({ tools: [tool('Read')], messages: [user('a'), assistant([resultA])] }),
    'messages.1.content.0: `tool_result` blocks are only allowed in user messages',
  ],
  [
    'tool_use input not an object',
    base({ tools: [tool('Read')], messages: [user('a'), assistant([{ ...callA, input: 'path' }]), user([resultA])] }),
    'messages.1.content.0.input: Input should be a valid dictionary',
  ],
  [
    'tool_use id with bad characters',
    base({ tools: [tool('Read')], messages: [user('a'), assistant([{ ...callA, id: 'toolu A' }]), user([resultA])] }),
    "messages.1.content.0.id: String should match pattern '^[a-zA-Z0-9_-]+$'",
  ],
  [
    'tool_result with no tool_use before it',
    base({ tools: [tool('Read')], messages: [user('a'), assistant('ok'), user([resultA])] }),
    'messages.2.content.0: tool_result block(s) provided when previous message does not contain any tool_use blocks',
  ],
  [
    'tool_use never answered',
    base({ tools: [tool('Read')], messages: [user('a'), assistant([callA]), user('go on')] }),
    'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_A. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
  ],
  [
    'tool_use as the final message',
    base({ tools: [tool('Read')], messages: [user('a'), assistant([callA])] }),
    'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_A',
  ],
  [
    'tool_result after text',
    base({ tools: [tool('Read')], messages: [user('a'), assistant([callA]), user([{ type: 'text', text: 'here' }, resultA])] }),
    'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_A',
  ],
  [
    'tool_result for an unknown id',
    base({ tools: [tool('Read')], messages: [user('a'), assistant([callA]), user([resultA, { ...resultA, tool_use_id: 'toolu_B' }])] }),
    'messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_B. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
  ],
  [
    'duplicate tool_use ids',
    base({
      tools: [tool('Read')],
      messages: [user('a'), assistant([callA]), user([resultA]), assistant([callA]), user([resultA])],
    }),
    'messages.3.content.0: `tool_use` ids must be unique',
  ],
  [
    'tool blocks without tool definitions',
    base({ messages: [user('a'), assistant([callA]), user([resultA])] }),
    'Requests which include `tool_use` or `tool_result` blocks must define tools.',
  ],
  [
    'prefill ending in whitespace',
    base({ messages: [user('a'), assistant('The answer is ')] }),
    'messages: final assistant content cannot end with trailing whitespace',
  ],
  ['system block not text', base({ system: [{ type: 'image', source: {} }] }), "system.0.type: Input should be 'text'"],
  ['tool name with a space', base({ tools: [tool('read file')] }), "tools.0.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"],
  ['tool name too long', base({ tools: [tool('x'.repeat(65))] }), 'tools.0.name: String should match pattern'],
  ['duplicate tool names', base({ tools: [tool('Read'), tool('Read')] }), 'tools: Tool names must be unique.'],
  ['tool without input_schema', base({ tools: [{ name: 'Read' }] }), 'tools.0.input_schema: Field required'],
  [
    'input_schema not an object type',
    base({ tools: [{ name: 'Read', input_schema: { type: 'array' } }] }),
    "tools.0.input_schema.type: Input should be 'object'",
  ],
  [
    'tool_choice names a missing tool',
    base({ tools: [tool('Read')], tool_choice: { type: 'tool', name: 'Write' } }),
    "tool_choice.name: Tool 'Write' not found",
  ],
  ['tool_choice without tools', base({ tool_choice: { type: 'any' } }), 'tool_choice may only be specified while providing tools.'],
  ['tool_choice of unknown type', base({ tools: [tool('Read')], tool_choice: { type: 'required' } }), 'tool_choice.type: Input should be'],
  ['temperature above 1', base({ temperature: 1.5 }), 'temperature: Input should be less than or equal to 1'],
  ['stream not a boolean', base({ stream: 'yes' }), 'stream: Input should be a valid boolean'],
  [
    'thinking budget below 1024',
    base({ thinking: { type: 'enabled', budget_tokens: 500 } }),
    'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024',
  ],
  [
    'thinking budget not below max_tokens',
    base({ thinking: { type: 'enabled', budget_tokens: 2048 } }),
    '`max_tokens` must be greater than `thinking.budget_tokens`.',
  ],
  [
    'thinking with a forced tool',
    base({ max_tokens: 4096, tools: [tool('Read')], tool_choice: { type: 'any' }, thinking: { type: 'enabled', budget_tokens: 1024 } }),
    'Thinking may not be enabled when tool_choice forces tool use.',
  ],
  ['thinking of unknown type', base({ thinking: { type: 'on' } }), 'thinking.type: Input should be'],
  ['five cache breakpoints', base({ system: withCache(5) }), 'A maximum of 4 blocks with cache_control may be provided. Found 5.'],
  [
    'five breakpoints across tools, system and messages',
    base({
      tools: [{ ...tool('Read'), cache_control: { type: 'ephemeral' } }],
      system: withCache(2),
      messages: [user([{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }])],
      cache_control: { type: 'ephemeral' },
    }),
    'Found 5.',
  ],
  [
    'cache_control of unknown type',
    base({ system: [{ type: 'text', text: 'x', cache_control: { type: 'persistent' } }] }),
    "system.0.cache_control.type: Input should be 'ephemeral'",
  ],
  [
    'cache_control with bad ttl',
    base({ system: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '10m' } }] }),
    "system.0.cache_control.ttl: Input should be '5m' or '1h'",
  ],
  [
    '1h breakpoint after a 5m one',
    base({
      system: [
        { type: 'text', text: 'a', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'b', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
    }),
    "ttl='1h' must not come after",
  ],
  ['web search named otherwise', base({ tools: [{ type: 'web_search_20250305', name: 'search' }] }), "tools.0.name: Input should be 'web_search'"],
  [
    'web fetch with an unknown field',
    base({ tools: [{ type: 'web_fetch_20250910', name: 'web_fetch', domains: ['x'] }] }),
    'tools.0.domains: Extra inputs are not permitted',
  ],
  [
    'web search with both domain lists',
    base({ tools: [{ type: 'web_search_20250305', name: 'web_search', allowed_domains: ['a'], blocked_domains: ['b'] }] }),
    'Cannot specify both allowed_domains and blocked_domains',
  ],
  [
    'a server tool result without its call',
    base({
      messages: [
        user('a'),
        assistant([
          { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_X', content: [] },
          { type: 'text', text: 'done' },
        ]),
        user('b'),
      ],
    }),
    'has no `server_tool_use` before it in the same message',
  ],
];

const accepted: Array<[string, Body]> = [
  ['a prefill without trailing whitespace', base({ messages: [user('a'), assistant('The answer is')] })],
  ['an empty final assistant message', base({ messages: [user('a'), assistant('')] })],
  ['four breakpoints', base({ system: withCache(3), cache_control: { type: 'ephemeral', ttl: '5m' } })],
  [
    'parallel tool results followed by text',
    base({
      tools: [tool('Read')],
      messages: [
        user('a'),
        assistant([{ type: 'text', text: 'Reading both.' }, callA, { ...callA, id: 'toolu_B' }]),
        user([
          resultA,
          { type: 'tool_result', tool_use_id: 'toolu_B', is_error: true, content: [{ type: 'text', text: 'no such file' }] },
          { type: 'text', text: 'also, hurry' },
        ]),
      ],
    }),
  ],
  ['system as text blocks', base({ system: [{ type: 'text', text: 'You are terse.' }] })],
  ['sampling and metadata fields', base({ temperature: 0, top_p: 0.9, top_k: 5, metadata: { user_id: 'u1' }, stop_sequences: ['END'] })],
  ['adaptive thinking', base({ thinking: { type: 'adaptive' } })],
  ['enabled thinking under max_tokens', base({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 } })],
  ['a server tool beside a client tool', base({ tools: [tool('Read'), { type: 'web_search_20250305', name: 'web_search' }] })],
  ['web fetch limited to domains', base({ tools: [{ type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 10, allowed_domains: ['docs.temporal.io'] }] })],
  [
    'a paused turn of server tools sent back',
    base({
      messages: [
        user('a'),
        assistant([
          { type: 'server_tool_use', id: 'srvtoolu_01A', name: 'web_search', input: { query: 'q' } },
          { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01A', content: [] },
        ]),
      ],
    }),
  ],
];

let server: ModelServer;
let responderCalls = 0;
beforeAll(async () => {
  server = await startModelServer({
    responder: () => {
      responderCalls++;
      return reply(text('fine'));
    },
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  responderCalls = 0;
});

function send(body: Body) {
  const client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  return client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming);
}

describe('requests the real API rejects get 400 invalid_request_error', () => {
  it.each(rejected)('%s', async (_name, body, expected) => {
    const error = await send(body).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect((error as BadRequestError).apiMessage).toContain(expected);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.reply).toMatchObject({ kind: 'rejected', status: 400 });
    expect(responderCalls).toBe(0);
  });
});

describe('requests the real API accepts reach the model', () => {
  it.each(accepted)('%s', async (_name, body) => {
    await expect(send(body)).resolves.toMatchObject({ type: 'message', content: [{ type: 'text', text: 'fine' }] });
    expect(responderCalls).toBe(1);
  });
});
