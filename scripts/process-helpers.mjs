// Process helpers shared by the benchmarks and the crash trials: run `baton`, wait for a port,
// pick a free one.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const baton = fileURLToPath(new URL('../bin/baton.js', import.meta.url));

/** `baton ARGS` with `env`; resolves with its stdout when it exits 0 (or 3: the run failed, its JSON is still printed). */
export function cli(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [baton, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) =>
      code === 0 || code === 3 ? resolve(out) : reject(new Error(`baton ${args.slice(0, 2).join(' ')} exited ${code}: ${err}${out}`)),
    );
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
