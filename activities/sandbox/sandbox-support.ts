// Whether this worker can sandbox Bash, found out once per process by starting one real
// sandbox, and what it does when it cannot: refuse Bash (the default), or run it unconfined
// because its operator said so with `baton worker --unsafe-bash`.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { bwrapArguments } from './bwrap-arguments.js';

export type SandboxMode = 'required' | 'unsafe';

export type SandboxSupport = { available: true; bwrap: string; version: string; socat: string | null } | { available: false; cause: string };

export interface SandboxSettings {
  mode: SandboxMode;
  /** Never visible to a command even inside a bound directory: the worker's home, BATON_HOME. */
  workerPaths: string[];
}

let settings: SandboxSettings = { mode: 'required', workerPaths: [homedir(), path.join(homedir(), '.baton')] };
let support: Promise<SandboxSupport> | null = null;

/** Set once by the worker at start (`baton worker [--unsafe-bash]`). */
export function configureSandbox(next: Partial<SandboxSettings>): void {
  settings = { ...settings, ...next };
}

export function sandboxSettings(): SandboxSettings {
  return settings;
}

/** Starts `true` in a sandbox like every command's; cached, so a worker pays for it once. */
export function sandboxSupport(): Promise<SandboxSupport> {
  support ??= probe();
  return support;
}

const INSTALL_HINT = 'install it with scripts/install-sandbox.sh (Debian: apt-get install bubblewrap socat)';

async function probe(): Promise<SandboxSupport> {
  const bwrap = await which('bwrap');
  if (!bwrap) return { available: false, cause: `bubblewrap (bwrap) is not installed on this worker; ${INSTALL_HINT}` };
  const version = (await run(bwrap, ['--version']).catch(() => ({ stdout: 'bubblewrap (unknown version)' }))).stdout.trim();
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-sandbox-probe-'));
  try {
    await run(bwrap, bwrapArguments({ writable: [dir], readOnly: [], masked: [], netRelayDir: null, cwd: dir }, ['/bin/sh', '-c', 'true']));
  } catch (e) {
    const detail = ((e as { stderr?: string }).stderr || (e as Error).message).trim();
    return {
      available: false,
      cause:
        `bubblewrap cannot create a sandbox here (${detail}). It needs unprivileged user namespaces: ` +
        'on a host, sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; in a container, ' +
        'a seccomp/AppArmor profile that allows unshare and mount (see docs/sandbox.md, Kubernetes)',
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { available: true, bwrap, version, socat: await which('socat') };
}

function run(file: string, args: string[]): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve({ stdout });
    });
  });
}

async function which(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
