// Steering and inspecting runs through the `baton` CLI as a user does, from another process than
// the one that started the run: pause/resume/stop, agent stop/restart, `ls`, `agent`, the exit
// codes of honest end states, and `status --watch` in a real terminal (tmux).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { badRequest, echoResponder, firstUserText, previousToolUses, reply, startModelServer, text, toolUse, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { waitFor as waitUntil } from '../harness/wait-for.js';
import { tempDir } from '../harness/temp-dir.js';

const batonBin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const asked = new Map<string, number>();

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
const dir = tempDir('baton-steer-');

beforeAll(async () => {
  modelServer = await startModelServer({
    // Echo; `[delay=MS]` answers late, `[tool]` globs once first, `[fail]` is refused (400),
    // `[restart]` is slow the first time and answers `second attempt` after.
    responder: async (request, ctx) => {
      const prompt = firstUserText(request);
      const turns = previousToolUses(request).length;
      if (turns === 0) asked.set(prompt, (asked.get(prompt) ?? 0) + 1);
      if (prompt.includes('[fail]')) return badRequest('this agent was told to fail');
      if (prompt.includes('[tool]') && turns === 0) return reply(toolUse('Glob', { pattern: '*.md' }));
      if (prompt.includes('[restart]')) return asked.get(prompt) === 1 ? { ...reply(text('first attempt')), delayMs: 60_000 } : reply(text('second attempt'));
      const delay = Number(/\[delay=(\d+)\]/.exec(prompt)?.[1] ?? 0);
      return { ...(await echoResponder(request, ctx)), delayMs: delay };
    },
  });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

function scriptFile(name: string, body: string): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, `export const meta = { name: '${name}', description: 'steered from the CLI', phases: [{ title: 'Work' }] }\nphase('Work')\n${body}\n`);
  return path;
}

async function startDetached(path: string): Promise<string> {
  const run = await runCli(['run', path, '--yes', '--detach', '--json'], { env });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).workflowId as string;
}

// CLI processes on a shared machine: a longer wait than in-process tests.
const waitFor = <T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000) => waitUntil(what, probe, timeoutMs, 200);

const requestsFor = (marker: string) => modelServer.requests.filter((r) => firstUserText(r.body).includes(marker));

async function statusOf(workflowId: string): Promise<{ status: string; agents: Record<string, number>; agentList: Array<{ id: string; state: string }> }> {
  const answer = await runCli(['status', workflowId, '--json'], { env });
  return JSON.parse(answer.stdout);
}

