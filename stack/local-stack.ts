// `baton up` / `baton down`: the embedded local stack (a dev server with a persistent SQLite
// file, its UI, and one worker) as background processes with pid and log files.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerArgs } from './dev-server.js';
import { readPid, removePid, stackPaths, stopPid, writePid } from './process-files.js';
import { projectRoot } from './project-root.js';
import { findTemporalCli } from './temporal-cli.js';

export interface StackOptions {
  home: string;
  port: number;
  uiPort: number;
  /** The codec server's port: the UI decodes referenced payloads through it. */
  codecPort: number;
  taskQueue: string;
}

export interface StackStatus {
  address: string;
  uiUrl: string;
  serverPid: number | null;
  workerPid: number | null;
  logs: { server: string; worker: string };
}

export async function stackUp(options: StackOptions, say: (line: string) => void): Promise<StackStatus> {
  const paths = stackPaths(options.home);
  const address = `localhost:${options.port}`;
  // The codec server first: the UI the dev server starts points at it. It writes its own pid
  // file once it holds the port, so of two `baton up` at once the file names the one that won.
  const codecPid = readPid(paths.pidFile('codec-server'));
  const codecEndpoint = `http://127.0.0.1:${options.codecPort}`;
  if (codecPid) say(`codec server already running (pid ${codecPid})`);
  else {
    const args = [join(projectRoot(), 'bin', 'baton.js'), 'codec-server', '--port', String(options.codecPort), '--pid-file', paths.pidFile('codec-server')];
    for (const origin of [`http://localhost:${options.uiPort}`, `http://127.0.0.1:${options.uiPort}`]) args.push('--ui-origin', origin);
    const pid = startDetached(process.execPath, args, paths.log('codec-server'), process.env);
    say(`codec server started (pid ${pid}) on ${codecEndpoint}, log ${paths.log('codec-server')}`);
  }
  let serverPid = readPid(paths.pidFile('server'));
  if (serverPid) say(`server already running (pid ${serverPid})`);
  else if (await answers(address)) say(`a Temporal server already answers at ${address}; using it`);
  else {
    const cli = findTemporalCli();
    serverPid = startDetached(
      cli,
      devServerArgs({ port: options.port, uiPort: options.uiPort, dbFile: paths.dbFile, codecEndpoint }),
      paths.log('server'),
      process.env,
    );
    writePid(paths.pidFile('server'), serverPid);
    say(`server started (pid ${serverPid}), data in ${paths.dbFile}`);
  }
  await waitUntil(() => answers(address), 60_000, `Temporal did not answer at ${address}; see ${paths.log('server')}`);
  // Not fatal: runs work without it, only the UI shows references instead of payloads.
  const codecUp = await waitUntil(async () => readPid(paths.pidFile('codec-server')) !== null, 15_000, '').then(
    () => true,
    () => false,
  );
  if (!codecUp) say(`the codec server is not running (the UI will show payload references); see ${paths.log('codec-server')}`);

  let workerPid = readPid(paths.pidFile('worker'));
  if (workerPid) say(`worker already running (pid ${workerPid})`);
  else {
    // MALLOC_ARENA_MAX as in deploy/Dockerfile: glibc's arena per busy thread costs a worker
    // with many agents in flight tens of MiB (docs/performance.md); it must be set before start.
    const env = { MALLOC_ARENA_MAX: '2', ...process.env, TEMPORAL_ADDRESS: address, BATON_TASK_QUEUE: options.taskQueue };
    workerPid = startDetached(process.execPath, [join(projectRoot(), 'bin', 'baton.js'), 'worker'], paths.log('worker'), env);
    writePid(paths.pidFile('worker'), workerPid);
    say(`worker started (pid ${workerPid}), log ${paths.log('worker')}`);
  }
  return {
    address,
    uiUrl: `http://localhost:${options.uiPort}`,
    serverPid,
    workerPid,
    logs: { server: paths.log('server'), worker: paths.log('worker') },
  };
}

export async function stackDown(home: string, say: (line: string) => void): Promise<void> {
  const paths = stackPaths(home);
  // Worker first, so it does not spend its last seconds failing to reach the server.
  for (const name of ['worker', 'codec-server', 'server']) {
    const pid = readPid(paths.pidFile(name));
    if (pid) {
      await stopPid(pid);
      say(`${name} stopped (pid ${pid})`);
    } else say(`${name} was not running`);
    removePid(paths.pidFile(name));
  }
}

function startDetached(command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv): number {
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env });
  child.unref();
  if (!child.pid) throw new Error(`could not start ${command}`);
  return child.pid;
}

async function answers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.getSystemInfo({});
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((r) => setTimeout(r, 300));
  }
}
