// A script waiting 20 s in setTimeout while its worker is SIGKILLed: the wait is a durable
// workflow timer, so a new worker finishes the run and no model call is made twice.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { waitFor } from '../harness/wait-for.js';
import { firstUserText, reply, startModelServer, text, type ModelServer } from '../model-server/index.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';

const EventType = temporal.api.enums.v1.EventType;
const SCRIPT = `export const meta = { name: 'waits', description: 'an agent, a 20 s wait, an agent' }
const before = await agent('before the wait')
await new Promise((resolve) => setTimeout(resolve, 20000))
return [before, await agent('after the wait')]
`;

let modelServer: ModelServer | undefined;
let connection: Connection | undefined;
const workers: WorkerProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'baton-timer-restart-'));

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await modelServer?.close();
  await connection?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a 20 s setTimeout survives a SIGKILLed worker; no model call is repeated', { timeout: 180_000 }, async () => {
  modelServer = await startModelServer({ responder: (request) => reply(text(`did ${firstUserText(request)}`)) });
  const env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
  const path = join(dir, 'waits.js');
  writeFileSync(path, SCRIPT);
  connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection });

  workers.push(await startWorkerProcess(env));
  const started = await runCli(['run', path, '--yes', '--detach', '--json'], { env });
  expect(started.code, started.stderr).toBe(0);
  const { workflowId } = JSON.parse(started.stdout);
  const handle = client.workflow.getHandle(workflowId);
  const timerStarted = async () => ((await handle.fetchHistory()).events ?? []).find((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED);

  // Kill while the script waits in its timer, then start another worker.
  const timer = await waitFor('the 20 s timer to start', timerStarted, 60_000, 200);
  expect(Number(timer.timerStartedEventAttributes?.startToFireTimeout?.seconds)).toBe(20);
  workers[0]!.process.kill('SIGKILL');
  workers.push(await startWorkerProcess(env));

  const status = await waitFor(
    'the run to end',
    async () => {
      const now = JSON.parse((await runCli(['status', workflowId, '--json'], { env })).stdout) as { status: string; result: unknown };
      return now.status === 'running' ? null : now;
    },
    120_000,
    1000,
  );
  expect(status.status).toBe('completed');
  expect(status.result).toEqual(['did before the wait', 'did after the wait']);
  const history = (await handle.fetchHistory()).events ?? [];
  expect(history.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED)).toHaveLength(1);
  expect(modelServer.requests.filter((r) => firstUserText(r.body).includes('before the wait'))).toHaveLength(1);
  expect(modelServer.requests.filter((r) => firstUserText(r.body).includes('after the wait'))).toHaveLength(1);
});
