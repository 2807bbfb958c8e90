// `baton mcp` driven as Claude Code and other MCP clients drive it: the MCP SDK's own client over
// stdio, which validates every structured answer against the tool's declared outputSchema (as the
// MCP specification asks), against a real dev server, a `baton worker` process and the test model.
// The model: `[write=F]` writes F (in a worktree it becomes a branch), `[slow]` takes 20 s to
// answer, anything else is echoed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { echoResponder, firstUserText, reply, startModelServer, text, toolResults, toolUse, type ModelServer, type Responder } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';

const batonBin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const META = (name: string) => `export const meta = { name: '${name}', description: 'an MCP test' }\n`;

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
let dir: string;
const clients: Client[] = [];

const responder: Responder = (request, ctx) => {
  const prompt = firstUserText(request);
  const write = /\[write=([^\]]+)\]/.exec(prompt)?.[1];
  if (write && toolResults(request).length === 0) return reply(toolUse('Write', { file_path: write, content: `written for ${write}\n` }));
  if (prompt.includes('[slow]')) return { ...reply(text('slowly done')), delayMs: 20_000 };
  return echoResponder(request, ctx);
};

/**
 * A `baton mcp` process with an SDK client connected to it; closed in afterAll. It lists the tools
 * first, as clients do: that is when the SDK client learns each outputSchema it then enforces.
 */
async function connect(processEnv: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'baton-mcp-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [batonBin, 'mcp'], env: processEnv, cwd: dir, stderr: 'pipe' }));
  clients.push(client);
  await client.listTools();
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const textOf = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

/** A routine error reads as one line of text: no stack, no second block. */
function expectOneLine(result: CallToolResult): void {
  expect(result.content).toHaveLength(1);
  expect(textOf(result)).not.toContain('\n');
  expect(textOf(result)).not.toMatch(/\bat .+:\d+:\d+/);
}

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
  modelServer = await startModelServer({ responder });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
  dir = mkdtempSync(join(tmpdir(), 'baton-mcp-'));
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await worker?.stop();
  await modelServer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (env) rmSync(env.BATON_HOME!, { recursive: true, force: true });
});

