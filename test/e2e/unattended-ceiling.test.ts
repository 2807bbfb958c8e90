// Unwatched runs stop spending at a default ceiling (docs/security.md): `baton run --yes` without a
// terminal, and a schedule's firings, that name no ceiling get `defaults.unattended.maxCostUsd`
// with --on-budget pause; they wait at it, losing nothing, until `baton budget` raises it.
// `--no-ceiling` opts out. A real worker process, the dev server and the test model server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { firstUserText, manyTurnsResponder, startModelServer, type ModelServer } from '../model-server/index.js';
import { waitFor as waitUntil } from '../harness/wait-for.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';

let modelServer: ModelServer;
let worker: WorkerProcess;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'baton-unattended-'));
// Below one turn's cost (400 output tokens of the default model), so a run pauses after its first turn.
const DEFAULT_CEILING = 0.001;

beforeAll(async () => {
  modelServer = await startModelServer({ responder: manyTurnsResponder() });
  env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  writeFileSync(join(env.BATON_HOME!, 'config.json'), JSON.stringify({ defaults: { unattended: { maxCostUsd: DEFAULT_CEILING } } }));
  worker = await startWorkerProcess(env);
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(env.BATON_HOME!, { recursive: true, force: true });
});

const waitFor = <T>(what: string, probe: () => T | Promise<T>) => waitUntil(what, probe, 60_000, 200);
const requestsFor = (marker: string) => modelServer.requests.filter((r) => firstUserText(r.body).includes(marker));
const status = async (workflowId: string) => JSON.parse((await runCli(['status', workflowId, '--json'], { env })).stdout);

function scriptFile(name: string, body: string): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, `export const meta = { name: '${name}', description: 'nobody watches' }\n${body}\n`);
  return path;
}

/** Waits for the run to pause at its ceiling, raises it, and checks it ends with every turn run once. */
async function pausesThenGoesOn(workflowId: string, tag: string, turns: number): Promise<void> {
  const paused = await waitFor('the pause at the default ceiling', async () => {
    const s = await status(workflowId);
    return s.status === 'paused' ? s : null;
  });
  expect(paused.pausedReason).toMatch(/^budget: /);
  expect(paused.budget.maxCostUsd).toBe(DEFAULT_CEILING);
  const raised = await runCli(['budget', workflowId, '--max-cost', '10'], { env });
  expect(raised.code, raised.stderr).toBe(0);
  const ended = await waitFor('the run to complete', async () => {
    const s = await status(workflowId);
    return s.status === 'completed' ? s : null;
  });
  expect(ended.agentList[0].turns).toBe(turns);
  expect(requestsFor(tag)).toHaveLength(turns);
}

it('a --yes run without a terminal gets the default ceiling, says so, pauses there and goes on after baton budget', { timeout: 120_000 }, async () => {
  const tag = `yes-${Math.random().toString(36).slice(2, 8)}`;
  const path = scriptFile('unwatched', `return await agent('long ${tag} [turns=4] [out=400]');`);
  const started = await runCli(['run', path, '--yes', '--detach'], { env });
  expect(started.code, started.stderr).toBe(0);
  const workflowId = /^started (\S+)/.exec(started.stdout)![1]!;
  expect(started.stderr).toContain(
    `ceiling: $${DEFAULT_CEILING} (unattended default, defaults.unattended.maxCostUsd in ${join(env.BATON_HOME!, 'config.json')}`,
  );
  expect(started.stderr).toContain("then pause until 'baton budget RUN --max-cost USD' raises it");
  // Nobody chose that ceiling, so the start line also says what the script would fan out to.
  expect(started.stderr).toMatch(/\nprojected: 1 agent · estimated \$\d+\.\d\d–\$\d+\.\d\d \(dry run \S+\) · above the \$0\.001 ceiling even at the low end\n/);
  await pausesThenGoesOn(workflowId, tag, 4);
});

it('--no-ceiling runs through; the card without --yes shows the default it would apply; a named ceiling wins', { timeout: 120_000 }, async () => {
  const tag = `opt-${Math.random().toString(36).slice(2, 8)}`;
  const path = scriptFile('opted-out', `return await agent('long ${tag} [turns=3] [out=400]');`);
  const run = await runCli(['run', path, '--yes', '--no-ceiling'], { env });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toContain('ceiling: none (--no-ceiling');
  expect(requestsFor(tag)).toHaveLength(3);

  const card = await runCli(['run', path], { env });
  expect(card.code).toBe(2);
  expect(card.stderr).toContain(`│ budget:      $${DEFAULT_CEILING} (unattended default`);
  expect(card.stderr).toMatch(/│ projected: {3}1 agent · estimated \$/);
  // A ceiling the user chose needs no projection on the start line.
  const named = await runCli(['run', path, '--yes', '--detach', '--max-cost', '7'], { env });
  expect(named.code, named.stderr).toBe(0);
  expect(named.stderr).toContain('ceiling: $7 (--max-cost), then stop');
  expect(named.stderr).not.toContain('projected:');

  const both = await runCli(['run', path, '--yes', '--no-ceiling', '--max-cost', '1'], { env });
  expect(both.code).toBe(2);
  expect(both.stderr.trim()).toBe('--no-ceiling excludes --max-cost and --budget-tokens: it starts the run with no ceiling at all.');
});

it("a schedule's firings get the default ceiling; create and describe say so, with the dry run's fan-out and cost", { timeout: 180_000 }, async () => {
  const tag = `sched-${Math.random().toString(36).slice(2, 8)}`;
  const id = `unwatched-${tag}`;
  const path = scriptFile('nightly', `const a = await agent('long ${tag} [turns=2] [out=400]');\nawait agent('short ${tag}-b');\nreturn a;`);
  const created = await runCli(['schedule', 'create', id, '--every', '1d', '--script', path, '--pin'], { env });
  expect(created.code, created.stderr).toBe(0);
  try {
    expect(created.stderr).toContain(`│ budget:      $${DEFAULT_CEILING} (unattended default`);
    expect(created.stderr).toMatch(
      /│ projected: {3}2 agents · estimated \$\d+\.\d\d–\$\d+\.\d\d \(dry run \S+\) · above the \$0\.001 ceiling even at the low end/,
    );
    // The dry run sent nothing to the model.
    expect(requestsFor(tag)).toHaveLength(0);

    const described = await runCli(['schedule', 'describe', id], { env });
    expect(described.stdout).toContain(`  ceiling: $${DEFAULT_CEILING} (unattended default`);
    expect(described.stdout).toMatch(/ {2}projected: 2 agents · estimated \$/);

    expect((await runCli(['schedule', 'trigger', id], { env })).code).toBe(0);
    const workflowId = await waitFor('the firing’s run', async () => {
      const runs = JSON.parse((await runCli(['schedule', 'describe', id, '--json'], { env })).stdout).runs as Array<{ workflowId: string }>;
      return runs[0]?.workflowId ?? null;
    });
    const paused = await waitFor('the pause at the default ceiling', async () => {
      const s = await status(workflowId);
      return s.status === 'paused' ? s : null;
    });
    expect(paused.pausedReason).toMatch(/^budget: /);
    expect((await runCli(['budget', workflowId, '--max-cost', '10'], { env })).code).toBe(0);
    const ended = await waitFor('the run to complete', async () => {
      const s = await status(workflowId);
      return s.status === 'completed' ? s : null;
    });
    expect(ended.agentList.map((a: { state: string }) => a.state)).toEqual(['succeeded', 'succeeded']);
    expect(requestsFor(`long ${tag}`)).toHaveLength(2);
  } finally {
    await runCli(['schedule', 'delete', id], { env });
  }
});
