// The only way out of a sandbox's network namespace: Unix sockets in a per-command directory,
// bound into the sandbox and served here, outside it, where the run's `--allow-net` list is
// enforced on the host and port actually dialled (never on the command's text).
// - proxy.sock: an HTTP proxy (CONNECT for TLS and any TCP, absolute URLs for plain HTTP);
//   inside, socat exposes it on 127.0.0.1 and HTTP(S)_PROXY/ALL_PROXY point tools at it.
// - tcp-PORT.sock, one per allowed loopback HOST:PORT: a plain pipe to that port of this
//   machine, which inside appears on the sandbox's own 127.0.0.1:PORT, so a test database
//   on the worker is reached exactly as it would be without the sandbox.
// Every destination is decided once, before any socket is opened (net-destination.ts), and the
// connection goes to exactly the address decided; anything refused is logged for the denial note.
// There is no SOCKS listener: ALL_PROXY points at the HTTP proxy too.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isLoopbackHost, type NetAllowance } from '../../contract/net-allowance.js';
import { destinationFor, shownHost, systemResolve, type Resolve } from './net-destination.js';
import type { SandboxDenial } from './sandbox-denials.js';

export interface NetRelay {
  /** Host directory holding the sockets, bound into the sandbox. */
  dir: string;
  /** Loopback ports forwarded as themselves. */
  loopbackPorts: number[];
  /** What was refused so far, for the denial note. */
  denied(): SandboxDenial[];
  close(): Promise<void>;
}

export interface NetRelayOptions {
  /** Looks a name up; called once per connection to an allowed name. */
  resolve?: Resolve;
  /** Opens every outgoing TCP connection, to the address already decided. */
  connect?: (port: number, address: string) => net.Socket;
}

const defaultConnect = (port: number, address: string) => net.connect({ port, host: address });

export async function startNetRelay(allowances: readonly NetAllowance[], options: NetRelayOptions = {}): Promise<NetRelay> {
  const resolve = options.resolve ?? systemResolve;
  const connect = options.connect ?? defaultConnect;
  const dir = path.join(tmpdir(), `baton-net-${randomUUID()}`);
  await mkdir(dir, { mode: 0o700 });
  const denied = new Map<string, SandboxDenial>();
  const deny = (target: string, reason: string) => denied.set(target, { kind: 'network', target, reason });
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const servers: net.Server[] = [];
  const relay = { allowances, resolve, connect, deny, track };

  const proxy = http.createServer((req, res) => void forwardRequest(req, res, relay));
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => void tunnel(req, client, head, relay));
  proxy.on('connection', track);
  // A request line the HTTP parser rejects (a NUL or control byte in the host...) reaches no one.
  proxy.on('clientError', (error: NodeJS.ErrnoException, socket: net.Socket) => {
    if (error.code?.startsWith('HPE_')) deny('malformed proxy request', `the relay could not read the request (${error.code})`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  servers.push(proxy);

  const loopbackPorts = [...new Set(allowances.filter((a) => isLoopbackHost(a.host) && a.port !== null).map((a) => a.port!))];
  for (const port of loopbackPorts) {
    const host = allowances.find((a) => isLoopbackHost(a.host) && a.port === port)!.host;
    const forward = net.createServer((inside) => {
      track(inside);
      const outside = connect(port, host === 'localhost' ? '127.0.0.1' : host);
      track(outside);
      pipeBoth(inside, outside);
    });
    servers.push(forward);
  }
  try {
    await Promise.all([
      listen(proxy, path.join(dir, 'proxy.sock')),
      ...loopbackPorts.map((port, i) => listen(servers[i + 1]!, path.join(dir, `tcp-${port}.sock`))),
    ]);
  } catch (e) {
    await closeAll(servers, sockets, dir);
    throw e;
  }
  return {
    dir,
    loopbackPorts,
    denied: () => [...denied.values()],
    close: () => closeAll(servers, sockets, dir),
  };
}

interface Relay {
  allowances: readonly NetAllowance[];
  resolve: Resolve;
  connect: (port: number, address: string) => net.Socket;
  deny: (target: string, reason: string) => void;
  track: (socket: net.Socket) => void;
}

function listen(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
}

async function closeAll(servers: net.Server[], sockets: Set<net.Socket>, dir: string): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(() => resolve(undefined)))));
  await rm(dir, { recursive: true, force: true });
}

function pipeBoth(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

/** `host:port` (IPv6 in brackets) as the request spelled it, before anything decodes it. */
const AUTHORITY = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/;

function refusalText(reason: string): string {
  return `Baton sandbox: ${reason}\n`;
}

async function tunnel(req: http.IncomingMessage, client: net.Socket, head: Buffer, relay: Relay): Promise<void> {
  client.on('error', () => client.destroy());
  const target = req.url ?? '';
  const match = AUTHORITY.exec(target);
  const port = Number(match?.[2] ?? NaN);
  const decided =
    match && match[2] ? await destinationFor(relay.allowances, match[1]!, port, relay.resolve) : { refused: `${JSON.stringify(target)} is not HOST:PORT` };
  if ('refused' in decided) {
    relay.deny(match && match[2] ? shownHost(match[1]!, port) : JSON.stringify(target), decided.refused);
    const reason = refusalText(decided.refused);
    client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\nConnection: close\r\n\r\n${reason}`);
    return;
  }
  const upstream = relay.connect(port, decided.address);
  relay.track(upstream);
  upstream.once('connect', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    pipeBoth(client, upstream);
  });
  upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n'));
}

async function forwardRequest(req: http.IncomingMessage, res: http.ServerResponse, relay: Relay): Promise<void> {
  // Read from the raw request line: URL parsing would decode percent-escapes and rewrite
  // numeric hosts (http://2130706433/ is 127.0.0.1 to it) before the check.
  const absolute = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(req.url ?? '');
  if (!absolute) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Baton sandbox proxy: send absolute URLs (http://host/path) or CONNECT\n');
    return;
  }
  const [, scheme, authority, rest] = absolute as unknown as [string, string, string, string];
  const match = AUTHORITY.exec(authority);
  const port = Number(match?.[2] || (scheme.toLowerCase() === 'https' ? 443 : 80));
  let decided: Awaited<ReturnType<typeof destinationFor>>;
  if (scheme.toLowerCase() !== 'http') decided = { refused: `${scheme}:// through the proxy is not relayed; TLS goes through CONNECT` };
  else if (!match || authority.includes('@')) decided = { refused: `${JSON.stringify(authority)} is not HOST[:PORT] (credentials in the URL are refused)` };
  else decided = await destinationFor(relay.allowances, match[1]!, port, relay.resolve);
  if ('refused' in decided) {
    relay.deny(match ? shownHost(match[1]!, port) : JSON.stringify(authority), decided.refused);
    res.writeHead(403, { 'content-type': 'text/plain' }).end(refusalText(decided.refused));
    return;
  }
  const address = decided.address;
  const upstream = http.request(
    {
      host: address,
      port,
      method: req.method,
      path: rest || '/',
      headers: { ...req.headers, host: authority },
      // No agent: with one (even `agent: false`), Node opens its own socket and ignores this.
      createConnection: () => relay.connect(port, address),
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`Baton sandbox proxy: ${e.message}\n`);
  });
  req.pipe(upstream);
}
