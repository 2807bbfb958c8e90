// The fleet's slots (docs/fleet.md#limits-across-runs): `baton worker --concurrency N` processes on one task queue run at
// most the sum of their slots at once, whatever the run's own cap, and use all of them. Measured
// at the model server: each agent makes one model call held for DELAY_MS.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { firstUserText, reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const DELAY_MS = 400;
const SCRIPT = `export const meta = { name: 'fan-out', description: 'twenty-four agents at once' }
return await parallel(Array.from({ length: 24 }, (_, i) => () => agent('job ' + (i + 1))))
`;

interface Call {
  job: number;
  start: number;
  end: number;
}

function maxInFlight(calls: Call[]): number {
  const edges = calls.flatMap((c) => [
    { t: c.start, d: +1 },
    { t: c.end, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (now += e.d));
  return max;
}

function startWorker(env: Record<string, string>, concurrency: number): Promise<WorkerProcess> {
  return startWorkerProcess(env, ['--concurrency', String(concurrency)]);
}

let modelServer: ModelServer | undefined;
const workers: WorkerProcess[] = [];
const calls: Call[] = [];

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await modelServer?.close();
});

it('two workers of 4 slots run 8 agents at once, never more; one alone runs 4', { timeout: 120_000 }, async () => {
  modelServer = await startModelServer({
    responder: (request) => {
      const start = Date.now();
      calls.push({ job: Number(/job (\d+)/.exec(firstUserText(request))?.[1]), start, end: start + DELAY_MS });
      return { ...reply(text('done')), delayMs: DELAY_MS };
    },
  });
  const env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  const path = join(tempDir('baton-fleet-'), 'fan-out.js');
  writeFileSync(path, SCRIPT);
  workers.push(...(await Promise.all([startWorker(env, 4), startWorker(env, 4)])));

  const run = async (): Promise<{ max: number; report: { status: string; agents: { total: number; succeeded: number } } }> => {
    calls.length = 0;
    const done = await runCli(['run', path, '--yes', '--json', '--concurrency', '16'], { env, timeoutMs: 60_000 });
    expect(done.code, done.stderr).toBe(0);
    expect(calls).toHaveLength(24);
    expect(new Set(calls.map((c) => c.job)).size).toBe(24);
    return { max: maxInFlight(calls), report: JSON.parse(done.stdout) };
  };

  // The run allows 16 at once; the fleet has 8 slots, and both workers' slots fill up.
  const both = await run();
  expect(both.report).toMatchObject({ status: 'completed', agents: { total: 24, succeeded: 24 } });
  console.log(`two workers --concurrency 4, run --concurrency 16: max ${both.max} in flight`);
  expect(both.max).toBe(8);

  // One worker gone: a new run gets only the remaining worker's 4 slots.
  await workers[1]!.stop();
  const one = await run();
  expect(one.report).toMatchObject({ status: 'completed', agents: { total: 24, succeeded: 24 } });
  console.log(`one worker --concurrency 4, run --concurrency 16: max ${one.max} in flight`);
  expect(one.max).toBe(4);
});
