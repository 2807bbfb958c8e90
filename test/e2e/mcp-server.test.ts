// `baton mcp` driven as Claude Code drives it: the MCP SDK's own client over stdio, against a
// real dev server, a `baton worker` process and the test model.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { echoResponder, startModelServer, type ModelServer } from '../model-server/index.js';
import { cliEnv, startWorkerProcess, type WorkerProcess } from './cli-process.js';

const batonBin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const META = (name: string) => `export const meta = { name: '${name}', description: 'an MCP test' }\n`;

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
let dir: string;
const clients: Client[] = [];

/** A `baton mcp` process with an SDK client connected to it; closed in afterAll. */
async function connect(processEnv: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'baton-mcp-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [batonBin, 'mcp'], env: processEnv, cwd: dir, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const textOf = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

/** Polls baton_status until the run is in one of `statuses`. */
async function statusUntil(client: Client, run: string, statuses: string[]): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await call(client, 'baton_status', { run });
    expect(status.isError, textOf(status)).toBeFalsy();
    const summary = status.structuredContent as Record<string, unknown>;
    if (statuses.includes(summary.status as string)) return summary;
    if (Date.now() > deadline) throw new Error(`run ${run} still ${String(summary.status)}: ${textOf(status)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  modelServer = await startModelServer({ responder: echoResponder });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
  dir = mkdtempSync(join(tmpdir(), 'baton-mcp-'));
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await worker?.stop();
  await modelServer?.close();
});

describe('baton mcp', () => {
  it('offers the six tools, with input and output schemas', async () => {
    const client = await connect(env);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['baton_approve', 'baton_list', 'baton_result', 'baton_run', 'baton_status', 'baton_stop']);
    const run = tools.find((t) => t.name === 'baton_run')!;
    expect(Object.keys(run.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['script', 'name', 'scriptPath', 'args', 'resumeFromRunId', 'model', 'concurrency', 'budgetTokens', 'maxCost', 'allow', 'workspace', 'repo']));
    expect(run.outputSchema).toBeDefined();
  });

  it('baton_run answers at once with the id and the card; status, result and list follow the run', async () => {
    const client = await connect(env);
    const script = `${META('mcp-echo')}log('topic ' + args.topic)\nconst a = await agent('Summarise ' + args.topic)\nreturn { a }\n`;
    const started = await call(client, 'baton_run', { script, args: { topic: 'tides' }, concurrency: 2, allow: ['Bash(npm test:*)'] });
    expect(started.isError, textOf(started)).toBeFalsy();
    const out = started.structuredContent as { workflowId: string; runId: string; status: string; card: string };
    expect(out.status).toBe('running');
    expect(out.workflowId).toMatch(/^mcp-echo-/);
    expect(out.card).toContain('mcp-echo: an MCP test');
    expect(out.card).toContain('Bash(npm test:*)');
    expect(out.card).toContain('2 at once');
    expect(textOf(started)).toContain(`started ${out.workflowId}`);

    const ended = await statusUntil(client, out.workflowId, ['completed', 'failed']);
    expect(ended).toMatchObject({ status: 'completed', agents: expect.objectContaining({ total: 1, succeeded: 1 }) });
    expect(ended.logs).toEqual(['topic tides']);

    const result = await call(client, 'baton_result', { run: out.workflowId });
    expect(result.structuredContent).toMatchObject({ status: 'completed', result: { a: 'echo: Summarise tides' } });
    // Temporal's run id names the same run.
    const byRunId = await call(client, 'baton_result', { run: out.runId });
    expect(byRunId.structuredContent).toMatchObject({ workflowId: out.workflowId, result: { a: 'echo: Summarise tides' } });

    const list = await call(client, 'baton_list', { limit: 50 });
    const runs = (list.structuredContent as { runs: Array<{ workflowId: string }> }).runs;
    expect(runs.map((r) => r.workflowId)).toContain(out.workflowId);
  });

  it('a script that waits at approve(): status waiting, baton_approve lets it go on', async () => {
    const client = await connect(env);
    const script = `${META('mcp-approve')}const ok = await approve('Ship it?')\nreturn { ok }\n`;
    const started = await call(client, 'baton_run', { script });
    const { workflowId } = started.structuredContent as { workflowId: string };
    await statusUntil(client, workflowId, ['waiting']);
    const answer = await call(client, 'baton_approve', { run: workflowId });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    const ended = await statusUntil(client, workflowId, ['completed']);
    expect(ended.result).toEqual({ ok: true });
  });

  it('baton_stop stops a waiting run', async () => {
    const client = await connect(env);
    const started = await call(client, 'baton_run', { script: `${META('mcp-stop')}return await approve('Wait forever?')\n` });
    const { workflowId } = started.structuredContent as { workflowId: string };
    await statusUntil(client, workflowId, ['waiting']);
    const stop = await call(client, 'baton_stop', { run: workflowId });
    expect(stop.isError, textOf(stop)).toBeFalsy();
    await statusUntil(client, workflowId, ['stopped']);
  });

  it('baton_run takes a saved workflow by name, or a script file by path', async () => {
    mkdirSync(join(dir, '.claude', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.claude', 'workflows', 'greet.js'), `${META('greet')}return await agent('Greet ' + args.who)\n`);
    writeFileSync(join(dir, 'wave.js'), `${META('wave')}return await agent('Wave at ' + args.who)\n`);
    const client = await connect(env);
    const byName = await call(client, 'baton_run', { name: 'greet', args: { who: 'Ada' } });
    const byPath = await call(client, 'baton_run', { scriptPath: 'wave.js', args: { who: 'Bob' } });
    expect(byName.isError, textOf(byName)).toBeFalsy();
    expect(byPath.isError, textOf(byPath)).toBeFalsy();
    const greeted = await statusUntil(client, (byName.structuredContent as { workflowId: string }).workflowId, ['completed']);
    const waved = await statusUntil(client, (byPath.structuredContent as { workflowId: string }).workflowId, ['completed']);
    expect([greeted.result, waved.result]).toEqual(['echo: Greet Ada', 'echo: Wave at Bob']);
    const neither = await call(client, 'baton_run', { args: {} });
    expect(neither.isError).toBe(true);
    expect(textOf(neither)).toContain('baton_run takes one of: script');
  });

  it('a script that does not compile is a tool error naming file:line:column', async () => {
    const client = await connect(env);
    const result = await call(client, 'baton_run', { name: 'broken', script: `${META('broken')}const x = ;\n` });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/broken\.js:2:\d+: /);
    const file = join(dir, 'bad.js');
    writeFileSync(file, `${META('bad')}\nawait agent('x', { isolation: 'worktreee' })\nimport x from 'y'\n`);
    const fromFile = await call(client, 'baton_run', { scriptPath: 'bad.js' });
    expect(fromFile.isError).toBe(true);
    expect(textOf(fromFile)).toContain('bad.js:');
  });

  it('an unknown run is a tool error that says how to find runs', async () => {
    const client = await connect(env);
    const result = await call(client, 'baton_status', { run: 'no-such-run-42' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('no-such-run-42');
    expect(textOf(result)).toContain('baton_list');
  });

  it('args given as a string of JSON start the run with a warning on the card', async () => {
    const client = await connect(env);
    const started = await call(client, 'baton_run', { script: `${META('mcp-args')}return typeof args\n`, args: '{"topic":"tides"}' });
    expect(started.isError, textOf(started)).toBeFalsy();
    const out = started.structuredContent as { workflowId: string; card: string; warnings: string[] };
    expect(out.card).toContain('args is a string holding JSON (an object)');
    expect(out.warnings.join('\n')).toContain('Pass an object itself');
    await statusUntil(client, out.workflowId, ['completed']);
  });

  it('resuming from a run still open is refused; from an ended one reuses its calls', async () => {
    const client = await connect(env);
    const waiting = await call(client, 'baton_run', { script: `${META('mcp-open')}return await approve('Hold?')\n` });
    const open = (waiting.structuredContent as { workflowId: string }).workflowId;
    await statusUntil(client, open, ['waiting']);
    const refused = await call(client, 'baton_run', { script: `${META('mcp-open')}return 1\n`, resumeFromRunId: open });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('is still running');
    await call(client, 'baton_stop', { run: open });

    const script = `${META('mcp-resume')}return [await agent('one ' + args.n), await agent('two ' + args.n)]\n`;
    const first = await call(client, 'baton_run', { script, args: { n: 7 } });
    const firstId = (first.structuredContent as { workflowId: string }).workflowId;
    await statusUntil(client, firstId, ['completed']);
    const again = await call(client, 'baton_run', { script, resumeFromRunId: firstId });
    expect(again.isError, textOf(again)).toBeFalsy();
    expect((again.structuredContent as { card: string }).card).toContain(`from ${firstId}: 2 agent results to reuse`);
    const ended = await statusUntil(client, (again.structuredContent as { workflowId: string }).workflowId, ['completed']);
    expect(ended.agents).toMatchObject({ total: 2, cached: 2 });
    expect(ended.result).toEqual(['echo: one 7', 'echo: two 7']);
  });

  it('a server that is not up is a tool error saying how to start one', async () => {
    const client = await connect({ ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    const result = await call(client, 'baton_list', {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Cannot reach Temporal at 127.0.0.1:1');
    expect(textOf(result)).toContain('baton up');
  });
});
