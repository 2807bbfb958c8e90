import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from '../../stack/temporal-cli.js';
import { devServerArgs } from '../../stack/dev-server.js';
import { freePort } from './free-port.js';

export interface RunningDevServer {
  address: string;
  uiPort: number | null;
  process: ChildProcess | null;
  stop(): Promise<void>;
}

/**
 * Starts a real Temporal dev server (in memory, or on `dbFile` to survive a restart) for the
 * test run, or reuses the one named by TEMPORAL_ADDRESS when no database or address is asked for.
 * `onHost` starts it on another host: its command run through `commandPrefix` (e.g.
 * `ip netns exec NS`), reached at `ip`. Resolves once the frontend answers.
 */
export async function startDevServer(
  options: { withUi?: boolean; dbFile?: string; port?: number; onHost?: { ip: string; commandPrefix: string[] } } = {},
): Promise<RunningDevServer> {
  const existing = process.env.TEMPORAL_ADDRESS;
  if (existing && !options.dbFile && !options.onHost) return { address: existing, uiPort: null, process: null, stop: async () => {} };

  const port = options.port ?? (await freePort());
  const uiPort = options.withUi ? await freePort() : null;
  const cli = findTemporalCli();
  const args = devServerArgs({ port, uiPort: uiPort ?? undefined, headless: !options.withUi, dbFile: options.dbFile });
  // All interfaces: the dev server's services dial each other on 127.0.0.1 whatever `--ip` says.
  if (options.onHost) args.push('--ip', '0.0.0.0');
  const [command, ...prefixArgs] = [...(options.onHost?.commandPrefix ?? []), cli];
  const child = spawn(command!, [...prefixArgs, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const address = `${options.onHost?.ip ?? '127.0.0.1'}:${port}`;
  await waitForFrontend(address, child, () => stderr);
  return {
    address,
    uiPort,
    process: child,
    stop: () => stopProcess(child),
  };
}

async function waitForFrontend(address: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server exited (${child.exitCode}): ${stderr()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Temporal dev server did not answer on ${address}: ${String(error)}\n${stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
