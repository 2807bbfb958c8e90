import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import { devServerArgs } from '../../stack/dev-server.js';
import { isAlive } from '../../stack/process-files.js';
import { stackDown, stackUp } from '../../stack/local-stack.js';
import { upPort } from '../../stack/stack-address.js';
import { withStackLock } from '../../stack/stack-lock.js';
import { findTemporalCli } from '../../stack/temporal-cli.js';
import { connectClient } from '../../client/connection.js';
import { CliError, EXIT } from '../exit-codes.js';
import { localUiOrigins, serveCodec } from './codec-server.js';

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliError(`not a port: ${value}`);
  return n;
};

interface WorkerFlags {
  concurrency: number;
  rateLimit?: number;
  eagerActivities?: string | true;
  deployment?: string;
  buildId?: string;
  metricsPort?: number;
  otel?: boolean;
  otelEndpoint?: string;
  unsafeBash?: boolean;
}

/** `--eager-activities [when]`: the bare flag is `always`, as it was before `when-idle` became the default. */
function eagerActivitiesOf(flag: string | true | undefined): 'when-idle' | 'always' | 'never' {
  if (flag === undefined) return 'when-idle';
  if (flag === true) return 'always';
  if (flag === 'when-idle' || flag === 'always' || flag === 'never') return flag;
  throw new CliError(`--eager-activities takes when-idle, always or never, got '${flag}'`);
}

/** A build id Temporal accepts (workers/worker-deployment.ts has the same rule, kept here to stay light). */
function buildIdProblem(buildId: string): string | null {
  if (buildId.length === 0 || buildId.length > 255) return 'takes 1 to 255 characters';
  if (!/^[\x21-\x7e]+$/.test(buildId)) return 'takes printable characters without spaces';
  return null;
}

