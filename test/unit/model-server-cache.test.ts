import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_CACHEABLE_TOKENS, reply, startModelServer, text, type ModelServer } from '../model-server/index.js';

const MODEL = 'claude-test-model';
// ~1500 tokens at 4 characters a token: above the caching minimum.
const LONG_SYSTEM = 'You are a careful reviewer. '.repeat(215);
// ~100 tokens: below it.
const SHORT_SYSTEM = 'You are a careful reviewer. '.repeat(15);
const EPHEMERAL = { type: 'ephemeral' } as const;

let server: ModelServer;
let client: Anthropic;
beforeEach(async () => {
  server = await startModelServer({ responder: () => reply(text('noted')) });
  client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
});
afterEach(async () => {
  await server.close();
});

function ask(system: string | Anthropic.TextBlockParam[], question: string, model = MODEL) {
  return client.messages.create({ model, max_tokens: 50, system, messages: [{ role: 'user', content: question }] });
}
const cachedSystem = (s: string, ttl?: '5m' | '1h'): Anthropic.TextBlockParam[] => [
  { type: 'text', text: s, cache_control: ttl ? { ...EPHEMERAL, ttl } : EPHEMERAL },
];
const totalInput = (u: Anthropic.Usage) => u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);

describe('prompt caching', () => {
  it('the first request writes a >1024-token system prefix, the next one reads it', async () => {
    const uncached = await ask(LONG_SYSTEM, 'question one');
    const first = await ask(cachedSystem(LONG_SYSTEM), 'question one');
    const second = await ask(cachedSystem(LONG_SYSTEM), 'question two');

    expect(uncached.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThanOrEqual(MIN_CACHEABLE_TOKENS);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: first.usage.cache_creation_input_tokens,
      ephemeral_1h_input_tokens: 0,
    });
    // Caching moves tokens between the counters; it does not change the total.
    expect(totalInput(first.usage)).toBe(uncached.usage.input_tokens);
    expect(first.usage.input_tokens).toBeLessThan(50);

    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(second.usage.input_tokens).toBe(first.usage.input_tokens);
  });

  it('silently caches nothing below the minimum length', async () => {
    const first = await ask(cachedSystem(SHORT_SYSTEM), 'q');
    const second = await ask(cachedSystem(SHORT_SYSTEM), 'q');
    for (const { usage } of [first, second]) {
      expect(usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
      expect(usage.input_tokens).toBeGreaterThan(0);
    }
  });

  it('does not share entries across models or changed prefixes', async () => {
    await ask(cachedSystem(LONG_SYSTEM), 'q');
    const otherModel = await ask(cachedSystem(LONG_SYSTEM), 'q', 'claude-other-model');
    const otherPrefix = await ask(cachedSystem(`${LONG_SYSTEM}!`), 'q');
    expect(otherModel.usage.cache_read_input_tokens).toBe(0);
    expect(otherModel.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(otherPrefix.usage.cache_read_input_tokens).toBe(0);
  });

  it('in a growing conversation, a moved breakpoint reads the earlier prefix and writes only the new part', async () => {
    const turn = (messages: Anthropic.MessageParam[]) => client.messages.create({ model: MODEL, max_tokens: 50, system: cachedSystem(LONG_SYSTEM), messages });
    const q1: Anthropic.MessageParam = { role: 'user', content: [{ type: 'text', text: 'first question', cache_control: EPHEMERAL }] };
    const first = await turn([q1]);

    const second = await turn([
      { role: 'user', content: [{ type: 'text', text: 'first question' }] },
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'text', text: 'second question', cache_control: EPHEMERAL }] },
    ]);

    const firstPrefix = first.usage.cache_creation_input_tokens!;
    expect(first.usage.input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(firstPrefix);
    expect(second.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(second.usage.cache_creation_input_tokens).toBeLessThan(50);
  });

  it('top-level cache_control caches up to the last block, and a 1h ttl is reported apart', async () => {
    const auto = await client.messages.create({
      model: MODEL,
      max_tokens: 50,
      cache_control: { type: 'ephemeral', ttl: '1h' },
      system: LONG_SYSTEM,
      messages: [{ role: 'user', content: 'q' }],
    });
    expect(auto.usage.input_tokens).toBe(0);
    expect(auto.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: auto.usage.cache_creation_input_tokens });
  });

  it('streams the same cache usage in message_start', async () => {
    await ask(cachedSystem(LONG_SYSTEM), 'q');
    const final = await client.messages
      .stream({ model: MODEL, max_tokens: 50, system: cachedSystem(LONG_SYSTEM), messages: [{ role: 'user', content: 'q' }] })
      .finalMessage();
    expect(final.usage.cache_read_input_tokens).toBeGreaterThanOrEqual(MIN_CACHEABLE_TOKENS);
    expect(final.usage.cache_creation_input_tokens).toBe(0);
    expect(server.requests.at(-1)!.reply).toMatchObject({ kind: 'message', stream: true, usage: final.usage });
  });
});
