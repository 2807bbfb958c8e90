// What a worker says about its agents' Bash at start: sandboxed (the default, checked now by
// starting one sandbox), refused with the cause, or, with --unsafe-bash, loudly unconfined.
import { homedir } from 'node:os';
import { configureSandbox, sandboxSupport } from '../activities/sandbox/sandbox-support.js';

/** Configures the sandbox for this process; returns the phrase the worker's start line carries. */
export async function startBashSandbox(home: string, unsafeBash: boolean, log: (line: string) => void): Promise<string> {
  // BATON_HOME (blob store, checkpoints, config) and the worker's home are hidden even where a
  // workspace would hold them.
  configureSandbox({ mode: unsafeBash ? 'unsafe' : 'required', workerPaths: [homedir(), home] });
  if (unsafeBash) {
    log(
      "baton worker: WARNING: --unsafe-bash: agents' Bash commands run WITHOUT A SANDBOX, with this worker's " +
        'files, credentials and network. Run this worker only for trusted scripts and repositories.',
    );
    return 'Bash UNSANDBOXED (--unsafe-bash)';
  }
  const support = await sandboxSupport();
  if (!support.available) {
    log(`baton worker: agents' Bash is refused on this worker: ${support.cause}. Fix that, or start the worker with --unsafe-bash to run Bash unconfined.`);
    return 'Bash refused (no sandbox)';
  }
  if (!support.socat)
    log('baton worker: socat is not installed: Bash commands of runs with --allow-net are refused; install it with scripts/install-sandbox.sh.');
  return `Bash sandboxed (${support.version})`;
}
