// `baton worker --deployment NAME`: a versioned worker with the default build id (package
// version and bundle hash); the first version of a new deployment becomes current by itself,
// so `baton run` works with no other command, and the run is pinned to that version.
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

let modelServer: ModelServer | undefined;
let worker: WorkerProcess | undefined;

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

it('a worker of a new deployment becomes its current version and runs pinned to it', { timeout: 120_000 }, async () => {
  modelServer = await startModelServer({ responder: () => reply(text('done')) });
  const env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  const deployment = `e2e-${randomUUID().slice(0, 8)}`;
  worker = await startWorkerProcess(env, ['--concurrency', '4', '--deployment', deployment]);
  const buildId = /deployment \S+ build (\S+?),/.exec(worker.output())?.[1];
  expect(buildId).toMatch(/^0\.1\.0-[0-9a-f]{12}$/);
  // The version exists once the worker polls; the worker then makes it current and says so.
  const adopted = `deployment ${deployment} had no current version; ${buildId} is now current`;
  for (let waited = 0; !worker.output().includes(adopted); waited += 100) {
    if (waited > 30_000) throw new Error(`the worker did not make its version current:\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const path = join(tempDir('baton-versioned-'), 'two.js');
  writeFileSync(
    path,
    `export const meta = { name: 'versioned', description: 'two agents' }
return [await agent('one'), await agent('two')]
`,
  );
  const done = await runCli(['run', path, '--yes', '--json'], { env, timeoutMs: 90_000 });
  expect(done.code, done.stderr + worker.output()).toBe(0);
  expect(JSON.parse(done.stdout)).toMatchObject({ status: 'completed', agents: { total: 2, succeeded: 2 } });

  const bad = await runCli(['worker', '--build-id', 'x'], { env });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--build-id goes with --deployment');
});
