// `--allow-net HOST[:PORT]`: the network a run's Bash commands may reach through the sandbox.
// Pure, so the CLI, the config file, the workflow (agent()'s `allowNet` option) and the
// sandbox's relay all read an entry the same way.

export interface NetAllowance {
  /**
   * Lower-case host name, IPv4 address, IPv6 address without brackets, or an address range
   * (`10.0.0.0/8`, `fd00::/8`). A name is resolved once per connection and never leads to a
   * loopback, private, link-local or metadata address; an address or range is reached as written.
   */
  host: string;
  /** null: every port of the host. */
  port: number | null;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV6 = /^[0-9a-f:.]+$/;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

export const NET_ALLOWANCE_FORM = "HOST[:PORT], e.g. 'registry.example.org:443', '127.0.0.1:5432' or '10.0.0.0/8:443'";

/**
 * A host name as DNS spells it: letters, digits, hyphens and dots, no trailing dot, and a last
 * label that is not all digits (so `127.1` or `2130706433` is not taken for a name).
 */
export function isHostName(host: string): boolean {
  return HOST_NAME.test(host) && !/(?:^|\.)\d+$/.test(host);
}

/** A dotted-quad IPv4 address (the only IPv4 form an entry or a request may use). */
export function isIPv4Literal(host: string): boolean {
  return IPV4.test(host);
}

/** An address range `ADDRESS/BITS`; the address is checked by its reader (the relay, with node:net). */
export function cidrParts(host: string): { address: string; bits: number; family: 4 | 6 } | null {
  const match = /^([0-9a-f:.]+)\/(\d{1,3})$/.exec(host);
  if (!match) return null;
  const family = isIPv4Literal(match[1]!) ? 4 : match[1]!.includes(':') && IPV6.test(match[1]!) ? 6 : null;
  const bits = Number(match[2]);
  if (family === null || bits > (family === 4 ? 32 : 128)) return null;
  return { address: match[1]!, bits, family };
}

/** Parses one entry; returns an error message that names the expected form when it is not one. */
export function parseNetAllowance(text: string): NetAllowance | string {
  const trimmed = text.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(trimmed);
  const match = bracketed ?? plain;
  const host = match?.[1];
  const range = host === undefined ? null : cidrParts(host);
  const valid = host !== undefined && (range !== null || (bracketed ? IPV6.test(host) && host.includes(':') : isHostName(host) || isIPv4Literal(host)));
  if (!match || !valid) {
    return `${JSON.stringify(text)} is not a host: expected ${NET_ALLOWANCE_FORM}.`;
  }
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    return `${JSON.stringify(text)} has no valid port: a port is 1 to 65535, e.g. ${host}:443.`;
  }
  // A loopback address is reached through a forwarder per port: there is no "every port" of it.
  if (port === null && isLoopbackHost(host)) {
    return `${JSON.stringify(text)} names this machine without a port: name the one port commands need, e.g. ${host}:5432.`;
  }
  return { host, port };
}

/** `host:port` as a user writes it (IPv6 in brackets). */
export function formatNetAllowance({ host, port }: NetAllowance): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return port === null ? shown : `${shown}:${port}`;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Whether `host:port` is covered by one of `allowances`. */
export function netAllows(allowances: readonly NetAllowance[], host: string, port: number): boolean {
  const wanted = host.toLowerCase().replace(/^\[|\]$/g, '');
  return allowances.some((a) => a.host === wanted && (a.port === null || a.port === port));
}

/**
 * An agent's own `allowNet` can only narrow its run's list: an entry is kept when the run allows
 * it too (same host; the run allows every port or the same one). Entries are valid strings.
 */
export function narrowNetAllowances(runList: readonly string[], agentList: readonly string[]): { kept: string[]; dropped: string[] } {
  const run = runList.map(parseNetAllowance).filter((a): a is NetAllowance => typeof a !== 'string');
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const entry of agentList) {
    const parsed = parseNetAllowance(entry);
    const covered = typeof parsed !== 'string' && run.some((r) => r.host === parsed.host && (r.port === null || r.port === parsed.port));
    (covered ? kept : dropped).push(entry);
  }
  return { kept, dropped };
}
