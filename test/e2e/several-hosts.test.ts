// A fleet that shares no disk, across hosts on one machine (Linux network namespaces): one host
// runs the Temporal server, the S3 server (SeaweedFS) and a git server (`git daemon`); two more run
// a worker each; a fourth runs the `baton` CLI from an empty directory. Every host has its own
// HOME and BATON_HOME; the test model is on the bridge. An editing fan-out runs on the git remote
// (`--repo`); the worker host running an agent is cut off mid-call and keeps running (a partition,
// not a crash): after the agent's 30 s heartbeat timeout Temporal retries it on the other host.
// The remote then holds one branch per editing agent with exactly that agent's change, based on
// the pinned commit, and the client reads the run's 1 MB result through the object store.
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstUserText, reply, text, toolResults, toolUse, startModelServer, type ModelServer, type RecordedRequest } from '../model-server/index.js';
import { startDevServer, type RunningDevServer } from '../harness/temporal-dev-server.js';
import { startGitDaemon, type RunningGitDaemon } from '../harness/git-daemon.js';
import { createHostNetwork, hostNetworkUnavailable, type Host, type HostNetwork } from '../harness/network-namespaces.js';
import { findSeaweedFs, startSeaweedFs, type RunningSeaweedFs } from '../harness/seaweedfs.js';
import { runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const FILES = ['alpha', 'beta', 'gamma', 'delta'];
const SCRIPT = `export const meta = { name: 'fanout', description: 'each agent edits one file of the repository' }
const done = await parallel(${JSON.stringify(FILES)}.map((f) => () => agent('edit ' + f + ' [write=' + f + '.txt]')))
// A result far over Temporal's payload threshold: it travels through the object store.
return { done, padding: 'x'.repeat(1000000) }
`;
// Each model call takes this long, so the test can cut a worker while its agent waits on one.
const DELAY_MS = 2000;
// The agent activity's heartbeat timeout (workflows/agent-runner.ts).
const HEARTBEAT_TIMEOUT_MS = 30_000;

const unavailableHosts = hostNetworkUnavailable();
const weed = unavailableHosts ? null : findSeaweedFs();
const unavailable = unavailableHosts ?? (weed ? null : 'SeaweedFS is not installed');
if (unavailable) console.warn(`several-hosts: skipped, ${unavailable}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  }).trim();

describe.skipIf(unavailable !== null)('several hosts, no shared disk', () => {
  let network: HostNetwork | undefined;
  let modelServer: ModelServer | undefined;
  let server: RunningDevServer | undefined;
  let s3: RunningSeaweedFs | undefined;
  let gitServer: RunningGitDaemon | undefined;
  let cliHost: Host;
  let remote: { url: string; bare: string; pinned: string };
  const workers = new Map<Host, WorkerProcess>();
  const homes = new Map<string, string>();
  let cutHost: Host | undefined;

  /** A host's own environment: its HOME and BATON_HOME, the servers on `srv`, nothing inherited from this machine's Baton. */
  function envOf(host: Host): Record<string, string> {
    const home = tempDir(`baton-host-${host.name}-`);
    homes.set(host.name, home);
    return {
      PATH: process.env.PATH ?? '',
      HOME: home,
      BATON_HOME: join(home, '.baton'),
      BATON_TASK_QUEUE: 'hosts',
      BATON_BLOB_STORE: `s3://${s3!.bucket}/fleet`,
      TEMPORAL_ADDRESS: server!.address,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: modelServer!.url,
      ...s3!.env,
    };
  }

  beforeAll(async () => {
    network = createHostNetwork(['srv', 'w1', 'w2', 'cli']);
    const [serverHost, w1, w2, cli] = network.hosts as [Host, Host, Host, Host];
    cliHost = cli;
    // On the bridge, where every host reaches it: the provider is outside the fleet.
    modelServer = await startModelServer({
      host: network.bridgeIp,
      responder: (request) => {
        const prompt = firstUserText(request);
        if (toolResults(request).length > 0) return reply(text(`edited: ${prompt}`));
        const file = /\[write=([^\]]+)\]/.exec(prompt)?.[1] ?? 'none.txt';
        return { ...reply(toolUse('Write', { file_path: file, content: `${prompt}\n` })), delayMs: DELAY_MS };
      },
    });
    server = await startDevServer({ onHost: serverHost, port: 7233 });
    s3 = await startSeaweedFs(weed!, { ip: serverHost.ip, commandPrefix: serverHost.commandPrefix });
    gitServer = await startGitDaemon({ ip: serverHost.ip, commandPrefix: serverHost.commandPrefix });
    // The repository the agents work on, served by the git host.
    const bare = join(gitServer.dir, 'app.git');
    const seed = tempDir('baton-hosts-seed-');
    git(seed, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(seed, 'README.md'), '# app\n');
    git(seed, 'add', '-A');
    git(seed, 'commit', '--quiet', '-m', 'first');
    git(gitServer.dir, 'clone', '--quiet', '--bare', seed, bare);
    remote = { url: `${gitServer.url}/app.git`, bare, pinned: git(seed, 'rev-parse', 'HEAD') };
    for (const host of [w1, w2]) workers.set(host, await startWorkerProcess(envOf(host), [], { commandPrefix: host.commandPrefix }));
  }, 240_000);

  afterAll(async () => {
    for (const [host, worker] of workers) {
      // A graceful stop would wait for a server the cut worker cannot reach.
      if (host === cutHost) worker.process.kill('SIGKILL');
      else await worker.stop();
    }
    await gitServer?.stop();
    await s3?.stop();
    await server?.stop();
    await modelServer?.close();
    network?.destroy();
  }, 60_000);

  it(
    'a worker cut off mid-agent: the run completes on the other host, one branch per editing agent, the 1 MB result read by a client elsewhere',
    { timeout: 300_000 },
    async () => {
      const cliEnv = envOf(cliHost);
      // The CLI on its own host, from an empty directory: the script is its only file.
      const cwd = tempDir('baton-hosts-cwd-');
      writeFileSync(join(cwd, 'fanout.js'), SCRIPT);
      const cli = (args: string[], timeoutMs?: number) => runCli(args, { env: cliEnv, cwd, commandPrefix: cliHost.commandPrefix, timeoutMs });

      const hostAt = (address: string) => [...workers.keys()].find((host) => host.ip === address);
      const hostOf = (request: RecordedRequest) => hostAt(request.remoteAddress)?.name ?? request.remoteAddress;
      const firstCalls = () => modelServer!.requests.filter((r) => r.body.messages?.length === 1);
      const started = await cli(['run', 'fanout.js', '--repo', remote.url, '--yes', '--detach', '--json', '--concurrency', '2']);
      expect(started.code, started.stderr).toBe(0);
      const { workflowId } = JSON.parse(started.stdout) as { workflowId: string };

      // Cut the host whose worker is waiting on an agent's first model call.
      const deadline = Date.now() + 60_000;
      while (firstCalls().length === 0 && Date.now() < deadline) await sleep(100);
      const firstTry = firstCalls()[0];
      expect(firstTry, 'no agent reached the model').toBeDefined();
      cutHost = hostAt(firstTry!.remoteAddress);
      expect(cutHost, `asked from ${firstTry!.remoteAddress}`).toBeDefined();
      const cutAgentPrompt = firstUserText(firstTry!.body);
      const cutWorker = workers.get(cutHost!)!;
      network!.cut(cutHost!);
      const cutAt = Date.now();

      let status = 'running';
      let report: { status: string; repo?: { commit: string }; agentList: Array<{ id: string; branch?: string | null }> } | undefined;
      for (let i = 0; i < 200 && (status === 'running' || status === 'paused'); i++) {
        await sleep(1000);
        const answer = await cli(['status', workflowId, '--json']);
        if (answer.code === 0 || answer.code === 3) {
          report = JSON.parse(answer.stdout);
          status = report!.status;
        }
      }
      expect(status, `cut worker's output:\n${cutWorker.output()}`).toBe('completed');
      expect(report!.repo?.commit).toBe(remote.pinned);

      // The cut agent was asked again from the other host, once its heartbeats had stopped for the timeout.
      const retried = modelServer!.requests.filter((r) => firstUserText(r.body) === cutAgentPrompt && r.body.messages?.length === 1);
      const otherHost = [...workers.keys()].find((host) => host !== cutHost)!;
      expect(retried.map(hostOf)).toEqual([cutHost!.name, otherHost.name]);
      expect(retried[1]!.receivedAt - cutAt).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS - 5_000);

      // One branch per editing agent on the remote, each holding exactly its own file, based on the pinned commit.
      const branches = git(remote.bare, 'branch', '--list', 'baton/*', '--format=%(refname:short)').split('\n').sort();
      expect(branches).toEqual(['a1', 'a2', 'a3', 'a4'].map((id) => `baton/${workflowId}/${id}`));
      FILES.forEach((file, i) => {
        const branch = `baton/${workflowId}/a${i + 1}`;
        expect(git(remote.bare, 'rev-parse', `${branch}^`)).toBe(remote.pinned);
        expect(git(remote.bare, 'diff', '--name-only', remote.pinned, branch)).toBe(`${file}.txt`);
        expect(git(remote.bare, 'show', `${branch}:${file}.txt`)).toBe(`edit ${file} [write=${file}.txt]`);
      });
      expect(report!.agentList.map((a) => a.branch)).toEqual(branches);

      // The client, on its own host, reads the 1 MB result through the object store.
      const result = await cli(['result', workflowId, '--json'], 60_000);
      expect(result.code, result.stderr).toBe(0);
      const value = (JSON.parse(result.stdout) as { result: { done: string[]; padding: string } }).result;
      expect(value.padding).toHaveLength(1_000_000);
      expect(value.done).toHaveLength(4);
      // Nothing of the run in any host's home but the workers' repository caches.
      for (const [name, home] of homes) {
        const baton = join(home, '.baton');
        const entries = (() => {
          try {
            return readdirSync(baton);
          } catch {
            return [];
          }
        })();
        expect(
          entries.filter((entry) => entry === 'blobs' || entry === 'checkpoints'),
          `${name}'s BATON_HOME`,
        ).toEqual([]);
      }
      // Partitioned, not crashed: the cut worker is still running.
      expect(cutWorker.process.exitCode).toBeNull();
      console.log(
        `several hosts: ${cutHost!.name} cut ${((retried[1]!.receivedAt - cutAt) / 1000).toFixed(1)} s before its agent was retried on ${otherHost.name}`,
      );
    },
  );
});
