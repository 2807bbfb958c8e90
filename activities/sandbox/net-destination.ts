// Where the relay may connect for a `host:port` a sandboxed command asked for, decided once per
// connection and before any socket is opened. A name the run allows is resolved exactly once and
// the connection goes to that answer, which must not be a loopback, private, link-local,
// multicast, unspecified or cloud-metadata address: an allowed name whose DNS someone else
// controls must not become a way into the worker's own network. An entry that is an address or
// a range (`10.1.2.3:5432`, `10.0.0.0/8:443`) reaches exactly what it names, and nothing else.
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { cidrParts, formatNetAllowance, isHostName, isIPv4Literal, type NetAllowance } from '../../contract/net-allowance.js';

/** All the addresses a name has, as one lookup answers them. */
export type Resolve = (host: string) => Promise<string[]>;

export const systemResolve: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export type Destination = { address: string } | { refused: string };

// Checked in this order, so the reason names the most specific kind.
const SPECIAL_RANGES: Array<[kind: string, ranges: string[]]> = [
  ['a cloud metadata', ['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32', '168.63.129.16/32', '192.0.0.192/32', 'fd00:ec2::254/128']],
  ['an unspecified', ['0.0.0.0/8', '::/128']],
  ['a loopback', ['127.0.0.0/8', '::1/128']],
  ['a private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fec0::/10']],
  ['a link-local', ['169.254.0.0/16', 'fe80::/10']],
  ['a multicast', ['224.0.0.0/4', 'ff00::/8']],
  ['a reserved', ['192.0.0.0/24', '198.18.0.0/15', '240.0.0.0/4', '64:ff9b:1::/48']],
];

/** Each kind's ranges; node:net's BlockList also matches IPv4-mapped IPv6 forms (::ffff:10.0.0.1). */
const SPECIAL: Array<[kind: string, list: net.BlockList]> = SPECIAL_RANGES.map(([kind, ranges]) => {
  const list = new net.BlockList();
  for (const range of ranges) {
    const [address, bits] = range.split('/') as [string, string];
    const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    list.addSubnet(address, Number(bits), family);
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits, to the same place.
    if (family === 'ipv4') list.addSubnet(`64:ff9b::${address}`, 96 + Number(bits), 'ipv6');
  }
  return [kind, list];
});

/** The kind of special address `address` is ("a private"...), or null for an ordinary public one. */
export function specialAddressKind(address: string): string | null {
  const family = net.isIPv6(address) ? 'ipv6' : net.isIPv4(address) ? 'ipv4' : null;
  if (family === null) return 'an unparsable';
  return SPECIAL.find(([, list]) => list.check(address, family))?.[0] ?? null;
}

/** Whether an address or range entry covers `address` (an IPv4-mapped IPv6 form counts as its IPv4). */
function addressEntryCovers(entry: string, address: string): boolean {
  const range = cidrParts(entry);
  const list = new net.BlockList();
  if (range) list.addSubnet(range.address, range.bits, range.family === 4 ? 'ipv4' : 'ipv6');
  else if (net.isIP(entry)) list.addAddress(entry, net.isIPv6(entry) ? 'ipv6' : 'ipv4');
  else return false;
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  return list.check(address, family) || (family === 'ipv4' && list.check(`::ffff:${address}`, 'ipv6'));
}

const isAddressEntry = (host: string) => net.isIP(host) !== 0 || cidrParts(host) !== null;

/**
 * Whether a run's list covers `host:port`, by the same rules the relay dials by (an address is
 * covered by an address or range entry, a name only by the same name).
 */
export function allowanceCovers(allowances: readonly NetAllowance[], host: string, port: number): boolean {
  const wanted = host.toLowerCase().replace(/^\[|\]$/g, '');
  const portOk = (a: NetAllowance) => a.port === null || a.port === port;
  if (net.isIP(wanted)) return allowances.some((a) => portOk(a) && isAddressEntry(a.host) && addressEntryCovers(a.host, wanted));
  return allowances.some((a) => portOk(a) && a.host === wanted);
}

/** `host` as it arrived (CONNECT target or absolute URL), quoted when it holds anything unusual. */
export function shownHost(host: string, port: number | string): string {
  return /^[\w.:[\]-]+$/.test(host) ? `${host}:${port}` : `${JSON.stringify(host)}:${port}`;
}

/**
 * Where to connect for `rawHost:port` (as the command sent them, IPv6 in brackets), or why not.
 * `resolve` is called at most once, and only for a name the list allows.
 */
export async function destinationFor(allowances: readonly NetAllowance[], rawHost: string, port: number, resolve: Resolve): Promise<Destination> {
  const bracketed = /^\[(.*)\]$/.exec(rawHost);
  const host = (bracketed?.[1] ?? rawHost).toLowerCase();
  const shown = formatNetAllowance({ host, port });
  const notListed = { refused: `${shown} is not in this run's --allow-net list` };
  if (bracketed ? !net.isIPv6(host) : !(isHostName(host) || isIPv4Literal(host))) {
    const trailingDot = isHostName(host.replace(/\.$/, '')) && host.endsWith('.');
    return {
      refused: trailingDot
        ? `${JSON.stringify(rawHost)} ends in a dot: name the host as the run's --allow-net list does (${host.slice(0, -1)})`
        : `${JSON.stringify(rawHost)} is not a host name or address (control characters, percent-escapes and spaces are refused)`,
    };
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { refused: `${JSON.stringify(rawHost)}: port ${port} is not 1 to 65535` };
  const entries = allowances.filter((a) => a.port === null || a.port === port);
  if (net.isIP(host)) {
    return entries.some((a) => isAddressEntry(a.host) && addressEntryCovers(a.host, host)) ? { address: host } : notListed;
  }
  if (!entries.some((a) => a.host === host)) return notListed;
  // An explicit `localhost:PORT` entry names this machine; it is not looked up.
  if (host === 'localhost') return { address: '127.0.0.1' };
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (e) {
    return { refused: `${host} could not be resolved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}), so it is not dialled` };
  }
  if (addresses.length === 0) return { refused: `${host} has no address, so it is not dialled` };
  // Every answer is checked, not only the one dialled: a name mixing public and internal
  // addresses is refused as a whole.
  for (const address of addresses) {
    const kind = specialAddressKind(address);
    if (kind !== null) {
      return {
        refused: `${host} resolves to ${address}, ${kind} address, which a host name never reaches; allow the address itself (--allow-net ${formatNetAllowance({ host: address, port })}) if that is meant`,
      };
    }
  }
  return { address: addresses[0]! };
}
