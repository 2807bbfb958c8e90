import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import { devServerArgs } from '../../stack/dev-server.js';
import { isAlive } from '../../stack/process-files.js';
import { stackDown, stackUp } from '../../stack/local-stack.js';
import { findTemporalCli } from '../../stack/temporal-cli.js';
import { connectClient } from '../../client/connection.js';
import { CliError, EXIT } from '../exit-codes.js';
import { localUiOrigins, serveCodec } from './codec-server.js';

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliError(`not a port: ${value}`);
  return n;
};

export function registerStack(program: Command): void {
  program
    .command('server')
    .description("Temporal's dev server in the foreground, with a persistent SQLite file and Baton's search attributes")
    .option('--port <port>', 'gRPC port', port, 7233)
    .option('--ui-port <port>', 'Web UI port (default: port + 1000)', port)
    .option('--db <file>', 'SQLite file (default: $BATON_HOME/temporal.db)')
    .option('--codec-port <port>', "port of the codec server the UI decodes payloads with (default: UI port + 1)", port)
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
      process.stderr.write(`baton server: Temporal on localhost:${flags.port}, UI on http://localhost:${uiPort} (codec server ${codecEndpoint}), data in ${dbFile}\n`);
      const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
      await codec.close();
      process.exitCode = code;
    });

  program
    .command('worker')
    .description('one worker in the foreground; start as many as you like, anywhere that reaches the server')
    .option('--concurrency <n>', 'agents this worker runs at once', (v) => Number(v), 32)
    .option('--rate-limit <rps>', 'agents started per second on the whole task queue, enforced by Temporal (give every worker the same value)', (v) => Number(v))
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port at /metrics', port)
    .option('--otel', 'export OpenTelemetry traces (workflow and agent spans) over OTLP/HTTP to OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT')
    .option('--otel-endpoint <url>', 'export OpenTelemetry traces to this OTLP/HTTP URL (implies --otel)')
    .option('--unsafe-bash', "run agents' Bash commands WITHOUT a sandbox, for hosts where none can be made (trusted scripts only; logged at start, shown on each command in status)")
    .action(async (flags: { concurrency: number; rateLimit?: number; metricsPort?: number; otel?: boolean; otelEndpoint?: string; unsafeBash?: boolean }) => {
      if (!Number.isInteger(flags.concurrency) || flags.concurrency < 1) throw new CliError('--concurrency takes a whole number of at least 1');
      if (flags.otelEndpoint !== undefined && !URL.canParse(flags.otelEndpoint)) throw new CliError('--otel-endpoint takes a URL, e.g. http://localhost:4318/v1/traces');
      if (flags.rateLimit !== undefined && !(Number.isFinite(flags.rateLimit) && flags.rateLimit > 0)) {
        throw new CliError('--rate-limit takes a number of agent starts per second above 0, e.g. --rate-limit 2 or --rate-limit 0.5');
      }
      const settings = loadSettings();
      // Loaded only here: the rest of the CLI is a client and never needs worker code.
      const { runWorker } = await import('../../workers/run-worker.js');
      await runWorker({
        home: settings.home,
        blobStore: settings.blobStore,
        taskQueue: settings.taskQueue,
        concurrency: flags.concurrency,
        rateLimit: flags.rateLimit,
        metricsPort: flags.metricsPort,
        otel: flags.otel === true || flags.otelEndpoint !== undefined,
        otelEndpoint: flags.otelEndpoint,
        unsafeBash: flags.unsafeBash,
      });
    });

  program
    .command('up')
    .description('start the local stack in the background: dev server (persistent), its UI, and one worker')
    .option('--port <port>', 'gRPC port', port, 7233)
    .option('--ui-port <port>', 'Web UI port (default: port + 1000)', port)
    .option('--codec-port <port>', "port of the codec server the UI decodes payloads with (default: UI port + 1)", port)
    .action(async (flags: { port: number; uiPort?: number; codecPort?: number }) => {
      const settings = loadSettings();
      const uiPort = flags.uiPort ?? flags.port + 1000;
      const status = await stackUp(
        { home: settings.home, port: flags.port, uiPort, codecPort: flags.codecPort ?? uiPort + 1, taskQueue: settings.taskQueue },
        (line) => console.log(`baton up: ${line}`),
      );
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

/** Waits until a worker polls the task queue; if the worker died instead, shows why. */
async function waitForPoller(home: string, taskQueue: string, workerPid: number | null, workerLog: string): Promise<void> {
  const client = await connectClient(home);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const described = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // workflow tasks
    });
    if ((described.pollers ?? []).length > 0) return;
    if (workerPid && !isAlive(workerPid)) {
      const tail = readFileSync(workerLog, 'utf8').trim().split('\n').slice(-5).join('\n');
      throw new CliError(`the worker exited at start-up:\n${tail}`, EXIT.otherEnd);
    }
    if (Date.now() > deadline) throw new CliError(`no worker polls '${taskQueue}' after 60s; see ${workerLog}`, EXIT.otherEnd);
    await new Promise((r) => setTimeout(r, 500));
  }
}