describe('baton mcp', () => {
  it('offers the six tools, with input and output schemas', async () => {
    const client = await connect(env);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['baton_approve', 'baton_list', 'baton_result', 'baton_run', 'baton_status', 'baton_stop']);
    const run = tools.find((t) => t.name === 'baton_run')!;
    expect(Object.keys(run.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining([
        'script',
        'name',
        'scriptPath',
        'args',
        'resumeFromRunId',
        'model',
        'concurrency',
        'budgetTokens',
        'maxCost',
        'allow',
        'workspace',
        'repo',
      ]),
    );
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

  it('an unknown run is a one-line tool error from every tool that takes a run, saying how to find runs', async () => {
    const client = await connect(env);
    for (const [tool, args] of [
      ['baton_status', { run: 'no-such-run-42' }],
      ['baton_result', { workflowId: 'no-such-run-42' }],
      ['baton_stop', { run: 'no-such-run-42' }],
      ['baton_approve', { workflowId: 'no-such-run-42' }],
    ] as const) {
      const result = await call(client, tool, args);
      expect(result.isError, tool).toBe(true);
      expectOneLine(result);
      expect(textOf(result)).toContain('no-such-run-42');
      // What to try next: find the run, or read what became of it.
      expect(textOf(result)).toMatch(/baton_list|baton_status \{ run: "no-such-run-42" \}/);
    }
    const nameless = await call(client, 'baton_status', {});
    expect(nameless.isError).toBe(true);
    expect(textOf(nameless)).toBe('baton_status needs the run: give run, the workflowId baton_run answered (baton_list lists runs).');
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

  it('a server that is not up is a one-line tool error from every tool, saying how to start one', async () => {
    const client = await connect({ ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    for (const [tool, args] of [
      ['baton_run', { script: `${META('mcp-down')}return 1\n` }],
      ['baton_status', { run: 'some-run' }],
      ['baton_result', { workflowId: 'some-run' }],
      ['baton_stop', { run: 'some-run' }],
      ['baton_list', {}],
      ['baton_approve', { run: 'some-run' }],
    ] as const) {
      const result = await call(client, tool, args);
      expect(result.isError, tool).toBe(true);
      expectOneLine(result);
      expect(textOf(result)).toContain('Cannot reach Temporal at 127.0.0.1:1');
      expect(textOf(result)).toContain('baton up');
    }
  });
});

// Every tool's answer on runs in each state, through the validating client: a structured answer
// that strayed from its outputSchema would make callTool throw here.
describe('baton mcp answers in every state of a run', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    }).trim();

  it('declares an outputSchema for each tool that names the fields its answers carry', async () => {
    const client = await connect(env);
    const { tools } = await client.listTools();
    const fields = Object.fromEntries(tools.map((t) => [t.name, Object.keys(t.outputSchema?.properties ?? {})]));
    expect(fields.baton_run).toEqual(['workflowId', 'runId', 'status', 'card', 'warnings', 'uiUrl']);
    expect(fields.baton_status).toEqual(
      expect.arrayContaining(['workflowId', 'status', 'phases', 'agentList', 'branches', 'approvals', 'pausedReason', 'budget', 'logs', 'error', 'result']),
    );
    expect(fields.baton_result).toEqual(['workflowId', 'runId', 'status', 'result', 'error']);
    expect(fields.baton_stop).toEqual(['workflowId', 'status', 'message']);
    expect(fields.baton_approve).toEqual(['workflowId', 'status', 'message']);
    expect(fields.baton_list).toEqual(['runs']);
    // Tools that take a run take it under either name.
    for (const name of ['baton_status', 'baton_result', 'baton_stop', 'baton_approve']) {
      expect(Object.keys(tools.find((t) => t.name === name)!.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['run', 'workflowId']));
    }
  });

  it('completed with phases and a branch: status shows both, result the return value', async () => {
    const workspace = mkdtempSync(join(dir, 'repo-'));
    git(workspace, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(workspace, 'README'), 'a repository\n');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '--quiet', '-m', 'first');
    const client = await connect(env);
    const script = [
      "export const meta = { name: 'mcp-phases', description: 'write, then check', phases: [{ title: 'Write' }, { title: 'Check' }] }",
      "phase('Write')",
      "const wrote = await agent('Write the notes [write=notes.txt]', { isolation: 'worktree', label: 'writer' })",
      "phase('Check')",
      "const checked = await agent('Check the notes')",
      "log('both phases done')",
      'return { wrote, checked }',
    ].join('\n');
    const started = await call(client, 'baton_run', { script, workspace });
    expect(started.isError, textOf(started)).toBeFalsy();
    const { workflowId } = started.structuredContent as { workflowId: string };
    const ended = await statusUntil(client, workflowId, ['completed', 'failed']);

    expect(ended.status).toBe('completed');
    expect((ended.phases as Array<{ title: string; agents: number }>).map((p) => [p.title, p.agents])).toEqual([
      ['Write', 1],
      ['Check', 1],
    ]);
    const branches = ended.branches as Array<{ agentId: string; label: string; branch: string }>;
    expect(branches).toHaveLength(1);
    expect(branches[0]).toMatchObject({ agentId: 'a1', label: 'writer' });
    // The branch is real: it holds the file the agent wrote.
    expect(git(workspace, 'show', `${branches[0]!.branch}:notes.txt`)).toBe('written for notes.txt');
    expect((ended.agentList as Array<{ id: string; state: string; phase: string }>).map((a) => [a.id, a.state, a.phase])).toEqual([
      ['a1', 'succeeded', 'Write'],
      ['a2', 'succeeded', 'Check'],
    ]);
    expect(ended.logs).toEqual(['both phases done']);

    const status = await call(client, 'baton_status', { workflowId });
    expect(textOf(status)).toContain('✓ completed: 2 agents');
    expect(textOf(status)).toContain(`⎇ 1 branch: ${branches[0]!.branch}`);
    const result = await call(client, 'baton_result', { workflowId });
    expect(result.structuredContent).toEqual({
      workflowId,
      runId: ended.runId,
      status: 'completed',
      result: { wrote: 'done: 1 tool result(s) received', checked: 'echo: Check the notes' },
      error: null,
    });
  });

  it('failed: status and result carry the script error with its line', async () => {
    const client = await connect(env);
    const started = await call(client, 'baton_run', { script: `${META('mcp-fail')}await agent('first')\nthrow new Error('the checks did not pass')\n` });
    const { workflowId } = started.structuredContent as { workflowId: string };
    const ended = await statusUntil(client, workflowId, ['completed', 'failed']);
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatchObject({ type: 'Error', message: 'the checks did not pass', line: 3 });
    expect(ended.agents).toMatchObject({ total: 1, succeeded: 1 });
    const result = await call(client, 'baton_result', { run: workflowId });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'failed', result: null, error: { message: 'the checks did not pass', line: 3 } });
    expect(textOf(result)).toContain('✗ run failed: Error: the checks did not pass (line 3');
  });

  it('waiting at approve(): status shows the question, result has none yet, baton_approve by workflowId answers it', async () => {
    const client = await connect(env);
    const started = await call(client, 'baton_run', { script: `${META('mcp-wait')}const ok = await approve('Deploy to staging?')\nreturn { ok }\n` });
    const { workflowId } = started.structuredContent as { workflowId: string };
    const waiting = await statusUntil(client, workflowId, ['waiting']);
    expect(waiting.approvals).toEqual([expect.objectContaining({ id: 'q1', message: 'Deploy to staging?', state: 'waiting', answer: null })]);
    const early = await call(client, 'baton_result', { workflowId });
    expect(early.structuredContent).toMatchObject({ status: 'waiting', result: null, error: null });
    expect(textOf(early)).toContain('is still waiting: no result yet');

    const answer = await call(client, 'baton_approve', { workflowId, id: 'q1' });
    expect(answer.isError, textOf(answer)).toBeFalsy();
    expect(answer.structuredContent).toMatchObject({ workflowId, status: expect.any(String), message: expect.any(String) });
    const ended = await statusUntil(client, workflowId, ['completed']);
    expect(ended.result).toEqual({ ok: true });
    expect(ended.approvals).toEqual([expect.objectContaining({ id: 'q1', state: 'approved', answer: true })]);
  });

  it('running, then paused, then stopped: each status as it is; list shows them', async () => {
    const client = await connect(env);
    const started = await call(client, 'baton_run', {
      script: `${META('mcp-slow')}const a = await agent('Think it over [slow]')\nreturn await agent('then this')\n`,
    });
    const { workflowId } = started.structuredContent as { workflowId: string };
    const running = await statusUntil(client, workflowId, ['running']);
    expect(running).toMatchObject({ status: 'running', endedAt: null });
    const early = await call(client, 'baton_result', { workflowId });
    expect(early.structuredContent).toMatchObject({ status: 'running', result: null });

    const paused = await runCli(['pause', workflowId], { env });
    expect(paused.code, paused.stderr).toBe(0);
    const held = await statusUntil(client, workflowId, ['paused']);
    expect(held.pausedReason).toEqual(expect.any(String));
    expect(textOf(await call(client, 'baton_status', { run: workflowId }))).toContain('paused: ');

    const listed = await call(client, 'baton_list', { limit: 100 });
    const runs = (listed.structuredContent as { runs: Array<{ workflowId: string; name: string }> }).runs;
    expect(runs.find((r) => r.workflowId === workflowId)).toMatchObject({ name: 'mcp-slow' });

    const stop = await call(client, 'baton_stop', { workflowId });
    expect(stop.isError, textOf(stop)).toBeFalsy();
    expect(stop.structuredContent).toMatchObject({ workflowId, message: expect.any(String) });
    const stopped = await statusUntil(client, workflowId, ['stopped']);
    expect(stopped.agents).toMatchObject({ total: 1, stopped: 1 });
    const result = await call(client, 'baton_result', { run: workflowId });
    expect(result.structuredContent).toMatchObject({ status: 'stopped' });
    expect(textOf(result)).toContain('■ 1 of 1 agents stopped');
  });

  it('every tool on runs in each state: list shows each status, result each answer, stop and approve on an ended run or with nothing to answer are one-line errors', async () => {
    const client = await connect(env);
    const start = async (name: string, body: string) => {
      const started = await call(client, 'baton_run', { script: `${META(name)}${body}` });
      expect(started.isError, textOf(started)).toBeFalsy();
      return (started.structuredContent as { workflowId: string }).workflowId;
    };
    const completed = await start('mcp-all-done', "return await agent('done')\n");
    const failed = await start('mcp-all-fail', "throw new Error('no')\n");
    const waiting = await start('mcp-all-wait', "return await approve('Go?')\n");
    const stopped = await start('mcp-all-stop', "return await approve('Stop me?')\n");
    const paused = await start('mcp-all-pause', "return await agent('Hold on [slow]')\n");
    await statusUntil(client, completed, ['completed']);
    await statusUntil(client, failed, ['failed']);
    await statusUntil(client, waiting, ['waiting']);
    await statusUntil(client, stopped, ['waiting']);
    await call(client, 'baton_stop', { run: stopped });
    await statusUntil(client, stopped, ['stopped']);
    await statusUntil(client, paused, ['running']);
    expect((await runCli(['pause', paused], { env })).code).toBe(0);
    await statusUntil(client, paused, ['paused']);

    const expected = { [completed]: 'completed', [failed]: 'failed', [waiting]: 'waiting', [stopped]: 'stopped', [paused]: 'paused' };
    // Visibility follows a run's status a moment later.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const listed = await call(client, 'baton_list', { limit: 1000 });
      expect(listed.isError, textOf(listed)).toBeFalsy();
      const runs = (listed.structuredContent as { runs: Array<{ workflowId: string; status: string }> }).runs;
      const seen = Object.fromEntries(runs.filter((r) => r.workflowId in expected).map((r) => [r.workflowId, r.status]));
      if (JSON.stringify(seen, Object.keys(expected).sort()) === JSON.stringify(expected, Object.keys(expected).sort())) break;
      if (Date.now() > deadline) expect(seen).toEqual(expected);
      await new Promise((r) => setTimeout(r, 300));
    }

    for (const [run, status] of Object.entries(expected)) {
      const result = await call(client, 'baton_result', { workflowId: run });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ workflowId: run, status });
    }

    for (const run of [completed, failed, stopped]) {
      for (const tool of ['baton_stop', 'baton_approve']) {
        const refused = await call(client, tool, { run });
        expect(refused.isError, `${tool} ${run}`).toBe(true);
        expectOneLine(refused);
        expect(textOf(refused)).toContain(`${run}: no running run with this id (it may have ended`);
      }
    }
    // A paused run has no question waiting: approving it is refused, saying so.
    const nothing = await call(client, 'baton_approve', { workflowId: paused });
    expect(nothing.isError).toBe(true);
    expectOneLine(nothing);
    expect(textOf(nothing)).toContain(`${paused}: refused:`);

    for (const run of [waiting, paused]) {
      const stop = await call(client, 'baton_stop', { workflowId: run });
      expect(stop.isError, textOf(stop)).toBeFalsy();
      await statusUntil(client, run, ['stopped']);
    }
  });
});
