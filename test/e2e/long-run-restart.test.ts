// Real work across a server restart: agents of twenty turns each, two worker processes and a
// client, each with its own HOME and BATON_HOME, sharing only Temporal and an S3 bucket
// (SeaweedFS). Mid-run the Temporal server is SIGKILLed and started again on the same database;
// the workers keep running and reconnect. The run completes, every agent finishes all its turns,
// no completed turn is asked again beyond the turns in flight at the kill, and the run's totals
// hold every turn the model served bar, at most, those in flight.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { completedTurnsAskedAgain, firstUserText, manyTurnsResponder, startModelServer, type ModelServer } from '../model-server/index.js';
import { startDevServer, type RunningDevServer } from '../harness/temporal-dev-server.js';
import { findSeaweedFs, startSeaweedFs, type RunningSeaweedFs } from '../harness/seaweedfs.js';
import { runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const AGENTS = 3;
const TURNS = 20;
// 200 characters of text per turn: 50 output tokens, plus the Glob call's few.
const SCRIPT = `export const meta = { name: 'long-restart', description: 'agents of twenty turns across a server restart' }
return await parallel([1, 2, 3].map((i) => () => agent('long ' + i + ' [turns=${TURNS}] [out=200] [delay=300]')))
`;

const weed = findSeaweedFs();

describe.skipIf(weed === null)('a long run across a Temporal server restart', () => {
  let modelServer: ModelServer | undefined;
  let server: RunningDevServer | undefined;
  let s3: RunningSeaweedFs | undefined;
  const workers: WorkerProcess[] = [];

  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await server?.stop();
    await s3?.stop();
    await modelServer?.close();
  }, 60_000);

  it('completes every agent of twenty turns on two workers with their own homes', { timeout: 240_000 }, async () => {
    modelServer = await startModelServer({ responder: manyTurnsResponder() });
    s3 = await startSeaweedFs(weed!);
    const dbFile = join(tempDir('baton-long-restart-db-'), 'temporal.db');
    server = await startDevServer({ dbFile });
    const port = Number(server.address.split(':')[1]);
    const envOf = () => {
      const home = tempDir('baton-long-restart-home-');
      return {
        PATH: process.env.PATH ?? '',
        HOME: home,
        BATON_HOME: join(home, '.baton'),
        BATON_TASK_QUEUE: 'long-restart',
        BATON_BLOB_STORE: `s3://${s3!.bucket}/long-restart`,
        TEMPORAL_ADDRESS: server!.address,
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: modelServer!.url,
        ...s3!.env,
      };
    };
    for (let i = 0; i < 2; i++) workers.push(await startWorkerProcess(envOf()));
    const clientEnv = envOf();
    const cwd = tempDir('baton-long-restart-cwd-');
    writeFileSync(join(cwd, 'long.js'), SCRIPT);
    const started = await runCli(['run', 'long.js', '--yes', '--detach', '--json'], { env: clientEnv, cwd });
    expect(started.code, started.stderr).toBe(0);
    const { workflowId } = JSON.parse(started.stdout) as { workflowId: string };

    // Kill the server once every agent is five turns in; the workers go on and reconnect.
    const served = () => modelServer!.requests.filter((r) => r.reply.kind === 'message');
    const turnsOf = (i: number) => served().filter((r) => firstUserText(r.body).startsWith(`long ${i} `)).length;
    while ([1, 2, 3].some((i) => turnsOf(i) < 5)) await new Promise((r) => setTimeout(r, 100));
    server.process!.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 2000));
    server = await startDevServer({ dbFile, port });

    let report: { status: string; result: string[]; tokens: { output: number }; agentList: Array<{ turns: number; state: string }> } | undefined;
    for (let i = 0; i < 300 && report?.status !== 'completed' && report?.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const answer = await runCli(['status', workflowId, '--json'], { env: clientEnv, cwd });
      if (answer.code === 0 || answer.code === 3) report = JSON.parse(answer.stdout);
    }
    expect(report?.status, workers.map((w) => w.output()).join('\n')).toBe('completed');
    expect(report!.agentList.map((a) => [a.state, a.turns])).toEqual(Array.from({ length: AGENTS }, () => ['succeeded', TURNS]));
    expect(report!.result).toHaveLength(AGENTS);
    // No completed turn asked again, bar the turns that were at the model when the server went.
    expect(completedTurnsAskedAgain(modelServer.requests)).toBeLessThanOrEqual(AGENTS);
    const servedOutput = served().reduce((sum, r) => sum + (r.reply.kind === 'message' ? r.reply.usage.output_tokens : 0), 0);
    expect(report!.tokens.output).toBeLessThanOrEqual(servedOutput);
    expect(servedOutput - report!.tokens.output).toBeLessThanOrEqual(AGENTS * 60);
    console.log(
      `long run across a restart: ${served().length} model calls served for ${AGENTS * TURNS} turns, ` +
        `${completedTurnsAskedAgain(modelServer.requests)} asked again; ${report!.tokens.output} of ${servedOutput} output tokens counted`,
    );
  });
});