export function registerStack(program: Command): void {
  program
    .command('server')
    .description("Temporal's dev server in the foreground, with a persistent SQLite file and Baton's search attributes")
    .option('--port <port>', 'gRPC port', port, 7233)
    .option('--ui-port <port>', 'Web UI port (default: port + 1000)', port)
    .option('--db <file>', 'SQLite file (default: $BATON_HOME/temporal.db)')
    .option('--codec-port <port>', 'port of the codec server the UI decodes payloads with (default: UI port + 1)', port)
    .action(async (flags: { port: number; uiPort?: number; db?: string; codecPort?: number }) => {
      const settings = loadSettings();
      const dbFile = flags.db ?? join(settings.home, 'temporal.db');
      const uiPort = flags.uiPort ?? flags.port + 1000;
      const codecPort = flags.codecPort ?? uiPort + 1;
      // In this process: the UI shows prompts and results the history only references.
      const codec = await serveCodec(settings.blobStore, { port: codecPort, origins: localUiOrigins(uiPort) });
      const codecEndpoint = `http://127.0.0.1:${codecPort}`;
      const child = spawn(findTemporalCli(), devServerArgs({ port: flags.port, uiPort, dbFile, codecEndpoint }), { stdio: 'inherit' });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
      process.stderr.write(
        `baton server: Temporal on localhost:${flags.port}, UI on http://localhost:${uiPort} (codec server ${codecEndpoint}), data in ${dbFile}\n`,
      );
      const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
      await codec.close();
      process.exitCode = code;
    });

  program
    .command('worker')
    .description('one worker in the foreground; start as many as you like, anywhere that reaches the server')
    .option('--concurrency <n>', 'agents this worker runs at once', (v) => Number(v), 32)
    .option(
      '--rate-limit <rps>',
      "agents started per second on the whole task queue: set in the queue's config on the server, for every worker (see 'baton fleet')",
      (v) => Number(v),
    )
    .option(
      '--eager-activities [when]',
      "take the next agent straight from the workflow task, a server hop less per agent: 'when-idle' (default) only while nothing waits on the queue and it has no rate limit; 'always' (bare flag) also ahead of other runs' waiting agents, skipping fair share and the rate limit; 'never'",
    )
    .option('--deployment <name>', 'register as a version of this Worker Deployment; runs stay on the version they started on (safe upgrades)')
    .option('--build-id <id>', "with --deployment: this version's build id (default: package version and a hash of the workflow bundle)")
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port at /metrics', port)
    .option('--otel', 'export OpenTelemetry traces (workflow and agent spans) over OTLP/HTTP to OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT')
    .option('--otel-endpoint <url>', 'export OpenTelemetry traces to this OTLP/HTTP URL (implies --otel)')
    .option(
      '--unsafe-bash',
      "run agents' Bash commands WITHOUT a sandbox, for hosts where none can be made (trusted scripts only; logged at start, shown on each command in status)",
    )
    .action(async (flags: WorkerFlags) => {
      if (!Number.isInteger(flags.concurrency) || flags.concurrency < 1) throw new CliError('--concurrency takes a whole number of at least 1');
      if (flags.otelEndpoint !== undefined && !URL.canParse(flags.otelEndpoint))
        throw new CliError('--otel-endpoint takes a URL, e.g. http://localhost:4318/v1/traces');
      if (flags.rateLimit !== undefined && !(Number.isFinite(flags.rateLimit) && flags.rateLimit > 0)) {
        throw new CliError('--rate-limit takes a number of agent starts per second above 0, e.g. --rate-limit 2 or --rate-limit 0.5');
      }
      const eagerActivities = eagerActivitiesOf(flags.eagerActivities);
      if (flags.buildId !== undefined && flags.deployment === undefined)
        throw new CliError('--build-id goes with --deployment NAME: it names a version of that deployment.');
      const buildIdError = flags.buildId === undefined ? null : buildIdProblem(flags.buildId);
      if (buildIdError) throw new CliError(`--build-id ${buildIdError}`);
      const settings = loadSettings();
      // Loaded only here: the rest of the CLI is a client and never needs worker code.
      const { runWorker } = await import('../../workers/run-worker.js');
      await runWorker({
        home: settings.home,
        blobStore: settings.blobStore,
        taskQueue: settings.taskQueue,
        concurrency: flags.concurrency,
        rateLimit: flags.rateLimit,
        eagerActivities,
        deployment: flags.deployment === undefined ? undefined : { name: flags.deployment, buildId: flags.buildId },
        metricsPort: flags.metricsPort,
        otel: flags.otel === true || flags.otelEndpoint !== undefined,
        otelEndpoint: flags.otelEndpoint,
        unsafeBash: flags.unsafeBash,
      });
    });

  program
    .command('up')
    .description('start the local stack in the background: dev server (persistent), its UI, and one worker')
    .option('--port <port>', 'gRPC port (default: the port of TEMPORAL_ADDRESS when set to this machine, else 7233)', port)
    .option('--ui-port <port>', 'Web UI port (default: port + 1000)', port)
    .option('--codec-port <port>', 'port of the codec server the UI decodes payloads with (default: UI port + 1)', port)
    .action(async (flags: { port?: number; uiPort?: number; codecPort?: number }) => {
      const settings = loadSettings();
      const serverPort = upPort(flags.port, process.env.TEMPORAL_ADDRESS, 7233);
      if (typeof serverPort !== 'number') throw new CliError(`baton up: ${serverPort.problem}`, EXIT.usage);
      const uiPort = flags.uiPort ?? serverPort + 1000;
      const say = (line: string) => console.log(`baton up: ${line}`);
      // Under a lock: a second `baton up` at the same time waits, then finds the stack running.
      const status = await withStackLock(
        settings.home,
        () => stackUp({ home: settings.home, port: serverPort, uiPort, codecPort: flags.codecPort ?? uiPort + 1, taskQueue: settings.taskQueue }, say),
        say,
      ).catch((error: unknown) => {
        // stackUp's failures are one line each, naming the log to read.
        throw error instanceof CliError ? error : new CliError(`baton up: ${(error as Error).message}`, EXIT.otherEnd);
      });
      process.env.TEMPORAL_ADDRESS ??= status.address;
      await waitForPoller(settings.home, settings.taskQueue, status.workerPid, status.logs.worker);
      console.log(`baton up: ready. Temporal at ${status.address}, UI at ${status.uiUrl}`);
    });

  program
    .command('down')
    .description('stop the local stack started by `baton up` (its data stays)')
    .action(async () => {
      await stackDown(loadSettings().home, (line) => console.log(`baton down: ${line}`));
    });
}

/** The one line of a dead worker's log that says why (its first `baton worker:` or error line), and where the rest is. */
function workerExitReason(workerLog: string): string {
  const lines = readFileSync(workerLog, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const reason =
    [...lines].reverse().find((line) => /^baton( worker)?:/.test(line) && !/polling task queue/.test(line)) ??
    lines.findLast((line) => !/^at /.test(line)) ??
    'no output';
  return `${reason.replace(/^baton( worker)?:\s*/, '')} (log: ${workerLog})`;
}

/** Waits until a worker polls the task queue; if the worker died instead, shows why. */
async function waitForPoller(home: string, taskQueue: string, workerPid: number | null, workerLog: string): Promise<void> {
  const client = await connectClient(home);
  const deadline = Date.now() + 60_000;
  for (;;) {
    // The worker's own death first: the server lists a poller for a minute after it stopped polling.
    if (workerPid && !isAlive(workerPid)) throw new CliError(`baton up: the worker exited at start-up: ${workerExitReason(workerLog)}`, EXIT.otherEnd);
    const described = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // workflow tasks
    });
    // Ready means this worker polls (its identity is `pid@host`), not some worker seen lately.
    const pollers = described.pollers ?? [];
    if (pollers.some((poller) => workerPid === null || (poller.identity ?? '').startsWith(`${workerPid}@`))) return;
    if (Date.now() > deadline) throw new CliError(`no worker polls '${taskQueue}' after 60s; see ${workerLog}`, EXIT.otherEnd);
    await new Promise((r) => setTimeout(r, 500));
  }
}
