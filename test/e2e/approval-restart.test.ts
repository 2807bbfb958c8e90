// An approval waited out across a worker SIGKILL and a server restart (docs/runs.md#approvals: the run waits
// durably): the run waits at approve(), its worker is SIGKILLed, then the server too; both come
// back on the same database, the run is still `waiting` (the search attribute too), and `baton
// approve` lets it finish. The agent that ran before the gate is never asked again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { echoResponder, startModelServer, type ModelServer } from '../model-server/index.js';
import { startDevServer, type RunningDevServer } from '../harness/temporal-dev-server.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { waitFor as waitUntil } from '../harness/wait-for.js';
import { tempDir } from '../harness/temp-dir.js';

const SCRIPT = `export const meta = { name: 'gate-restart', description: 'an agent, a gate, an agent' }
const before = await agent('Before the gate')
const go = await approve('Carry on after the restart?')
const after = go ? await agent('After the gate') : null
return { before, go, after }
`;

let modelServer: ModelServer | undefined;
let server: RunningDevServer | undefined;
let worker: WorkerProcess | undefined;

afterAll(async () => {
  await worker?.stop();
  await server?.stop();
  await modelServer?.close();
});

// CLI processes on a shared machine: a longer wait than in-process tests.
const waitFor = <T>(what: string, probe: () => T | Promise<T>, timeoutMs = 90_000) => waitUntil(what, probe, timeoutMs, 300);

it('waits across a worker SIGKILL and a server restart, then is approved', { timeout: 240_000 }, async () => {
  modelServer = await startModelServer({ responder: echoResponder });
  const home = tempDir('baton-gate-restart-');
  const dbFile = join(home, 'temporal.db');
  writeFileSync(join(home, 'gate.js'), SCRIPT);
  server = await startDevServer({ dbFile });
  const port = Number(server.address.split(':')[1]);
  const env = cliEnv(server.address, { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url, BATON_HOME: home });

  worker = await startWorkerProcess(env);
  const started = await runCli(['run', join(home, 'gate.js'), '--yes', '--detach', '--json', '--workspace', home], { env });
  expect(started.code, started.stderr).toBe(0);
  const { workflowId } = JSON.parse(started.stdout) as { workflowId: string };
  await waitFor('the run to wait', async () => (await runCli(['status', workflowId, '--json'], { env })).stdout.includes('"status": "waiting"'));

  worker.process.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  server.process!.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 500));
  server = await startDevServer({ dbFile, port });
  worker = await startWorkerProcess(env);

  // Still waiting after both came back, and still found by its search attribute.
  const status = await waitFor('the state after the restart', async () => {
    const answer = await runCli(['status', workflowId, '--json'], { env });
    return answer.code === 0 ? (JSON.parse(answer.stdout) as { status: string; approvals: Array<{ state: string }> }) : null;
  });
  expect(status.status).toBe('waiting');
  expect(status.approvals.map((a) => a.state)).toEqual(['waiting']);
  await waitFor('ls --query to find it', async () =>
    (await runCli(['ls', '--json', '--query', 'BatonStatus = "waiting"'], { env })).stdout.includes(workflowId),
  );

  const approved = await runCli(['approve', workflowId], { env });
  expect(approved.code, approved.stderr).toBe(0);
  const end = await waitFor('the run to end', async () => {
    const answer = await runCli(['result', workflowId, '--json'], { env });
    const parsed = answer.stdout ? (JSON.parse(answer.stdout) as { status: string; result: unknown }) : null;
    return parsed && parsed.status !== 'waiting' && parsed.status !== 'running' ? parsed : null;
  });
  expect(end.status).toBe('completed');
  expect(end.result).toMatchObject({ go: true });
  // The agent before the gate ran once: the restart did not ask the model again.
  expect(modelServer.requests.filter((r) => JSON.stringify(r.body).includes('Before the gate'))).toHaveLength(1);
});
