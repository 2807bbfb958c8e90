// The agent loop against the model server: the real SDK over HTTP, real files in a temp
// workspace. Assertions look at what the "API" received, as the real one would.
import Anthropic from '@anthropic-ai/sdk';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelOverloaded, ModelUnavailable } from '../../activities/agent-errors.js';
import { runAgentLoop } from '../../activities/agent-loop.js';
import type { AgentRequest } from '../../contract/run-types.js';
import {
  badRequest,
  echoResponder,
  overloaded,
  reply,
  scripted,
  startModelServer,
  text,
  toolResults,
  toolUse,
  type ModelServer,
  type RecordedRequest,
} from '../model-server/index.js';

let server: ModelServer;
let client: Anthropic;
let root: string;
let outside: string;
let firstOfTest = 0;
const heartbeats: unknown[] = [];

beforeAll(async () => {
  server = await startModelServer();
  client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  root = await mkdtemp(path.join(tmpdir(), 'baton-loop-'));
  outside = await mkdtemp(path.join(tmpdir(), 'baton-outside-'));
  await writeFile(path.join(outside, 'secret.txt'), 'top secret\n');
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'notes.txt'), 'first line\nsecond line\n');
  await writeFile(path.join(root, 'src', 'a.ts'), 'export const a = 1; // TODO: rename\n');
  await writeFile(path.join(root, 'src', 'b.ts'), 'export const b = 2;\n');
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

beforeEach(() => {
  firstOfTest = server.requests.length;
  heartbeats.length = 0;
});

/** The requests this test caused, in order. */
function requests(): RecordedRequest[] {
  return server.requests.slice(firstOfTest);
}

function agentRequest(over: Partial<AgentRequest> = {}): AgentRequest {
  return {
    runId: 'run-1',
    agentId: 'a1',
    prompt: 'What is in notes.txt?',
    label: 'reader',
    phase: null,
    model: 'claude-sonnet-5-5',
    workspace: root,
    allow: [],
    ...over,
  };
}

const run = (over: Partial<AgentRequest> = {}) => runAgentLoop(agentRequest(over), { client, heartbeat: (d) => heartbeats.push(d) });

/** The tool_result blocks the server received in the request after the given turn. */
function resultsSentAfterTurn(turn: number) {
  return toolResults(requests()[turn]!.body);
}

