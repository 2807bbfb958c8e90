// A git server for the tests that cross hosts: `git daemon` serving the bare repositories under
// a directory over git://, pushes enabled (`--enable=receive-pack`), anonymous. On another host
// (a network namespace) through `commandPrefix`. Stopping it kills it.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { tempDir } from './temp-dir.js';

export interface RunningGitDaemon {
  /** Where repositories go: `git init --bare DIR/NAME.git` is served as `${url}/NAME.git`. */
  dir: string;
  /** `git://IP:PORT`. */
  url: string;
  stop(): Promise<void>;
}

export async function startGitDaemon(options: { ip: string; port?: number; commandPrefix?: string[] }): Promise<RunningGitDaemon> {
  const dir = tempDir('baton-git-daemon-');
  const port = options.port ?? 9418;
  const [command, ...args] = [
    ...(options.commandPrefix ?? []),
    'git',
    'daemon',
    '--reuseaddr',
    '--export-all',
    '--enable=receive-pack',
    `--base-path=${dir}`,
    `--listen=${options.ip}`,
    `--port=${port}`,
    dir,
  ];
  const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const deadline = Date.now() + 15_000;
  while (!(await reachable(options.ip, port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      kill();
      throw new Error(`git daemon did not start on ${options.ip}:${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    dir,
    url: `git://${options.ip}:${port}`,
    stop: async () => {
      process.removeListener('exit', kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      kill();
    },
  };
}

/** Whether the port accepts connections (hosts' addresses route from the root namespace, over the bridge). */
function reachable(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
