// Several hosts on one Linux machine: each host a network namespace with its own address, all
// joined by a bridge in the root namespace, where the test process is a host too. A test can
// then cut one host off the network while its processes keep running: a partition, not a crash.
// Needs root and iproute2's `ip`.
import { execFileSync } from 'node:child_process';

// Names carry the pid of the test process that made them, so a later run can tell what a
// crashed run left behind (its pid is dead) from what a run in progress is using.
const NAMESPACE = /^baton-(\d+)-[a-z0-9]+$/;
const LINK = /^bt(\d+)-[a-z0-9]+$/;
// A link name has at most 15 characters: `bt` + a pid of up to 7 digits + `-` + this.
const MAX_HOST_NAME = 5;

export interface Host {
  name: string;
  namespace: string;
  ip: string;
  /** Prefix that runs a command on this host: `ip netns exec NAMESPACE`. */
  commandPrefix: string[];
  /** The root namespace's end of the host's cable; down means the host is cut off. */
  link: string;
}

export interface HostNetwork {
  /** The root namespace's address on the bridge: where the hosts reach the test process. */
  bridgeIp: string;
  hosts: Host[];
  /** Cuts the host off: its processes keep running, every packet to or from it is lost. */
  cut(host: Host): void;
  /** Kills whatever still runs on the hosts and removes the namespaces, cables and bridge. */
  destroy(): void;
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Why hosts cannot be made on this machine, or null when they can. */
export function hostNetworkUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  try {
    ip('-V');
  } catch {
    return '`ip` (iproute2) is not installed';
  }
  const probe = `baton-${process.pid}-probe`;
  try {
    ip('netns', 'add', probe);
  } catch (error) {
    return `\`ip netns add\` failed: ${String((error as { stderr?: string }).stderr ?? error).trim()}`;
  }
  ip('netns', 'del', probe);
  return null;
}

/** Hosts with these names (at most 5 lowercase letters or digits each) on a /24 picked from the pid. */
export function createHostNetwork(names: string[]): HostNetwork {
  removeStaleHostNetworks();
  const pid = process.pid;
  // From the pid, so concurrent test runs on this machine get different subnets.
  const subnet = `10.${100 + ((pid >> 8) % 128)}.${pid & 255}`;
  const bridge = `bt${pid}-br`;
  const hosts = names.map((name, i): Host => {
    if (!/^[a-z0-9]+$/.test(name) || name.length > MAX_HOST_NAME) throw new Error(`host name ${name}: at most ${MAX_HOST_NAME} of a-z0-9`);
    const namespace = `baton-${pid}-${name}`;
    return { name, namespace, ip: `${subnet}.${i + 2}`, commandPrefix: ['ip', 'netns', 'exec', namespace], link: `bt${pid}-${name}` };
  });
  const network: HostNetwork = {
    bridgeIp: `${subnet}.1`,
    hosts,
    cut: (host) => void ip('link', 'set', host.link, 'down'),
    destroy: () => {
      for (const host of hosts) removeNamespace(host.namespace, host.link);
      quietly(() => ip('link', 'del', bridge));
    },
  };
  try {
    // nf_call_iptables 0: bridged packets skip iptables, whose FORWARD policy (DROP where Docker runs) would drop them.
    ip('link', 'add', bridge, 'type', 'bridge', 'nf_call_iptables', '0');
    ip('addr', 'add', `${network.bridgeIp}/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    for (const host of hosts) {
      ip('netns', 'add', host.namespace);
      ip('link', 'add', host.link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.namespace);
      ip('link', 'set', host.link, 'master', bridge, 'up');
      ip('-n', host.namespace, 'addr', 'add', `${host.ip}/24`, 'dev', 'eth0');
      ip('-n', host.namespace, 'link', 'set', 'eth0', 'up');
      // The dev server's own services talk to each other over loopback.
      ip('-n', host.namespace, 'link', 'set', 'lo', 'up');
    }
  } catch (error) {
    network.destroy();
    throw error;
  }
  return network;
}

/** Removes namespaces, cables and bridges a crashed run of a test left behind (their pid is dead). */
function removeStaleHostNetworks(): void {
  const namespaces = JSON.parse(ip('-j', 'netns', 'list') || '[]') as { name: string }[];
  for (const { name } of namespaces) {
    const owner = NAMESPACE.exec(name)?.[1];
    if (owner && !isAlive(Number(owner))) removeNamespace(name);
  }
  const links = JSON.parse(ip('-j', 'link', 'show') || '[]') as { ifname: string }[];
  for (const { ifname } of links) {
    const owner = LINK.exec(ifname)?.[1];
    if (owner && !isAlive(Number(owner))) quietly(() => ip('link', 'del', ifname));
  }
}

function removeNamespace(namespace: string, link?: string): void {
  // A namespace lives on while a process is in it: kill those first, then remove its name.
  const pids = quietly(() => ip('netns', 'pids', namespace)) ?? '';
  for (const pid of pids.split('\n').filter(Boolean)) quietly(() => process.kill(Number(pid), 'SIGKILL'));
  // Deleting one end of a veth pair deletes both, at once rather than when the namespace is freed.
  if (link) quietly(() => ip('link', 'del', link));
  quietly(() => ip('netns', 'del', namespace));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Cleanup goes on past what is already gone. */
function quietly<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}