describe('agent loop', () => {
  it('returns the final text of a plain answer', async () => {
    server.setResponder(scripted(reply(text('The answer'), text(' is 42.'))));
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'The answer is 42.', turns: 1, lastToolCall: null, error: null });
    expect(requests()).toHaveLength(1);
    expect(requests()[0]!.reply.kind).toBe('message');
    expect(requests()[0]!.body.stream).toBe(true);
    expect(heartbeats.length).toBeGreaterThan(0);
  });

  it('answers with the default echo responder', async () => {
    server.setResponder(echoResponder);
    const outcome = await run({ prompt: 'ping' });
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'echo: ping', turns: 1 });
  });

  it('reads a file and sends back numbered lines before answering', async () => {
    server.setResponder(scripted(reply(toolUse('Read', { file_path: 'notes.txt' })), reply(text('It has two lines.'))));
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'It has two lines.', turns: 2, lastToolCall: 'Read {"file_path":"notes.txt"}' });
    const [result] = resultsSentAfterTurn(1);
    expect(result).toMatchObject({ type: 'tool_result', content: '     1\tfirst line\n     2\tsecond line' });
    expect(result!.is_error).toBeUndefined();
  });

  it('runs Glob and Grep and answers every tool_use of a turn in one user message', async () => {
    server.setResponder(
      scripted(
        reply(text('Searching.'), toolUse('Glob', { pattern: 'src/*.ts' }), toolUse('Grep', { pattern: 'TODO', output_mode: 'content' })),
        reply(text('One TODO in src/a.ts.')),
      ),
    );
    const outcome = await run({ prompt: 'Find TODOs' });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.lastToolCall).toBe('Grep {"pattern":"TODO","output_mode":"content"}');
    const lastUser = requests()[1]!.body.messages.at(-1)!;
    expect(lastUser.role).toBe('user');
    const contents = (lastUser.content as Array<{ type: string; content?: string }>).map((b) => [b.type, b.content]);
    expect(contents).toEqual([
      ['tool_result', expect.stringMatching(/^src\/(a|b)\.ts\nsrc\/(a|b)\.ts$/)],
      ['tool_result', 'src/a.ts:1:export const a = 1; // TODO: rename'],
    ]);
  });

  it('sums usage over every model call', async () => {
    server.setResponder(scripted(reply(toolUse('Glob', { pattern: '**/*' })), reply(toolUse('Read', { file_path: 'src/b.ts' })), reply(text('done'))));
    const outcome = await run();
    const usages = requests().map((r) => (r.reply.kind === 'message' ? r.reply.usage : null));
    expect(usages.every(Boolean)).toBe(true);
    const sum = (f: (u: NonNullable<(typeof usages)[number]>) => number | null | undefined) => usages.reduce((n, u) => n + (f(u!) ?? 0), 0);
    expect(outcome.turns).toBe(3);
    expect(outcome.usage).toEqual({
      input: sum((u) => u.input_tokens),
      output: sum((u) => u.output_tokens),
      cacheRead: sum((u) => u.cache_read_input_tokens),
      cacheWrite: sum((u) => u.cache_creation_input_tokens),
    });
    expect(outcome.usage.output).toBeGreaterThan(0);
    // The second and third calls reread the tools + system prefix the first one cached.
    expect(outcome.usage.cacheRead).toBeGreaterThan(0);
  });

  it('marks the tools, the system prompt and the newest message as cache breakpoints', async () => {
    server.setResponder(scripted(reply(toolUse('Read', { file_path: 'notes.txt' })), reply(text('ok'))));
    await run();
    for (const { body } of requests()) {
      expect(body.tools!.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
      expect(body.tools!.slice(0, -1).every((t) => t.cache_control === undefined)).toBe(true);
      expect(body.system).toEqual([expect.objectContaining({ type: 'text', cache_control: { type: 'ephemeral' } })]);
      const marked = body.messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content)).filter((b) => b.cache_control);
      expect(marked).toHaveLength(1);
      const newest = body.messages.at(-1)!.content as Array<{ cache_control?: unknown }>;
      expect(newest.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    }
  });

  it('lets a fan-out share the cached prefix', async () => {
    server.setResponder(() => reply(text('ok')));
    await run({ agentId: 'a1', prompt: 'task one' });
    const second = await run({ agentId: 'a2', prompt: 'a different task' });
    expect(second.usage.cacheRead).toBeGreaterThan(1000);
    const [a, b] = requests();
    expect(JSON.stringify([a!.body.tools, a!.body.system])).toBe(JSON.stringify([b!.body.tools, b!.body.system]));
  });

  it('describes its role to the model in a system prompt', async () => {
    server.setResponder(scripted(reply(text('ok'))));
    await run();
    const system = (requests()[0]!.body.system as Array<{ text: string }>)[0]!.text;
    expect(system).toContain('subagent');
    expect(system).toContain('final message is your return value');
    expect(requests()[0]!.body.tools!.map((t) => t.name)).toEqual(['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash']);
  });

  it.each([
    [['Grep'], ['Grep']],
    [
      ['Glob', 'Read', 'WebFetch'],
      ['Read', 'Glob'],
    ],
  ])('narrows the tools to %j', async (tools, offered) => {
    server.setResponder(scripted(reply(text('ok'))));
    await run({ tools });
    expect(requests()[0]!.body.tools!.map((t) => t.name)).toEqual(offered);
  });

  it('sends no tools when the request narrows to none', async () => {
    server.setResponder(scripted(reply(text('ok'))));
    expect(await run({ tools: [] })).toMatchObject({ status: 'succeeded', result: 'ok' });
    expect(requests()[0]!.body.tools).toBeUndefined();
  });

  it('passes effort through as output_config', async () => {
    server.setResponder(scripted(reply(text('ok'))));
    await run({ effort: 'low' });
    expect(requests()[0]!.body.output_config).toEqual({ effort: 'low' });
  });

  describe.each([
    ['an absolute path outside', { file_path: '<outside>/secret.txt' }, 'is outside the workspace'],
    ['a ../ escape', { file_path: '../secret.txt' }, 'is outside the workspace'],
    ['a symlink leading out', { file_path: 'leak.txt' }, 'The path leak.txt is outside the workspace'],
  ])('refuses %s', (_name, input, message) => {
    it('with an is_error tool_result, and the loop carries on', async () => {
      const file_path = input.file_path.replace('<outside>', outside);
      server.setResponder(scripted(reply(toolUse('Read', { file_path })), reply(text('I cannot read that.'))));
      const outcome = await run();
      expect(outcome).toMatchObject({ status: 'succeeded', result: 'I cannot read that.', turns: 2 });
      const [result] = resultsSentAfterTurn(1);
      expect(result).toMatchObject({ is_error: true, content: expect.stringContaining(message) });
      expect(result!.content).toContain(`workspace ${root}`);
      expect(JSON.stringify(requests())).not.toContain('top secret');
    });
  });

  it('runs an allowed Bash command and refuses the rest, naming the rule that would allow it', async () => {
    server.setResponder(
      scripted(
        reply(toolUse('Bash', { command: 'cat notes.txt' }), toolUse('Bash', { command: 'cat notes.txt && curl example.com' })),
        reply(text('Read it; curl is not allowed.')),
      ),
    );
    const outcome = await run({ allow: ['Bash(cat:*)'] });
    expect(outcome).toMatchObject({ status: 'succeeded', turns: 2 });
    const [allowed, refused] = resultsSentAfterTurn(1);
    expect(allowed).toMatchObject({ content: 'first line\nsecond line' });
    expect(allowed!.is_error).toBeUndefined();
    expect(refused).toMatchObject({
      is_error: true,
      content: expect.stringContaining(
        `Permission denied: Bash command "curl example.com" (part of "cat notes.txt && curl example.com") is not allowed in this run. ` +
          `To allow it, start the run with --allow 'Bash(curl:*)'`,
      ),
    });
  });

  it('fails with InvalidPermissionRule for a malformed allow rule, before calling the model', async () => {
    server.setResponder(scripted());
    const outcome = await run({ allow: ['Bash(npm test'] });
    expect(outcome).toMatchObject({ status: 'failed', turns: 0, error: { type: 'InvalidPermissionRule' } });
    expect(requests()).toHaveLength(0);
  });

  it('reports a tool input that fails its schema as an is_error tool_result', async () => {
    server.setResponder(scripted(reply(toolUse('Grep', { pattern: 7 })), reply(text('ok'))));
    const outcome = await run();
    expect(outcome.status).toBe('succeeded');
    expect(resultsSentAfterTurn(1)[0]).toMatchObject({ is_error: true, content: expect.stringContaining('/pattern: must be string') });
  });

  it('fails with MaxTurnsExceeded when the turns run out, keeping the usage spent', async () => {
    server.setResponder(() => reply(toolUse('Glob', { pattern: '**/*.ts' })));
    const outcome = await run({ maxTurns: 3 });
    expect(outcome).toMatchObject({ status: 'failed', result: null, turns: 3, lastToolCall: 'Glob {"pattern":"**/*.ts"}' });
    expect(outcome.error).toEqual({ type: 'MaxTurnsExceeded', message: expect.stringContaining('used all 3 turns') });
    expect(outcome.usage.output).toBeGreaterThan(0);
    expect(requests()).toHaveLength(3);
  });

  it('fails with WorkspaceUnavailable before calling the model', async () => {
    server.setResponder(scripted());
    const outcome = await run({ workspace: path.join(root, 'missing') });
    expect(outcome).toMatchObject({ status: 'failed', turns: 0, error: { type: 'WorkspaceUnavailable' } });
    expect(outcome.error!.message).toContain(path.join(root, 'missing'));
    expect(requests()).toHaveLength(0);
  });

  it('fails with ModelRequestRejected and the API message on a 400', async () => {
    server.setResponder(scripted(reply(toolUse('Glob', { pattern: '*' })), badRequest('prompt is too long: 300000 tokens > 200000 maximum')));
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'failed', turns: 1, error: { type: 'ModelRequestRejected' } });
    expect(outcome.error!.message).toContain('prompt is too long: 300000 tokens > 200000 maximum');
    expect(outcome.usage.output).toBeGreaterThan(0);
  });

  it('fails with UnknownAgentType for a profile that does not exist', async () => {
    const outcome = await run({ agentType: 'Wizard' });
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { type: 'UnknownAgentType', message: expect.stringContaining("agent type 'Wizard' not found. Available agents:") },
    });
  });

  it('throws a provider fault for Temporal to retry rather than failing the agent', async () => {
    server.setResponder(scripted(reply(toolUse('Glob', { pattern: '*' })), overloaded()));
    await expect(run()).rejects.toBeInstanceOf(ModelOverloaded);
  });

  it('keeps heartbeating while it waits for a slow model', async () => {
    server.setResponder(scripted(reply(toolUse('Glob', { pattern: '*' })), { ...reply(text('slow')), delayMs: 600 }));
    const beats: Array<{ turns: number }> = [];
    const outcome = await runAgentLoop(agentRequest(), { client, heartbeat: (d) => beats.push(d), heartbeatIntervalMs: 50 });
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'slow' });
    // Turn 2 is in flight for 600 ms: only the pulse can have sent these.
    expect(beats.filter((b) => b.turns === 1).length).toBeGreaterThanOrEqual(5);
  });

  it('gives up on a stalled stream as a retryable ModelUnavailable', async () => {
    server.setResponder(scripted({ stallMs: 5_000 }));
    const started = Date.now();
    const attempt = runAgentLoop(agentRequest(), { client, heartbeat: () => {}, streamIdleTimeoutMs: 300 });
    await expect(attempt).rejects.toBeInstanceOf(ModelUnavailable);
    await expect(attempt).rejects.toThrow('stalled');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
