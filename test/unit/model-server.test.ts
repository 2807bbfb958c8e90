import Anthropic, { APIConnectionError, APIConnectionTimeoutError, InternalServerError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  demoResponder,
  overloaded,
  rateLimited,
  reply,
  scripted,
  serverError,
  startModelServer,
  text,
  toolResults,
  toolUse,
  type ModelServer,
} from '../model-server/index.js';

const MODEL = 'claude-test-model';
const READ_TOOL = {
  name: 'Read',
  description: 'Read a file',
  input_schema: { type: 'object' as const, properties: { path: { type: 'string' } }, required: ['path'] },
};

let server: ModelServer;
beforeEach(async () => {
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
});

function client(options: { maxRetries?: number; timeout?: number } = {}): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0, ...options });
}

describe('model turns through the real SDK', () => {
  it('answers a plain text turn in the API shape and records the request', async () => {
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hello there' }],
    });

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: 'echo: hello there' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(message.id).toMatch(/^msg_01/);
    expect(message._request_id).toMatch(/^req_01/);
    expect(message.usage).toMatchObject({
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(message.usage.input_tokens).toBeGreaterThan(0);

    expect(server.requests).toHaveLength(1);
    const [seen] = server.requests;
    expect(seen!.body.model).toBe(MODEL);
    expect(seen!.body.system).toBe('Be brief.');
    expect(seen!.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(seen!.reply).toMatchObject({ kind: 'message', status: 200, stream: false, stopReason: 'end_turn' });
  });

  it('plays a tool loop: tool_use, then the client sends tool_result, then end_turn', async () => {
    server.setResponder(scripted(reply(text('Reading it.'), toolUse('Read', { path: 'a.txt' })), reply(text('The file says hi.'))));
    const anthropic = client();
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is in a.txt?' }];

    const first = await anthropic.messages.create({ model: MODEL, max_tokens: 200, tools: [READ_TOOL], messages });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b) => b.type === 'tool_use');
    expect(call).toMatchObject({ name: 'Read', input: { path: 'a.txt' } });
    expect(call!.id).toMatch(/^toolu_01/);

    // The response content goes back verbatim, as an agent loop does; the server must accept it.
    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call!.id, content: 'hi' }] });
    const second = await anthropic.messages.create({ model: MODEL, max_tokens: 200, tools: [READ_TOOL], messages });

    expect(second.stop_reason).toBe('end_turn');
    expect(second.content).toEqual([{ type: 'text', text: 'The file says hi.' }]);
    expect(server.requests.map((r) => r.reply.kind)).toEqual(['message', 'message']);
    expect(toolResults(server.requests[1]!.body)).toEqual([{ type: 'tool_result', tool_use_id: call!.id, content: 'hi' }]);
  });

  it('echo responder fills a StructuredOutput call from its schema, then ends the turn', async () => {
    const structuredTool = {
      name: 'StructuredOutput',
      input_schema: {
        type: 'object' as const,
        properties: { title: { type: 'string' }, score: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' } } },
        required: ['title', 'score', 'tags'],
      },
    };
    const anthropic = client();
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Summarise' }];
    const first = await anthropic.messages.create({ model: MODEL, max_tokens: 200, tools: [structuredTool], messages });
    expect(first.content).toEqual([{ type: 'tool_use', id: expect.any(String), name: 'StructuredOutput', input: { title: 'example', score: 1, tags: [] } }]);

    const id = (first.content[0] as Anthropic.ToolUseBlock).id;
    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'ok' }] });
    const second = await anthropic.messages.create({ model: MODEL, max_tokens: 200, tools: [structuredTool], messages });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content[0]).toMatchObject({ type: 'text' });
  });

  it('demo responder lists the workspace with Glob on the first turn', async () => {
    server.setResponder(demoResponder);
    const glob = { name: 'Glob', input_schema: { type: 'object' as const, properties: { pattern: { type: 'string' } } } };
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [glob],
      messages: [{ role: 'user', content: 'Look around' }],
    });
    expect(message.content).toEqual([{ type: 'tool_use', id: expect.any(String), name: 'Glob', input: { pattern: '**/*' } }]);
  });

  it('cuts text at a stop sequence and at max_tokens', async () => {
    server.setResponder(() => reply(text('one two STOP three')));
    const stopped = await client().messages.create({
      model: MODEL,
      max_tokens: 100,
      stop_sequences: ['STOP'],
      messages: [{ role: 'user', content: 'count' }],
    });
    expect(stopped).toMatchObject({ content: [{ type: 'text', text: 'one two ' }], stop_reason: 'stop_sequence', stop_sequence: 'STOP' });

    server.setResponder(() => reply(text('x'.repeat(400))));
    const truncated = await client().messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'go' }] });
    expect(truncated.stop_reason).toBe('max_tokens');
    expect(truncated.usage.output_tokens).toBe(10);
    expect((truncated.content[0] as Anthropic.TextBlock).text).toHaveLength(40);
  });

  it('fails fast, without SDK retries, when the responder scripts a call to a tool the request does not offer', async () => {
    server.setResponder(() => reply(toolUse('Write', { path: 'x' })));
    const call = client({ maxRetries: 2 }).messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [READ_TOOL],
      messages: [{ role: 'user', content: 'go' }],
    });
    await expect(call).rejects.toBeInstanceOf(InternalServerError);
    await expect(call).rejects.toMatchObject({ status: 500, apiMessage: expect.stringContaining("tool 'Write'") });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.reply.kind).toBe('responder-error');
  });
});

