// Several hosts on one machine (Linux network namespaces): the Temporal server on one, a worker
// on each of two others, the test model and the `baton` CLI on the machine itself. The worker
// running an agent is cut off the network mid-call and keeps running (a partition, not a
// crash): after the agent's 30 s heartbeat timeout Temporal retries it on the other worker, and
// the run ends with the result a clean run gives.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstUserText, reply, startModelServer, text, type ModelServer, type RecordedRequest } from '../model-server/index.js';
import { startDevServer, type RunningDevServer } from '../harness/temporal-dev-server.js';
import { createHostNetwork, hostNetworkUnavailable, type Host, type HostNetwork } from '../harness/network-namespaces.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';

const SCRIPT = `export const meta = { name: 'steps', description: 'four steps in a row' }
const done = []
for (const step of ['one', 'two', 'three', 'four']) done.push(await agent('step ' + step))
return done
`;
// Each model call takes this long, so the test can cut a worker while its agent waits on one.
const DELAY_MS = 1500;
// The agent activity's heartbeat timeout (workflows/agent-runner.ts).
const HEARTBEAT_TIMEOUT_MS = 30_000;

const unavailable = hostNetworkUnavailable();
if (unavailable) console.warn(`several-hosts: skipped, ${unavailable}`);

interface RunReport {
  status: string;
  result: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(unavailable !== null)('several hosts', () => {
  let network: HostNetwork | undefined;
  let modelServer: ModelServer | undefined;
  let server: RunningDevServer | undefined;
  let env: Record<string, string>;
  let scriptPath: string;
  const workers = new Map<Host, WorkerProcess>();
  let cutHost: Host | undefined;

  beforeAll(async () => {
    network = createHostNetwork(['srv', 'w1', 'w2']);
    const [serverHost, ...workerHosts] = network.hosts;
    // On the bridge, where the workers' namespaces reach it.
    modelServer = await startModelServer({
      host: network.bridgeIp,
      responder: (request) => ({ ...reply(text(`did ${firstUserText(request)}`)), delayMs: DELAY_MS }),
    });
    // The namespace is the server's alone: the default port is free there.
    server = await startDevServer({ onHost: serverHost!, port: 7233 });
    env = cliEnv(server.address, { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
    scriptPath = join(mkdtempSync(join(tmpdir(), 'baton-hosts-')), 'steps.js');
    writeFileSync(scriptPath, SCRIPT);
    for (const host of workerHosts) workers.set(host, await startWorkerProcess(env, [], { commandPrefix: host.commandPrefix }));
  }, 180_000);

  afterAll(async () => {
    for (const [host, worker] of workers) {
      // A graceful stop would wait for a server the cut worker cannot reach.
      if (host === cutHost) worker.process.kill('SIGKILL');
      else await worker.stop();
    }
    await server?.stop();
    await modelServer?.close();
    network?.destroy();
  }, 60_000);

  it('a worker cut off mid-agent: the agent is retried on the other host and the run ends as a clean run does', { timeout: 240_000 }, async () => {
    const clean = await runCli(['run', scriptPath, '--yes', '--json'], { env, timeoutMs: 90_000 });
    expect(clean.code, clean.stderr).toBe(0);
    const cleanReport = JSON.parse(clean.stdout) as RunReport;
    expect(cleanReport).toMatchObject({ status: 'completed', result: ['did step one', 'did step two', 'did step three', 'did step four'] });

    const since = modelServer!.requests.length;
    const requests = () => modelServer!.requests.slice(since);
    const asked = (step: string): RecordedRequest[] => requests().filter((r) => firstUserText(r.body) === `step ${step}`);
    const hostAt = (address: string) => [...workers.keys()].find((host) => host.ip === address);
    const hostOf = (request: RecordedRequest) => hostAt(request.remoteAddress)?.name ?? request.remoteAddress;
    const started = await runCli(['run', scriptPath, '--yes', '--detach', '--json'], { env });
    expect(started.code, started.stderr).toBe(0);
    const { workflowId } = JSON.parse(started.stdout) as { workflowId: string };

    // Cut the host whose worker is waiting on step two's model call.
    const firstTry = await waitFor(() => asked('two')[0], 60_000, () => `no request for step two; asked from: ${requests().map(hostOf).join(', ')}`);
    cutHost = hostAt(firstTry.remoteAddress);
    expect(cutHost, `step two asked from ${firstTry.remoteAddress}`).toBeDefined();
    const otherHost = [...workers.keys()].find((host) => host !== cutHost)!;
    const cutWorker = workers.get(cutHost!)!;
    network!.cut(cutHost!);
    const cutAt = Date.now();

    let report: RunReport = { status: 'running', result: null };
    for (let i = 0; i < 150 && report.status === 'running'; i++) {
      await sleep(1000);
      const answer = await runCli(['status', workflowId, '--json'], { env });
      if (answer.code === 0) report = JSON.parse(answer.stdout) as RunReport;
    }
    expect(report.status, `cut worker's output:\n${cutWorker.output()}`).toBe('completed');
    expect(report.result).toEqual(cleanReport.result);
    // Step two once on the cut host, then once more on the other host, which answered it.
    const stepTwo = asked('two');
    expect(stepTwo.map(hostOf)).toEqual([cutHost!.name, otherHost.name]);
    expect(stepTwo[1]!.reply.kind).toBe('message');
    // Temporal gave up on the cut attempt only when its heartbeats stopped arriving (the timeout counts
    // from its last heartbeat, a little before the cut), then waited the retry interval.
    expect(stepTwo[1]!.receivedAt - cutAt).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS - 5_000);
    // The finished step is not asked again; the later ones run where the network is.
    expect(asked('one')).toHaveLength(1);
    for (const step of ['three', 'four']) expect(asked(step).map(hostOf)).toEqual([otherHost.name]);
    // Partitioned, not crashed: the cut worker is still running.
    expect(cutWorker.process.exitCode).toBeNull();
    expect(cutWorker.process.signalCode).toBeNull();
    console.log(`several hosts: ${cutHost!.name} cut ${((stepTwo[1]!.receivedAt - cutAt) / 1000).toFixed(1)} s before step two was retried`);
  });
});

async function waitFor<T>(find: () => T | undefined, timeoutMs: number, explain: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(explain());
    await sleep(100);
  }
}
