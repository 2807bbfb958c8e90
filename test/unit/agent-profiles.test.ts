// Agent profiles as the model sees them: which tools each offers, and whether the shared
// prefix (tool definitions + system prompt) is long enough for the API to cache at all.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAgentLoop } from '../../activities/agent-loop.js';
import { AGENT_TYPES, agentProfile, DEFAULT_AGENT_TYPE } from '../../activities/agent-profiles.js';
import type { AgentRequest } from '../../contract/run-types.js';
import { MIN_CACHEABLE_TOKENS, reply, scripted, startModelServer, text, tokensFor, type ModelServer } from '../model-server/index.js';
import { promptBlocks } from '../model-server/prompt-blocks.js';

let server: ModelServer;
let client: Anthropic;
let root: string;
let firstOfTest = 0;

beforeAll(async () => {
  server = await startModelServer();
  client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  root = await mkdtemp(path.join(tmpdir(), 'baton-profiles-'));
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  firstOfTest = server.requests.length;
});

async function firstRequest(over: Partial<AgentRequest>) {
  server.setResponder(scripted(reply(text('ok'))));
  const request: AgentRequest = {
    runId: 'r1',
    agentId: 'a1',
    prompt: 'Say ok.',
    label: 'probe',
    phase: null,
    model: 'claude-sonnet-5-5',
    workspace: root,
    allow: [],
    ...over,
  };
  expect((await runAgentLoop(request, { client, heartbeat: () => {} })).status).toBe('succeeded');
  return server.requests[firstOfTest]!.body;
}

describe('agent profiles', () => {
  it.each([
    [undefined, ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash']],
    ['general-purpose', ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash']],
    ['Explore', ['Read', 'Glob', 'Grep']],
  ])('%s offers %j', async (agentType, tools) => {
    const body = await firstRequest({ agentType });
    expect(body.tools!.map((t) => t.name)).toEqual(tools);
  });

  it('lets agent({ tools }) narrow a profile but never widen it', async () => {
    const body = await firstRequest({ agentType: 'Explore', tools: ['Read', 'Bash', 'Write'] });
    expect(body.tools!.map((t) => t.name)).toEqual(['Read']);
  });

  it('tells the default agent that its final text is its return value', () => {
    const prompt = agentProfile(undefined).systemPrompt;
    expect(agentProfile(undefined).name).toBe(DEFAULT_AGENT_TYPE);
    expect(prompt).toContain('Your final message is your return value');
    expect(prompt).toContain('Edit');
    expect(agentProfile('Explore').systemPrompt).toContain('cannot change files or run commands');
  });

  // The API silently skips caching a prefix under 1024 tokens; every agent of a fan-out would
  // then pay full price for the system prompt and tools.
  it.each(AGENT_TYPES)('gives %s a cacheable prefix: tools + system over 1024 tokens', async (agentType) => {
    const body = await firstRequest({ agentType });
    const prefix = promptBlocks(body).filter((b) => b.key.startsWith('tool:') || b.key.startsWith('system:'));
    const tokens = tokensFor(prefix.reduce((n, b) => n + b.chars, 0));
    expect(tokens).toBeGreaterThan(MIN_CACHEABLE_TOKENS);
    expect(server.requests[firstOfTest]!.reply).toMatchObject({ kind: 'message' });
    expect(prefix.at(-1)!.breakpoints).toEqual([{ type: 'ephemeral' }]);
  });

  it('keeps the prefix identical across runs, agents and allow lists', async () => {
    const a = await firstRequest({});
    firstOfTest = server.requests.length;
    const b = await firstRequest({ runId: 'r2', agentId: 'a9', prompt: 'Different.', allow: ['Bash(npm test:*)'], isolation: undefined });
    expect(JSON.stringify([b.tools, b.system])).toBe(JSON.stringify([a.tools, a.system]));
  });
});