describe('baton pause / resume, agent, ls', () => {
  it('holds new agents while paused, resumes, then shows the agent and lists the run', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const steps = [2, 3, 4, 5, 6];
    const workflowId = await startDetached(
      scriptFile(
        'steer-pause',
        `const first = await agent('first ${tag} [tool]')\nconst rest = []\nfor (const n of ${JSON.stringify(steps)}) rest.push(await agent('step ' + n + ' ${tag} [delay=2000]'))\nreturn { first, rest }`,
      ),
    );
    await waitFor('step 2 to reach the model', () => requestsFor(`step 2 ${tag}`).length > 0);

    const pause = await runCli(['pause', workflowId], { env });
    expect(pause.code, pause.stderr).toBe(0);
    expect(pause.stdout).toContain('paused');
    const pausedAt = Date.now();
    expect((await statusOf(workflowId)).status).toBe('paused');
    const again = await runCli(['pause', workflowId], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already paused/);

    // The agent running when the pause came finishes; the next one waits, however long.
    await waitFor('the running agent to finish', async () => !(await statusOf(workflowId)).agentList.some((a) => a.state === 'running'));
    await new Promise((r) => setTimeout(r, 3000));
    const status = await statusOf(workflowId);
    expect(status.status).toBe('paused');
    expect(status.agentList.filter((a) => a.state === 'pending')).toHaveLength(1);
    expect(status.agentList.at(-1)!.state).toBe('pending');
    const ofRun = () => modelServer.requests.filter((r) => firstUserText(r.body).includes(tag));
    expect(ofRun().filter((r) => r.receivedAt > pausedAt)).toEqual([]);

    const resumedAt = Date.now();
    const resume = await runCli(['resume', workflowId, '--json'], { env });
    expect(resume.code, resume.stderr).toBe(0);
    expect(JSON.parse(resume.stdout)).toMatchObject({ workflowId, status: 'running' });
    await waitFor('the run to complete', async () => (await statusOf(workflowId)).status === 'completed');
    expect(ofRun().filter((r) => r.receivedAt > pausedAt && r.receivedAt < resumedAt)).toEqual([]);
    for (const n of steps) expect(requestsFor(`step ${n} ${tag}`)).toHaveLength(1);
    const result = await runCli(['result', workflowId, '--json'], { env });
    expect(JSON.parse(result.stdout).result.rest).toHaveLength(steps.length);

    const agent = await runCli(['agent', workflowId, 'a1', '--json'], { env });
    expect(agent.code, agent.stderr).toBe(0);
    expect(JSON.parse(agent.stdout)).toMatchObject({
      prompt: `first ${tag} [tool]`,
      recentToolCalls: ['Glob {"pattern":"*.md"}'],
      result: 'done: 1 tool result(s) received',
      partial: false,
      agent: { id: 'a1', state: 'succeeded', phase: 'Work', model: 'claude-sonnet-5-5' },
    });
    const card = await runCli(['agent', workflowId, 'a1'], { env });
    expect(card.stdout).toMatch(/^a1 · Work · /);
    expect(card.stdout).toContain('Glob {"pattern":"*.md"}');
    const unknown = await runCli(['agent', workflowId, 'a9'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('has no agent a9');

    const listed = await waitFor('the run in `baton ls` as completed', async () => {
      const ls = await runCli(['ls', '--json'], { env });
      expect(ls.code, ls.stderr).toBe(0);
      const runs = JSON.parse(ls.stdout) as Array<{ workflowId: string; status: string }>;
      return runs.find((r) => r.workflowId === workflowId && r.status === 'completed');
    });
    expect(listed).toMatchObject({ name: 'steer-pause', agents: 1 + steps.length, phase: 'Work' });
    expect((listed as unknown as { tokens: number }).tokens).toBeGreaterThan(0);
    const table = await runCli(['ls', '--query', `WorkflowId = '${workflowId}'`], { env });
    expect(table.stdout).toMatch(new RegExp(`${workflowId}\\s+steer-pause\\s+completed\\s+${1 + steps.length}`));

    const late = await runCli(['resume', workflowId], { env });
    expect(late.code).toBe(1);
    expect(late.stderr).toContain(workflowId);
  });
});

describe('baton stop', () => {
  it('cancels running agents and ends the run `stopped` with the finished results kept', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const workflowId = await startDetached(
      scriptFile('steer-stop', `return await parallel([() => agent('quick ${tag}'), () => agent('slow ${tag} [delay=60000]')])`),
    );
    await waitFor('the slow agent to reach the model', () => requestsFor(`slow ${tag}`).length > 0);
    await waitFor('the quick agent to succeed', async () => (await statusOf(workflowId)).agents.succeeded === 1);
    const started = Date.now();
    const stop = await runCli(['stop', workflowId, '--json'], { env });
    expect(stop.code, stop.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(stop.stderr).toContain('stopping');
    const summary = JSON.parse(stop.stdout);
    expect(summary).toMatchObject({ workflowId, status: 'stopped', result: [`echo: quick ${tag}`, null], agents: { succeeded: 1, stopped: 1 } });

    const status = await runCli(['status', workflowId], { env });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('1 of 2 agents stopped; 1 succeeded and their results are kept');
    const listed = await waitFor('the stopped run in visibility', async () => {
      const ls = await runCli(['ls', '--json', '--query', 'BatonStatus = "stopped"'], { env });
      return (JSON.parse(ls.stdout) as Array<{ workflowId: string }>).find((r) => r.workflowId === workflowId);
    });
    expect(listed).toBeTruthy();
  });
});

describe('baton agent stop / restart', () => {
  it('nulls a stopped agent and reruns a restarted one', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const workflowId = await startDetached(
      scriptFile(
        'steer-agents',
        `const [a, b] = await parallel([() => agent('slow ${tag} [delay=60000]'), () => agent('again ${tag} [restart]')])\nreturn { a, b }`,
      ),
    );
    await waitFor('both agents to reach the model', () => requestsFor(tag).length === 2);
    const stop = await runCli(['agent', 'stop', workflowId, 'a1'], { env });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain('a1 cancelled');
    const restart = await runCli(['agent', 'restart', workflowId, 'a2', '--json'], { env });
    expect(restart.code, restart.stderr).toBe(0);
    expect(JSON.parse(restart.stdout).message).toContain('starting again');

    await waitFor('the run to complete', async () => (await statusOf(workflowId)).status === 'completed');
    const final = await runCli(['result', workflowId, '--json'], { env });
    expect(final.code, final.stderr).toBe(0);
    expect(JSON.parse(final.stdout).result).toEqual({ a: null, b: 'second attempt' });
    expect(asked.get(`again ${tag} [restart]`)).toBe(2);
    const status = await statusOf(workflowId);
    expect(status.agentList.map((a) => a.state)).toEqual(['stopped', 'succeeded']);
  });
});

