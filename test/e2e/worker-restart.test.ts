// A worker killed mid-run (SIGKILL, as a crash) and started again: the run completes with the
// same result, and agents that had finished are not asked again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { writeHistoryFixture } from '../replay/history-fixtures.js';
import { firstUserText, reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const SCRIPT = `export const meta = { name: 'steps', description: 'four steps in a row' }
const done = []
for (const step of ['one', 'two', 'three', 'four']) done.push(await agent('step ' + step))
return done
`;

let modelServer: ModelServer | undefined;
const workers: WorkerProcess[] = [];

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await modelServer?.close();
});

it('survives a SIGKILLed worker: a new worker finishes the run', { timeout: 180_000 }, async () => {
  modelServer = await startModelServer({
    responder: (request) => ({ ...reply(text(`did ${firstUserText(request)}`)), delayMs: 1500 }),
  });
  const env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  const path = join(tempDir('baton-steps-'), 'steps.js');
  writeFileSync(path, SCRIPT);

  workers.push(await startWorkerProcess(env));
  const started = await runCli(['run', path, '--yes', '--detach', '--json'], { env });
  expect(started.code, started.stderr).toBe(0);
  const { workflowId } = JSON.parse(started.stdout);

  // Kill while the second step's model call is in flight.
  while (!modelServer.requests.some((r) => firstUserText(r.body).includes('step two'))) await new Promise((r) => setTimeout(r, 100));
  workers[0].process.kill('SIGKILL');
  workers.push(await startWorkerProcess(env));

  let status: { status: string; result: unknown } = { status: 'running', result: null };
  for (let i = 0; i < 240 && status.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    status = JSON.parse((await runCli(['status', workflowId, '--json'], { env })).stdout);
  }
  expect(status.status).toBe('completed');
  expect(status.result).toEqual(['did step one', 'did step two', 'did step three', 'did step four']);
  // Step one had finished before the crash: it is never asked again.
  expect(modelServer.requests.filter((r) => firstUserText(r.body).includes('step one'))).toHaveLength(1);

  // `RECORD_HISTORY_FIXTURES=1 npx vitest run test/e2e/worker-restart` saves this real crash
  // as a replay fixture (see test/replay/).
  if (process.env.RECORD_HISTORY_FIXTURES) {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    writeHistoryFixture('worker-crash', await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory());
    await connection.close();
  }
});
