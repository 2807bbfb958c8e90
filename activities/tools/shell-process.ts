// One `bash -c` run: its own process group, so a timeout or a cancelled activity kills the
// command and everything it started, and output kept to a fixed size however much it prints.
import { spawn } from 'node:child_process';

const HEARTBEAT_EVERY_MS = 2_000;
// After bash exits, output still buffered in the pipes is read for at most this long; a process
// that escaped the group (setsid) could otherwise hold them open forever.
const DRAIN_AFTER_EXIT_MS = 2_000;

export interface ShellOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Characters of output kept: the first and last halves, with a note for what was cut. */
  maxOutputChars: number;
  signal?: AbortSignal;
  heartbeat: () => void;
  /** What to start instead of `bash -c command`: the sandbox wrapping it (sandbox/sandboxed-command.ts). */
  spawnAs?: { file: string; args: string[] };
}

export interface ShellResult {
  /** stdout and stderr interleaved in the order they arrived, as a terminal shows them. */
  output: string;
  exitCode: number | null;
  /** The signal that ended bash, when one did (always SIGKILL after a timeout). */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.spawnAs?.file ?? 'bash', options.spawnAs?.args ?? ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A new process group whose id is bash's pid: `kill(-pid)` reaches every descendant.
      detached: true,
    });
    const output = new CappedOutput(options.maxOutputChars);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => output.add(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => output.add(chunk));

    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const beats = setInterval(options.heartbeat, HEARTBEAT_EVERY_MS);
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let drain: NodeJS.Timeout | undefined;

    const finish = (error?: Error) => {
      clearTimeout(timer);
      clearTimeout(drain);
      clearInterval(beats);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) return reject(error);
      resolve({ output: output.text(), exitCode: exit?.code ?? null, signal: exit?.signal ?? null, timedOut });
    };
    child.on('error', (e) => finish(e));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Background jobs do not outlive the call: nothing would ever collect their output.
      killGroup();
      drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, DRAIN_AFTER_EXIT_MS);
    });
    child.on('close', () => finish());
    if (options.signal?.aborted) killGroup();
  });
}

/** Keeps the head and the tail of a stream: a build's first error and its summary both matter. */
class CappedOutput {
  private head = '';
  private tail = '';
  private total = 0;

  constructor(private readonly max: number) {}

  add(chunk: string): void {
    this.total += chunk.length;
    const half = Math.floor(this.max / 2);
    if (this.head.length < half) {
      const room = half - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk) this.tail = (this.tail + chunk).slice(-(this.max - half));
  }

  text(): string {
    const cut = this.total - this.head.length - this.tail.length;
    if (cut <= 0) return this.head + this.tail;
    return `${this.head}\n\n[... ${cut} characters of output truncated (${this.total} in all); redirect to a file and Grep it, or print less ...]\n\n${this.tail}`;
  }
}
