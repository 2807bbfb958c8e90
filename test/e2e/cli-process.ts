import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../harness/temp-dir.js';

const batonBin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for one test's CLI and worker processes: its own home and task queue, no inherited secrets. */
export function cliEnv(temporalAddress: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    TEMPORAL_ADDRESS: temporalAddress,
    BATON_HOME: tempDir('baton-home-'),
    BATON_TASK_QUEUE: `e2e-${Math.random().toString(36).slice(2, 10)}`,
    ...extra,
  };
  return env;
}

/**
 * Runs `baton ...` as a user would, with stdin not a terminal. `commandPrefix` runs it through
 * another command, e.g. `ip netns exec NS` to run it on another host.
 */
export function runCli(
  args: string[],
  options: { env: Record<string, string>; cwd?: string; timeoutMs?: number; commandPrefix?: string[] },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [command, ...prefixArgs] = [...(options.commandPrefix ?? []), process.execPath];
    const child = spawn(command!, [...prefixArgs, batonBin, ...args], { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Decoded as a stream: a character split between two chunks must not become two U+FFFD.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`baton ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export interface WorkerProcess {
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `baton worker` in the background and resolves once it polls its task queue.
 * `commandPrefix` runs it through another command, e.g. `ip netns exec NS` to put it on another host.
 */
export async function startWorkerProcess(env: Record<string, string>, args: string[] = [], options: { commandPrefix?: string[] } = {}): Promise<WorkerProcess> {
  const [command, ...prefixArgs] = [...(options.commandPrefix ?? []), process.execPath];
  const child = spawn(command!, [...prefixArgs, batonBin, 'worker', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('polling task queue')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}):\n${output}`));
    });
  });
  return {
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
