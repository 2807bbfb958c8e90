// One Bash command as it is actually started: inside bubblewrap with the agent's layout, with a
// network relay when the run allows hosts, or (only on a worker started with --unsafe-bash)
// unconfined. Nothing runs unconfined without that flag: a worker that cannot make the sandbox
// refuses the command with the cause.
import { ToolError } from '../agent-errors.js';
import type { AgentSandbox } from './agent-sandbox.js';
import { bwrapArguments, NET_RELAY_MOUNT, SYSTEM_DIRS } from './bwrap-arguments.js';
import { startNetRelay, type NetRelay } from './net-relay.js';
import { findDenials, type SandboxDenial } from './sandbox-denials.js';
import { sandboxSettings, sandboxSupport } from './sandbox-support.js';

export interface PreparedCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Set when the command runs without a sandbox: what status shows next to it. */
  unconfined: string | null;
  /** What the sandbox refused this command, from its output and the relay's log. */
  denials(output: string): SandboxDenial[];
  /** Stops the relay; call once the command has ended. */
  close(): Promise<void>;
}

/** The port the relay's HTTP proxy takes inside the sandbox, unless a forwarded port has it. */
const PROXY_PORT = 3128;

/** `cwd`: where the command starts, inside the sandbox's root (the agent's workspace). */
export async function prepareCommand(
  command: string,
  sandbox: AgentSandbox,
  cwd: string,
  scratchDir: string,
  env: Record<string, string>,
): Promise<PreparedCommand> {
  const settings = sandboxSettings();
  if (settings.mode === 'unsafe') {
    return { file: 'bash', args: ['-c', command], env, unconfined: 'unsandboxed (worker --unsafe-bash)', denials: () => [], close: async () => {} };
  }
  const support = await sandboxSupport();
  if (!support.available) {
    throw new ToolError(
      `Bash is unavailable on this worker: its sandbox cannot be made (${support.cause}). ` +
        'Its operator can fix that, or start the worker with --unsafe-bash to run commands unconfined. ' +
        'Use the other tools, or say in your answer which command you needed.',
    );
  }
  const base = sandbox.baseLayout(scratchDir, env.PATH ?? '', settings.workerPaths);
  let relay: NetRelay | null = null;
  let inner = ['/bin/bash', '-c', command];
  const commandEnv = { ...env };
  if (sandbox.allowNet.length > 0) {
    if (!support.socat) {
      throw new ToolError(
        'This run allows network hosts (--allow-net), but socat, which carries them into the sandbox, is not installed on this worker; install it with scripts/install-sandbox.sh.',
      );
    }
    relay = await startNetRelay(sandbox.allowNet);
    let proxyPort = PROXY_PORT;
    while (relay.loopbackPorts.includes(proxyPort)) proxyPort++;
    inner = ['/bin/sh', '-c', relayScript(support.socat, proxyPort, relay.loopbackPorts), 'baton-sandbox', command];
    const proxy = `http://127.0.0.1:${proxyPort}`;
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) commandEnv[name] = proxy;
    // Loopback goes straight to the forwarded ports, as it would outside the sandbox.
    commandEnv.NO_PROXY = commandEnv.no_proxy = 'localhost,127.0.0.1,::1';
  }
  const layout = { ...base, netRelayDir: relay?.dir ?? null, cwd };
  const view = {
    visible: [...SYSTEM_DIRS, ...base.writable, ...base.readOnly],
    writable: base.writable,
    masked: base.masked,
    allowNet: sandbox.allowNet,
  };
  return {
    file: support.bwrap,
    args: bwrapArguments(layout, inner),
    env: commandEnv,
    unconfined: null,
    denials: (output) => findDenials(output, view, relay?.denied() ?? []),
    close: async () => relay?.close(),
  };
}

/**
 * Inside the sandbox, before the command: socat listeners on the sandbox's own loopback that
 * lead to the relay's sockets, and a wait (up to 5 s) until they listen, read from /proc/net/tcp
 * so that no probe connection reaches the outside.
 */
function relayScript(socat: string, proxyPort: number, loopbackPorts: readonly number[]): string {
  const listeners = [
    `${socat} TCP-LISTEN:${proxyPort},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${NET_RELAY_MOUNT}/proxy.sock 2>/dev/null &`,
    ...loopbackPorts.map((port) => `${socat} TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${NET_RELAY_MOUNT}/tcp-${port}.sock 2>/dev/null &`),
  ];
  const ports = [proxyPort, ...loopbackPorts];
  const pattern = ports.map((p) => `0100007F:${p.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A`).join('|');
  return [
    ...listeners,
    'i=0',
    `while [ "$(grep -cE '${pattern}' /proc/net/tcp)" -lt ${ports.length} ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done`,
    'exec /bin/bash -c "$1"',
  ].join('\n');
}
