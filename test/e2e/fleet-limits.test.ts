// docs/fleet.md#limits-across-runs: the fleet's rate limit and tenant weights live in the task queue's config on the
// server (one value for every worker), set by `baton fleet` or `baton worker --rate-limit`.
import { afterAll, expect, inject, it } from 'vitest';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';

const env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' });
let worker: WorkerProcess | undefined;

afterAll(async () => {
  await worker?.stop();
});

async function fleet(...args: string[]): Promise<{ taskQueue: string; rateLimit: number | null; weights: Record<string, number> }> {
  const done = await runCli(['fleet', ...args, '--json'], { env });
  expect(done.code, done.stderr).toBe(0);
  return JSON.parse(done.stdout);
}

it("baton fleet sets, shows and removes the queue's rate limit and tenant weights", { timeout: 60_000 }, async () => {
  expect(await fleet()).toEqual({ taskQueue: env.BATON_TASK_QUEUE, rateLimit: null, weights: {} });
  expect(await fleet('--rate-limit', '5', '--weight', 'team-search=2', '--weight', 'nightly=0.5')).toEqual({
    taskQueue: env.BATON_TASK_QUEUE,
    rateLimit: 5,
    weights: { 'team-search': 2, nightly: 0.5 },
  });
  // Read back by a new process: the server holds it.
  expect(await fleet()).toMatchObject({ rateLimit: 5, weights: { 'team-search': 2, nightly: 0.5 } });
  expect(await fleet('--rate-limit', 'none', '--weight', 'nightly=default')).toMatchObject({ rateLimit: null, weights: { 'team-search': 2 } });

  const bad = await runCli(['fleet', '--weight', 'team-search'], { env });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--weight takes TENANT=WEIGHT');
});

it("baton worker --rate-limit sets the limit in the queue's config, for every worker", { timeout: 90_000 }, async () => {
  worker = await startWorkerProcess(env, ['--concurrency', '2', '--rate-limit', '3']);
  expect(worker.output()).toContain('task queue limited to 3 agent starts/s');
  expect(await fleet()).toMatchObject({ rateLimit: 3 });
});