describe('streaming', () => {
  const streamed = [text('Let me read the file you mentioned.'), toolUse('Read', { path: 'src/ünïcode.ts', options: { lines: [1, 20] } })];

  it('finalMessage() reassembles the same content as the non-streaming reply', async () => {
    server.setResponder(() => reply(...streamed));
    const params = { model: MODEL, max_tokens: 300, tools: [READ_TOOL], messages: [{ role: 'user' as const, content: 'read it' }] };

    const plain = await client().messages.create(params);
    const final = await client().messages.stream(params).finalMessage();

    expect(final.content).toEqual(plain.content);
    expect(final.content).toEqual(streamed);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage.output_tokens).toBe(plain.usage.output_tokens);
    expect(final.usage.input_tokens).toBe(plain.usage.input_tokens);
    expect(server.requests[1]!.reply).toMatchObject({ kind: 'message', stream: true });
  });

  it('sends the API event sequence, with text and tool input split into several deltas', async () => {
    server.setResponder(() => reply(...streamed));
    const stream = await client().messages.create({
      model: MODEL,
      max_tokens: 300,
      stream: true,
      tools: [READ_TOOL],
      messages: [{ role: 'user', content: 'read it' }],
    });
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type === 'content_block_delta' ? `delta:${event.delta.type}` : event.type);
    }
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types.filter((t) => t === 'delta:text_delta').length).toBeGreaterThan(1);
    expect(types.filter((t) => t === 'delta:input_json_delta').length).toBeGreaterThan(1);
    expect(types.filter((t) => t === 'content_block_start')).toHaveLength(2);
    expect(types.filter((t) => t === 'content_block_stop')).toHaveLength(2);
  });

  it('frames events as `event:` and `data:` lines', async () => {
    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODEL, max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await response.text();
    expect(body).toMatch(/^event: message_start\ndata: \{"type":"message_start",/);
    expect(body.trimEnd().endsWith('event: message_stop\ndata: {"type":"message_stop"}')).toBe(true);
  });
});

describe('HTTP-level failures', () => {
  const params = { model: MODEL, max_tokens: 50, messages: [{ role: 'user' as const, content: 'hi' }] };

  it('401 when the API key is missing or wrong', async () => {
    const noKey = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(params),
    });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' }, request_id: expect.any(String) });

    const strict = await startModelServer({ apiKey: 'right-key' });
    try {
      const wrong = new Anthropic({ apiKey: 'wrong-key', baseURL: strict.url, maxRetries: 0 });
      await expect(wrong.messages.create(params)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
      const right = new Anthropic({ apiKey: 'right-key', baseURL: strict.url, maxRetries: 0 });
      await expect(right.messages.create(params)).resolves.toMatchObject({ type: 'message' });
    } finally {
      await strict.close();
    }
  });

  it('400 without anthropic-version, for non-JSON bodies; 404 off the messages route', async () => {
    const post = (headers: Record<string, string>, body: string, path = '/v1/messages') =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'x-api-key': 'k', ...headers }, body });
    const json = { 'content-type': 'application/json' };

    const noVersion = await post(json, JSON.stringify(params));
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } });

    const badJson = await post({ ...json, 'anthropic-version': '2023-06-01' }, '{"model": ');
    expect(badJson.status).toBe(400);

    const wrongPath = await post({ ...json, 'anthropic-version': '2023-06-01' }, JSON.stringify(params), '/v1/complete');
    expect(wrongPath.status).toBe(404);
    expect(await wrongPath.json()).toMatchObject({ error: { type: 'not_found_error' } });
    expect(server.requests.map((r) => r.reply.kind)).toEqual(['rejected', 'rejected', 'rejected']);
  });

  it('429 carries retry-after, and the SDK waits that long before its retry succeeds', async () => {
    server.setResponder(scripted(rateLimited(1), reply(text('after the wait'))));
    const started = Date.now();
    const message = await client({ maxRetries: 1 }).messages.create(params);
    const elapsed = Date.now() - started;

    expect(message.content).toEqual([{ type: 'text', text: 'after the wait' }]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.reply).toMatchObject({ kind: 'error', status: 429, errorType: 'rate_limit_error' });
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(server.requests[1]!.receivedAt - server.requests[0]!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('429 with retries off surfaces RateLimitError with the retry-after header', async () => {
    server.setResponder(() => rateLimited(7));
    const error = await client()
      .messages.create(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get('retry-after')).toBe('7');
    expect((error as RateLimitError).type).toBe('rate_limit_error');
  });

  it('529 surfaces OverloadedError and 500 InternalServerError', async () => {
    server.setResponder(() => overloaded());
    await expect(client().messages.create(params)).rejects.toBeInstanceOf(OverloadedError);
    await expect(client().messages.create(params)).rejects.toMatchObject({ status: 529, type: 'overloaded_error' });

    server.setResponder(() => serverError());
    await expect(client().messages.create(params)).rejects.toMatchObject({ status: 500, type: 'api_error' });
  });

  it('a reset connection surfaces APIConnectionError', async () => {
    server.setResponder(() => ({ resetConnection: true }));
    await expect(client().messages.create(params)).rejects.toBeInstanceOf(APIConnectionError);
    expect(server.requests[0]!.reply.kind).toBe('reset');
  });

  it('a stall outlasts the client timeout; after it the server sends its follow-up reply', async () => {
    server.setResponder(() => ({ stallMs: 2_000 }));
    await expect(client({ timeout: 200 }).messages.create(params)).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    await expect.poll(() => server.requests[0]!.reply.kind).toBe('aborted');

    server.setResponder(() => ({ stallMs: 100, then: reply(text('late but fine')) }));
    const late = await client().messages.create(params);
    expect(late.content).toEqual([{ type: 'text', text: 'late but fine' }]);

    server.setResponder(() => ({ stallMs: 50 }));
    await expect(client().messages.create(params)).rejects.toBeInstanceOf(OverloadedError);
  });
});
