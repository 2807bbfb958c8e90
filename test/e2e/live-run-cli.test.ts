// A run seen live from the CLI, as a user follows an overnight run: `baton run` prints the script's
// log() lines as they happen, `baton status --json` shows a running agent's turns, `--on-budget
// pause` stops at the ceiling with the reason shown and `baton budget` lets it go on, and
// `--max-cost` refuses a model it cannot price. A real worker process and the test model server.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { firstUserText, manyTurnsResponder, startModelServer, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { waitFor as waitUntil } from '../harness/wait-for.js';
import { tempDir } from '../harness/temp-dir.js';

const batonBin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
const dir = tempDir('baton-live-');

beforeAll(async () => {
  modelServer = await startModelServer({ responder: manyTurnsResponder() });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  worker = await startWorkerProcess(env);
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

function scriptFile(name: string, body: string): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, `export const meta = { name: '${name}', description: 'followed live' }\n${body}\n`);
  return path;
}

// CLI processes on a shared machine: a longer wait than in-process tests.
const waitFor = <T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000) => waitUntil(what, probe, timeoutMs, 200);

const requestsFor = (marker: string) => modelServer.requests.filter((r) => firstUserText(r.body).includes(marker));

describe('baton run', () => {
  it("prints the script's log() lines while it follows the run, each when it happens", async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const path = scriptFile('live-logs', `log('starting ${tag}');\nawait agent('slow ${tag} [delay=4000]');\nlog({ halfway: '${tag}' });\nreturn 'ok';`);
    const child = spawn(process.execPath, [batonBin, 'run', path, '--yes'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<{ line: string; at: number }> = [];
    let buffered = '';
    child.stderr.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) lines.push({ line, at: Date.now() });
    });
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    expect(code, lines.map((l) => l.line).join('\n')).toBe(0);
    const first = lines.find((l) => l.line === `log: starting ${tag}`);
    const second = lines.find((l) => l.line === `log: {"halfway":"${tag}"}`);
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    // The first line showed while the slow agent was still at the model, not at the end.
    const slow = requestsFor(`slow ${tag}`)[0]!;
    expect(first!.at).toBeLessThan(slow.receivedAt + 4000);
    expect(lines.filter((l) => l.line === `log: starting ${tag}`)).toHaveLength(1);
    // The worker read the provider's model list once, at start.
    expect(modelServer.modelListings).toBe(1);
  }, 60_000);

  it('refuses --max-cost with a model it has no price for, before starting anything', async () => {
    const path = scriptFile('unpriced', `return await agent('never runs');`);
    const run = await runCli(['run', path, '--yes', '--max-cost', '1', '--model', 'claude-mystery-9'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-cost cannot hold: claude-mystery-9 has no price');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a long agent live, a ceiling, and a raise', () => {
  it('status --json shows the running agent turn by turn; the run pauses at its ceiling and goes on after baton budget', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const path = scriptFile('live-budget', `return await agent('long ${tag} [turns=10] [out=400] [delay=600]');`);
    const started = await runCli(['run', path, '--yes', '--detach', '--json', '--budget-tokens', '500', '--on-budget', 'pause'], { env });
    expect(started.code, started.stderr).toBe(0);
    const workflowId = JSON.parse(started.stdout).workflowId as string;

    const status = async () => JSON.parse((await runCli(['status', workflowId, '--json'], { env })).stdout);
    const live = await waitFor('a running agent with two turns', async () => {
      const s = await status();
      const agent = s.agentList[0];
      return agent && agent.state === 'running' && agent.turns >= 2 ? s : null;
    });
    expect(live.agentList[0].tokens.output).toBeGreaterThan(0);
    expect(live.agentList[0].lastToolCall).toMatch(/^Glob /);

    const paused = await waitFor('the pause at the ceiling', async () => {
      const s = await status();
      return s.status === 'paused' ? s : null;
    });
    expect(paused.pausedReason).toMatch(/^budget: The run's token budget is spent/);
    const text = await runCli(['status', workflowId], { env });
    expect(text.stdout).toContain('paused: budget:');

    const refused = await runCli(['resume', workflowId], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('baton budget');

    const raised = await runCli(['budget', workflowId, '--budget-tokens', '100000'], { env });
    expect(raised.code, raised.stderr).toBe(0);
    expect(raised.stdout).toContain('the run goes on');
    const ended = await waitFor('the run to complete', async () => {
      const s = await status();
      return s.status === 'completed' ? s : null;
    });
    expect(ended.agentList[0].turns).toBe(10);
    expect(requestsFor(`long ${tag}`)).toHaveLength(10);
  }, 90_000);

  it('baton budget names what is wrong in one line', async () => {
    const none = await runCli(['budget', 'whatever'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe('baton budget RUN needs --max-cost USD or --budget-tokens N (or both).');
  });
});
