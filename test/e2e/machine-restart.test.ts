// A machine restart: the server and the worker are both SIGKILLed mid-run, then started again
// on the same database. The run finishes with the uninterrupted result, and the test model is
// never asked a turn the conversation had already gone past.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { completedTurnsAskedAgain, firstUserText, reply, startModelServer, text, toolUse, type ModelServer } from '../model-server/index.js';
import { startDevServer, type RunningDevServer } from '../harness/temporal-dev-server.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const SCRIPT = `export const meta = { name: 'restart', description: 'three agents, three turns each' }
return await parallel(['alpha', 'bravo', 'charlie'].map((t) => () => agent('Summarise topic ' + t)))
`;

let modelServer: ModelServer | undefined;
let server: RunningDevServer | undefined;
let worker: WorkerProcess | undefined;

afterAll(async () => {
  await worker?.stop();
  await server?.stop();
  await modelServer?.close();
});

it('survives SIGKILL of the server and the worker together', { timeout: 240_000 }, async () => {
  modelServer = await startModelServer({
    responder: (request) => {
      const turn = request.messages.filter((m) => m.role === 'assistant').length;
      const topic = firstUserText(request).split(' ').pop();
      if (turn === 0) return { ...reply(toolUse('Glob', { pattern: '*.md' })), delayMs: 400 };
      if (turn === 1) return { ...reply(toolUse('Read', { file_path: 'notes.md' })), delayMs: 400 };
      return { ...reply(text(`summary of ${topic}`)), delayMs: 400 };
    },
  });
  const home = tempDir('baton-restart-');
  const dbFile = join(home, 'temporal.db');
  writeFileSync(join(home, 'notes.md'), '# notes\n');
  writeFileSync(join(home, 'restart.js'), SCRIPT);
  server = await startDevServer({ dbFile });
  const port = Number(server.address.split(':')[1]);
  const env = cliEnv(server.address, { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url, BATON_HOME: home });

  worker = await startWorkerProcess(env);
  const started = await runCli(['run', join(home, 'restart.js'), '--yes', '--detach', '--json', '--workspace', home], { env });
  expect(started.code, started.stderr).toBe(0);
  const { workflowId } = JSON.parse(started.stdout);

  // Kill both once every agent has completed its first turn.
  while (modelServer.requests.filter((r) => r.body.messages.length === 3).length < 3) await new Promise((r) => setTimeout(r, 50));
  worker.process.kill('SIGKILL');
  server.process!.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 500));

  server = await startDevServer({ dbFile, port });
  worker = await startWorkerProcess(env);
  let status: { status: string; result: unknown } = { status: 'running', result: null };
  let last = '';
  for (let i = 0; i < 300 && status.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const answer = await runCli(['status', workflowId, '--json'], { env });
    last = `baton status exited ${answer.code}: ${answer.stderr.trim() || answer.stdout.slice(0, 2000)}`;
    if (answer.code === 0) status = JSON.parse(answer.stdout);
  }
  // Seen once in CI (still running after 4 minutes, cause unknown): say what status and the restarted worker last said.
  expect(status.status, `${last}\nrestarted worker's output (last 3000 characters):\n${worker.output().slice(-3000)}`).toBe('completed');
  expect(status.result).toEqual(['summary of alpha', 'summary of bravo', 'summary of charlie']);
  expect(completedTurnsAskedAgain(modelServer.requests)).toBe(0);
});
