// The only way out of a sandbox's network namespace: Unix sockets in a per-command directory,
// bound into the sandbox and served here, outside it, where the run's `--allow-net` list is
// enforced on the host and port actually dialled (never on the command's text).
// - proxy.sock: an HTTP proxy (CONNECT for TLS and any TCP, absolute URLs for plain HTTP);
//   inside, socat exposes it on 127.0.0.1 and HTTP(S)_PROXY/ALL_PROXY point tools at it.
// - tcp-PORT.sock, one per allowed loopback HOST:PORT: a plain pipe to that port of this
//   machine, which inside appears on the sandbox's own 127.0.0.1:PORT, so a test database
//   on the worker is reached exactly as it would be without the sandbox.
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatNetAllowance, isLoopbackHost, netAllows, type NetAllowance } from '../../contract/net-allowance.js';

export interface NetRelay {
  /** Host directory holding the sockets, bound into the sandbox. */
  dir: string;
  /** Loopback ports forwarded as themselves. */
  loopbackPorts: number[];
  /** `host:port` destinations refused so far, for the denial note. */
  denied(): string[];
  close(): Promise<void>;
}

export async function startNetRelay(allowances: readonly NetAllowance[]): Promise<NetRelay> {
  const dir = path.join(tmpdir(), `baton-net-${randomUUID()}`);
  await mkdir(dir, { mode: 0o700 });
  const denied = new Set<string>();
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const servers: net.Server[] = [];

  const proxy = http.createServer((req, res) => void forwardRequest(req, res, allowances, denied));
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => void tunnel(req, client, head, allowances, denied, track));
  proxy.on('connection', track);
  servers.push(proxy);

  const loopbackPorts = [...new Set(allowances.filter((a) => isLoopbackHost(a.host) && a.port !== null).map((a) => a.port!))];
  for (const port of loopbackPorts) {
    const host = allowances.find((a) => isLoopbackHost(a.host) && a.port === port)!.host;
    const forward = net.createServer((inside) => {
      track(inside);
      const outside = net.connect(port, host === 'localhost' ? '127.0.0.1' : host);
      track(outside);
      pipeBoth(inside, outside);
    });
    servers.push(forward);
  }
  try {
    await Promise.all([listen(proxy, path.join(dir, 'proxy.sock')), ...loopbackPorts.map((port, i) => listen(servers[i + 1]!, path.join(dir, `tcp-${port}.sock`)))]);
  } catch (e) {
    await closeAll(servers, sockets, dir);
    throw e;
  }
  return {
    dir,
    loopbackPorts,
    denied: () => [...denied],
    close: () => closeAll(servers, sockets, dir),
  };
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

/**
 * The address to dial for an allowed destination, or null when it is not allowed. A name the
 * run allows must not lead to this machine (a DNS answer of 127.0.0.1 would otherwise open
 * every local service); loopback is reached only through entries that name it.
 */
async function allowedAddress(allowances: readonly NetAllowance[], host: string, port: number): Promise<string | null> {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !netAllows(allowances, bare, port)) return null;
  if (isLoopbackHost(bare)) return bare === 'localhost' ? '127.0.0.1' : bare;
  if (net.isIP(bare)) return bare;
  try {
    const { address } = await lookup(bare);
    return isLoopbackHost(address) || address === '0.0.0.0' || address === '::' ? null : address;
  } catch {
    return bare;
  }
}

function refusal(host: string, port: number): string {
  return `Baton sandbox: ${formatNetAllowance({ host: host.replace(/^\[|\]$/g, ''), port })} is not in this run's --allow-net list`;
}

async function tunnel(
  req: http.IncomingMessage,
  client: net.Socket,
  head: Buffer,
  allowances: readonly NetAllowance[],
  denied: Set<string>,
  track: (s: net.Socket) => void,
): Promise<void> {
  client.on('error', () => client.destroy());
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url ?? '');
  const host = match?.[1] ?? req.url ?? '';
  const port = Number(match?.[2]);
  const address = match ? await allowedAddress(allowances, host, port) : null;
  if (address === null) {
    denied.add(`${host}:${match?.[2] ?? '?'}`);
    const reason = refusal(host, port);
    client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\nConnection: close\r\n\r\n${reason}\n`);
    return;
  }
  const upstream = net.connect(port, address, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    pipeBoth(client, upstream);
  });
  track(upstream);
  upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n'));
}

async function forwardRequest(req: http.IncomingMessage, res: http.ServerResponse, allowances: readonly NetAllowance[], denied: Set<string>): Promise<void> {
  let target: URL;
  try {
    target = new URL(req.url ?? '');
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Baton sandbox proxy: send absolute URLs (http://host/path) or CONNECT\n');
    return;
  }
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const address = target.protocol === 'http:' ? await allowedAddress(allowances, target.hostname, port) : null;
  if (address === null) {
    denied.add(`${target.hostname}:${port}`);
    res.writeHead(403, { 'content-type': 'text/plain' }).end(`${refusal(target.hostname, port)}\n`);
    return;
  }
  const upstream = http.request(
    { host: address, port, method: req.method, path: `${target.pathname}${target.search}`, headers: { ...req.headers, host: target.host } },
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