describe('a run whose agents all failed', () => {
  it('says how many failed and why, and exits 3', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const path = scriptFile('all-fail', `return await parallel([() => agent('one ${tag} [fail]'), () => agent('two ${tag} [fail]')])`);
    const run = await runCli(['run', path, '--yes'], { env });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('✗ completed, but all 2 agents failed');
    expect(run.stderr).toMatch(/ModelRequestRejected: a1 \(.*\): ModelRequestRejected: .*told to fail/);
    const workflowId = /started (\S+)/.exec(run.stderr)![1]!;
    const status = await runCli(['status', workflowId], { env });
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('all 2 agents failed');
  });
});

describe('baton status --watch in a terminal', () => {
  const socket = `baton-e2e-${process.pid}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, ...args], { env: { ...env, TERM: 'xterm-256color' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const screen = () => tmux('capture-pane', '-p', '-t', 'watch');

  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone with its only session
    }
  });

  it('draws the phase table, pauses the run on p and saves its script on s', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const workflowId = await startDetached(
      scriptFile('steer-watch', `const out = []\nfor (let n = 1; n <= 12; n++) out.push(await agent('watched ' + n + ' ${tag} [delay=2000]'))\nreturn out`),
    );
    // Started in a scratch directory: `s` saves the script into its .claude/workflows/.
    const cwd = tempDir('baton-watch-');
    tmux('new-session', '-d', '-s', 'watch', '-c', cwd, '-x', '160', '-y', '40', `${process.execPath} ${batonBin} status ${workflowId} --watch`);
    await waitFor('the phase table', () => /PHASE[\s\S]*Work\s+\d+ agents/.test(screen()), 30_000);
    expect(screen()).toContain('steer-watch · RUNNING');
    expect(screen()).toMatch(/p pause · x stop run/);

    tmux('send-keys', '-t', 'watch', 'p');
    await waitFor('the view to show the run paused', () => screen().includes('steer-watch · PAUSED'), 30_000);
    expect((await statusOf(workflowId)).status).toBe('paused');
    expect(screen()).toMatch(/p resume/);

    // Select the first agent and open its detail pane.
    tmux('send-keys', '-t', 'watch', 'Down');
    await waitFor('the selection', () => /^> /m.test(screen()), 10_000);
    tmux('send-keys', '-t', 'watch', 'Enter');
    await waitFor('the detail pane', () => screen().includes(`watched 1 ${tag}`) && screen().includes('prompt:'), 10_000);
    tmux('send-keys', '-t', 'watch', 'Escape');

    tmux('send-keys', '-t', 'watch', 'p');
    await waitFor('the run to resume', async () => (await statusOf(workflowId)).status === 'running', 30_000);
    tmux('send-keys', '-t', 'watch', 's');
    await waitFor('the script to be saved', () => screen().includes("run it with 'baton run steer-watch'"), 20_000);
    expect(readFileSync(join(cwd, '.claude', 'workflows', 'steer-watch.js'), 'utf8')).toContain(`watched ' + n + ' ${tag}`);
    tmux('send-keys', '-t', 'watch', 'q');
    await waitFor(
      'the view to quit',
      () => {
        try {
          tmux('has-session', '-t', 'watch');
          return false;
        } catch {
          return true;
        }
      },
      10_000,
    );
    await runCli(['stop', workflowId], { env });
  });
});
