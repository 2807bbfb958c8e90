// The network relay decides every destination before it opens a socket, and fails closed. The
// resolver and the connect function are injected: no name is looked up in real DNS, and every
// connection the relay does open is redirected to a loopback test server, so no traffic leaves
// this machine (the relay's choice of address is what is asserted).
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNetRelay, type NetRelay } from '../../activities/sandbox/net-relay.js';
import { denialMessage } from '../../activities/sandbox/sandbox-denials.js';
import { parseNetAllowance, type NetAllowance } from '../../contract/net-allowance.js';

let server: http.Server;
let serverPort: number;
let relay: NetRelay;
/** What the injected resolver answers, per name; a missing name fails like ENOTFOUND. */
let answers: Record<string, string[]>;
let lookups: string[];
let dialled: Array<[port: number, address: string]>;

const entries = ['api.example.com:443', 'target.example.com:443', 'plain.example.com:80', '10.1.2.3:5432', '10.0.0.0/8:443', '[fd00::/8]:443'];

beforeAll(async () => {
  server = http.createServer((req, res) => res.end(`loopback server saw Host ${req.headers.host} ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverPort = (server.address() as AddressInfo).port;
  const allowances = [...entries, `localhost:${serverPort}`].map((e) => parseNetAllowance(e) as NetAllowance);
  relay = await startNetRelay(allowances, {
    resolve: async (host) => {
      lookups.push(host);
      const answer = answers[host];
      if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return answer;
    },
    connect: (port, address) => {
      dialled.push([port, address]);
      return net.connect(serverPort, '127.0.0.1');
    },
  });
});

afterAll(async () => {
  await relay?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(() => {
  answers = { 'api.example.com': ['203.0.113.10'], 'plain.example.com': ['203.0.113.11'] };
  lookups = [];
  dialled = [];
});

/** Sends `request` to the relay's proxy socket; resolves with what came back up to the end of the head. */
function send(request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path.join(relay.dir, 'proxy.sock'));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
      // A tunnel stays open: its answer is complete at the end of the head.
      if (received.startsWith('HTTP/1.1 200 Connection') && received.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(request);
  });
}

const connectTo = (target: string) => send(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
const getVia = (url: string) => send(`GET ${url} HTTP/1.1\r\nHost: whatever\r\nConnection: close\r\n\r\n`);
const deniedReason = (target: string) => relay.denied().find((d) => d.target === target)?.reason;

describe('a name the run allows', () => {
  it('is looked up once and dialled at exactly that answer', async () => {
    expect(await connectTo('api.example.com:443')).toMatch(/^HTTP\/1.1 200 Connection Established/);
    expect(lookups).toEqual(['api.example.com']);
    expect(dialled).toEqual([[443, '203.0.113.10']]);
  });

  it('is forwarded for a plain-HTTP absolute URL the same way, with its own Host header', async () => {
    const answer = await getVia('http://plain.example.com/path?q=1');
    expect(answer).toContain('loopback server saw Host plain.example.com /path?q=1');
    expect(lookups).toEqual(['plain.example.com']);
    expect(dialled).toEqual([[80, '203.0.113.11']]);
  });

  it.each([
    ['10.0.0.1', 'a private'],
    ['172.16.5.4', 'a private'],
    ['192.168.1.1', 'a private'],
    ['100.64.1.1', 'a private'],
    ['fd12::1', 'a private'],
    ['::ffff:10.0.0.1', 'a private'],
    ['127.0.0.1', 'a loopback'],
    ['::1', 'a loopback'],
    ['::ffff:127.0.0.1', 'a loopback'],
    ['169.254.10.1', 'a link-local'],
    ['fe80::1', 'a link-local'],
    ['169.254.169.254', 'a cloud metadata'],
    ['::ffff:169.254.169.254', 'a cloud metadata'],
    ['fd00:ec2::254', 'a cloud metadata'],
    ['100.100.100.200', 'a cloud metadata'],
    ['64:ff9b::a9fe:a9fe', 'a cloud metadata'],
    ['224.0.0.1', 'a multicast'],
    ['ff02::1', 'a multicast'],
    ['0.0.0.0', 'an unspecified'],
    ['::', 'an unspecified'],
  ])('is refused, before any connection, when it resolves to %s (%s address)', async (address, kind) => {
    answers['target.example.com'] = [address];
    const answer = await connectTo('target.example.com:443');
    expect(answer).toMatch(/^HTTP\/1.1 403 Forbidden/);
    expect(answer).toContain(`target.example.com resolves to ${address}, ${kind} address`);
    expect(lookups).toEqual(['target.example.com']);
    expect(dialled).toEqual([]);
    expect(deniedReason('target.example.com:443')).toContain(`${kind} address`);
  });

  it('is refused when any of its answers is internal, not dialled at the public one', async () => {
    answers['target.example.com'] = ['203.0.113.10', '10.0.0.1'];
    expect(await connectTo('target.example.com:443')).toContain('resolves to 10.0.0.1, a private address');
    expect(dialled).toEqual([]);
  });

  it('is refused when the lookup fails, and not tried again by name', async () => {
    expect(await connectTo('target.example.com:443')).toContain('target.example.com could not be resolved (ENOTFOUND), so it is not dialled');
    expect(await getVia('http://plain.example.com.invalid/')).toMatch(/^HTTP\/1.1 403/);
    expect(lookups).toEqual(['target.example.com']);
    expect(dialled).toEqual([]);
  });

  it('is refused through plain HTTP too when it resolves to an internal address', async () => {
    answers['plain.example.com'] = ['10.0.0.1'];
    expect(await getVia('http://plain.example.com/')).toContain('plain.example.com resolves to 10.0.0.1, a private address');
    expect(dialled).toEqual([]);
  });
});

describe('an entry that is an address or a range', () => {
  it.each([
    ['10.1.2.3:5432', 5432, '10.1.2.3'],
    ['10.200.7.1:443', 443, '10.200.7.1'],
    ['[fd00::5]:443', 443, 'fd00::5'],
    ['[::ffff:10.1.2.3]:5432', 5432, '::ffff:10.1.2.3'],
  ])('reaches exactly what it names: %s', async (target, port, address) => {
    expect(await connectTo(target)).toMatch(/^HTTP\/1.1 200/);
    expect(dialled).toEqual([[port, address]]);
    expect(lookups).toEqual([]);
  });

  it.each(['10.1.2.3:5433', '192.168.1.1:443', '[fe80::1]:443', '203.0.113.10:443'])('reaches nothing else: %s', async (target) => {
    expect(await connectTo(target)).toContain("is not in this run's --allow-net list");
    expect(dialled).toEqual([]);
  });

  it('an explicit localhost entry is dialled on loopback without a lookup', async () => {
    expect(await connectTo(`localhost:${serverPort}`)).toMatch(/^HTTP\/1.1 200/);
    expect(dialled).toEqual([[serverPort, '127.0.0.1']]);
    expect(lookups).toEqual([]);
  });
});

describe('a host spelled to slip past the list', () => {
  it.each([
    ['api.example.com.:443', 'ends in a dot'],
    ['API.EXAMPLE.COM.:443', 'ends in a dot'],
    ['api%2eexample.com:443', 'percent-escapes'],
    ['api.example.com%00:443', 'percent-escapes'],
    ['2130706433:443', 'is not a host name or address'],
    ['0x7f.1:443', 'is not a host name or address'],
  ])('is refused over CONNECT, unlooked-up and undialled: %s', async (target, message) => {
    expect(await connectTo(target)).toContain(message);
    expect(lookups).toEqual([]);
    expect(dialled).toEqual([]);
  });

  it.each([
    ['http://api%2eexample.com/', 'percent-escapes'],
    ['http://2130706433/', 'is not a host name or address'],
    ['http://plain.example.com./', 'ends in a dot'],
    ['http://plain.example.com@10.1.2.3:5432/', 'credentials in the URL are refused'],
    ['https://api.example.com/', 'TLS goes through CONNECT'],
  ])('is refused as a plain-HTTP URL: %s', async (url, message) => {
    const answer = await getVia(url);
    expect(answer).toMatch(/^HTTP\/1.1 403/);
    expect(answer).toContain(message);
    expect(lookups).toEqual([]);
    expect(dialled).toEqual([]);
  });

  it.each([
    ['a NUL byte', Buffer.from('CONNECT api.example.com\0.evil:443 HTTP/1.1\r\n\r\n', 'binary')],
    ['a control character', Buffer.from('CONNECT api.example.com\x01:443 HTTP/1.1\r\n\r\n', 'binary')],
    ['a space', 'CONNECT api .example.com:443 HTTP/1.1\r\n\r\n'],
  ])('is refused when the request line holds %s, and logged as a denial', async (_what, request) => {
    expect(await send(request)).toMatch(/^HTTP\/1.1 400/);
    expect(lookups).toEqual([]);
    expect(dialled).toEqual([]);
    expect(relay.denied().map((d) => d.target)).toContain('malformed proxy request');
  });
});

it("tells the model why, in the tool result's denial note", () => {
  const denial = relay.denied().find((d) => d.target === 'target.example.com:443')!;
  expect(denialMessage([denial])).toContain('- network: target.example.com:443 is not reachable: target.example.com');
});
