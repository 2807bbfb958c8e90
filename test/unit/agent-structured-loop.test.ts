// `agent({ schema })` end to end against the model server: the StructuredOutput tool, its
// validation, and the retries the model gets when its answer does not match.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAgentLoop } from '../../activities/agent-loop.js';
import type { AgentRequest } from '../../contract/run-types.js';
import {
  echoResponder,
  reply,
  scripted,
  startModelServer,
  structured,
  text,
  toolResults,
  toolUse,
  type ModelServer,
  type RecordedRequest,
} from '../model-server/index.js';

const REVIEW_SCHEMA = {
  type: 'object',
  properties: {
    summary: { type: 'string' },
    findings: {
      type: 'array',
      items: { type: 'object', properties: { title: { type: 'string' }, line: { type: 'integer' } }, required: ['title', 'line'] },
    },
  },
  required: ['summary', 'findings'],
};
const GOOD = { summary: 'one issue', findings: [{ title: 'unused export', line: 1 }] };
const BAD_TITLE = { summary: 'x', findings: [{ title: 5, line: 1 }] };

let server: ModelServer;
let client: Anthropic;
let root: string;
let firstOfTest = 0;

beforeAll(async () => {
  server = await startModelServer();
  client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  root = await mkdtemp(path.join(tmpdir(), 'baton-structured-'));
  await writeFile(path.join(root, 'a.ts'), 'export const a = 1;\n');
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  firstOfTest = server.requests.length;
});

function requests(): RecordedRequest[] {
  return server.requests.slice(firstOfTest);
}

function run(over: Partial<AgentRequest> = {}) {
  const request: AgentRequest = {
    runId: 'run-1',
    agentId: 'a1',
    prompt: 'Review a.ts',
    label: 'review',
    phase: null,
    model: 'claude-haiku-5-5',
    workspace: root,
    allow: [],
    schema: REVIEW_SCHEMA,
    ...over,
  };
  return runAgentLoop(request, { client, heartbeat: () => {} });
}

describe('structured output', () => {
  it('offers StructuredOutput with the schema and asks the model to finish with it', async () => {
    server.setResponder(scripted(reply(structured(GOOD))));
    await run();
    const body = requests()[0]!.body;
    const tool = body.tools!.find((t) => t.name === 'StructuredOutput');
    expect(tool!.input_schema).toEqual(REVIEW_SCHEMA);
    expect(body.tools!.at(-1)!.name).toBe('StructuredOutput');
    const firstUser = body.messages[0]!.content as Array<{ text: string }>;
    expect(firstUser.map((b) => b.text)).toEqual(['Review a.ts', expect.stringContaining('call the StructuredOutput tool')]);
  });

  it('returns the validated object on the first try, without another model call', async () => {
    server.setResponder(scripted(reply(toolUse('Read', { file_path: 'a.ts' })), reply(structured(GOOD))));
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'succeeded', result: GOOD, turns: 2 });
    expect(outcome.lastToolCall).toMatch(/^StructuredOutput \{"summary":"one issue"/);
    expect(requests()).toHaveLength(2);
  });

  it('answers with the echo responder, which fills the schema', async () => {
    server.setResponder(echoResponder);
    const outcome = await run();
    expect(outcome.status).toBe('succeeded');
    expect(outcome.result).toMatchObject({ summary: expect.any(String), findings: expect.any(Array) });
  });

  it('sends a mismatch back naming the path, and succeeds on the third try', async () => {
    server.setResponder(scripted(reply(structured(BAD_TITLE)), reply(structured({ summary: 'x' })), reply(structured(GOOD))));
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'succeeded', result: GOOD, turns: 3 });
    const [first] = toolResults(requests()[1]!.body);
    expect(first).toMatchObject({ is_error: true, content: expect.stringContaining('/findings/0/title: must be string') });
    expect(first!.content).toContain('attempt 2 of 5');
    const [second] = toolResults(requests()[2]!.body);
    expect(second).toMatchObject({ is_error: true, content: expect.stringContaining("/: must have required property 'findings'") });
  });

  it('fails with SchemaValidationFailed after 5 attempts, with the last error', async () => {
    server.setResponder(() => reply(structured(BAD_TITLE)));
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'failed', result: null, turns: 5, error: { type: 'SchemaValidationFailed' } });
    expect(outcome.error!.message).toContain('after 5 attempts');
    expect(outcome.error!.message).toContain('/findings/0/title: must be string');
    expect(requests()).toHaveLength(5);
    expect(outcome.usage.input + outcome.usage.cacheRead + outcome.usage.cacheWrite).toBeGreaterThan(0);
  });

  it('reminds a model that answered in prose, counting it as an attempt', async () => {
    server.setResponder(scripted(reply(text('Looks fine to me.')), reply(structured(GOOD))));
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'succeeded', result: GOOD, turns: 2 });
    const reminder = requests()[1]!.body.messages.at(-1)!;
    expect(reminder.role).toBe('user');
    expect(JSON.stringify(reminder.content)).toContain('You have not called the StructuredOutput tool');
  });

  it('fails when the model never calls StructuredOutput', async () => {
    server.setResponder(() => reply(text('No.')));
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'failed', turns: 5, error: { type: 'SchemaValidationFailed' } });
    expect(outcome.error!.message).toContain('without calling StructuredOutput');
  });

  it('runs the other tools of the turn before accepting the answer', async () => {
    server.setResponder(scripted(reply(toolUse('Glob', { pattern: '*.ts' }), structured(BAD_TITLE)), reply(structured(GOOD))));
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'succeeded', result: GOOD });
    const results = toolResults(requests()[1]!.body);
    expect(results.map((r) => [r.is_error ?? false, typeof r.content === 'string' ? r.content.split('\n')[0] : ''])).toEqual([
      [false, 'a.ts'],
      [true, 'The input does not match the schema:'],
    ]);
  });

  it.each([
    ['an array', { type: 'array', items: { type: 'string' }, minItems: 1 }, ['a.ts'], []],
    ['a number', { type: 'number' }, 3, 'three'],
  ])('wraps %s schema as {value} and unwraps the answer', async (_name, schema, good, bad) => {
    server.setResponder(scripted(reply(structured({ value: bad })), reply(structured({ value: good }))));
    const outcome = await run({ schema });
    expect(outcome).toMatchObject({ status: 'succeeded', result: good });
    expect(requests()[0]!.body.tools!.at(-1)!.input_schema).toMatchObject({ type: 'object', properties: { value: schema }, required: ['value'] });
    expect(toolResults(requests()[1]!.body)[0]).toMatchObject({ is_error: true, content: expect.stringContaining('/value') });
  });

  it('fails with InvalidSchema for a schema ajv cannot compile', async () => {
    const outcome = await run({ schema: { type: 'object', properties: { a: { type: 'bogus' } } } });
    expect(outcome).toMatchObject({ status: 'failed', turns: 0, error: { type: 'InvalidSchema' } });
  });
});
