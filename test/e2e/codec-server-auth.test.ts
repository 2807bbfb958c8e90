// `baton codec-server` as an operator runs it off loopback: requests need one of the tokens of
// --auth-token-file, or the access token the Temporal UI forwards ("pass access token"), a JWT
// checked against the identity provider's JWKS. The identity provider here is the test's own:
// keys made with jose, its JWKS served on loopback. Every request dials loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/free-port.js';
import { runCli } from './cli-process.js';

const batonBin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const TOKEN = 'c0dec-7e57-70ken-0123456789abcdef';
const AUDIENCE = 'baton-codec';
const UI_ORIGIN = 'https://temporal-ui.example.test';

const dir = mkdtempSync(join(tmpdir(), 'baton-codec-auth-'));
const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir, BATON_HOME: join(dir, 'home') };
const processes: ChildProcess[] = [];
let jwks: Server;
let jwksUrl: string;
let signingKey: CryptoKey;
let otherKey: CryptoKey;
let codecUrl: string;

/** `baton codec-server ARGS` on a free port; resolves with its URL and start line once it listens. */
async function startCodec(args: string[]): Promise<{ url: string; startLine: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [batonBin, 'codec-server', '--port', String(port), ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  processes.push(child);
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  while (!log.includes('baton codec-server:')) {
    if (child.exitCode !== null) throw new Error(`codec server exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, startLine: log.trim() };
}

const jsonPayload = (value: unknown) => ({
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from(JSON.stringify(value)).toString('base64'),
});

function post(url: string, route: string, headers: Record<string, string>, body: unknown = { payloads: [jsonPayload('hello')] }) {
  return fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: UI_ORIGIN, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function jwt(claims: { aud?: string; expiresAt?: number; notBefore?: number }, key = signingKey, kid = 'k1') {
  const now = Math.floor(Date.now() / 1000);
  const builder = new SignJWT({ email: 'ada@example.test' })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject('ada')
    .setIssuedAt(now - 5)
    .setAudience(claims.aud ?? AUDIENCE)
    .setExpirationTime(claims.expiresAt ?? now + 300);
  if (claims.notBefore) builder.setNotBefore(claims.notBefore);
  return builder.sign(key);
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  const tokenFile = join(dir, 'codec-tokens');
  writeFileSync(tokenFile, `# tokens for the codec server\n${TOKEN}\nanother-token-0123456789abcdef\n`);
  ({ url: codecUrl } = await startCodec(['--auth-token-file', tokenFile, '--jwks-url', jwksUrl, '--audience', AUDIENCE, '--ui-origin', UI_ORIGIN]));
}, 60_000);

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(processes.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)));
  await new Promise((resolve) => jwks?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('baton codec-server with --auth-token-file and --jwks-url', () => {
  it('refuses a request with no token (401), and the UI page can read why', async () => {
    const res = await post(codecUrl, '/decode', {});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(((await res.json()) as { message: string }).message).toContain('no bearer token');
  });

  it("answers the UI's preflight without a token (browsers send none on it)", async () => {
    const res = await fetch(`${codecUrl}/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('refuses a token that is not one of the file', async () => {
    const res = await post(codecUrl, '/decode', bearer('not-the-token-0123456789abcdef'));
    expect(res.status).toBe(401);
    const almost = await post(codecUrl, '/decode', bearer(`${TOKEN}x`));
    expect(almost.status).toBe(401);
  });

  it('refuses an expired JWT, one for another audience, one not valid yet, and one signed by another key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      [await jwt({ expiresAt: now - 120 }), 'has expired'],
      [await jwt({ aud: 'some-other-api' }), 'audience'],
      [await jwt({ notBefore: now + 600 }), 'not valid yet'],
      [await jwt({}, otherKey), 'not signed by a key of --jwks-url'],
    ] as const;
    for (const [token, why] of cases) {
      const res = await post(codecUrl, '/decode', bearer(token));
      expect(res.status, why).toBe(401);
      expect(((await res.json()) as { message: string }).message).toContain(why);
    }
  });

  it('decodes for a good token and for a good JWT', async () => {
    for (const headers of [bearer(TOKEN), bearer('another-token-0123456789abcdef'), bearer(await jwt({}))]) {
      const res = await post(codecUrl, '/decode', { ...headers, 'x-namespace': 'default' });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
      expect(await res.json()).toEqual({ payloads: [jsonPayload('hello')] });
    }
  });

  it('refuses /encode without --allow-encode, even with a good token', async () => {
    const res = await post(codecUrl, '/encode', bearer(TOKEN));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toContain('--allow-encode');
  });

  it('refuses a body over 4 MiB with 413', async () => {
    const big = { payloads: [jsonPayload('x'.repeat(3 * 1024 * 1024))] };
    const res = await post(codecUrl, '/decode', bearer(TOKEN), big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toContain('over 4 MiB');
  });
});

describe('baton codec-server limits and refusals', () => {
  it('with --allow-encode, encodes a large payload into the blob store and decodes it back', async () => {
    const tokenFile = join(dir, 'encode-tokens');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const { url, startLine } = await startCodec(['--auth-token-file', tokenFile, '--allow-encode']);
    expect(startLine).toContain('POST /decode, /encode');
    const payload = jsonPayload({ prompt: 'p'.repeat(40_000) });
    const encoded = await post(url, '/encode', bearer(TOKEN), { payloads: [payload] });
    expect(encoded.status).toBe(200);
    const stored = ((await encoded.json()) as { payloads: Array<{ data: string }> }).payloads;
    // What the history holds is a reference, far smaller than the prompt.
    expect(Buffer.from(stored[0]!.data, 'base64').length).toBeLessThan(2_000);
    const decoded = await post(url, '/decode', bearer(TOKEN), { payloads: stored });
    expect(await decoded.json()).toEqual({ payloads: [payload] });
  });

  it('answers 429 past --rate-limit requests a minute from one client', async () => {
    const tokenFile = join(dir, 'rate-tokens');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const { url } = await startCodec(['--auth-token-file', tokenFile, '--rate-limit', '3']);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(url, '/decode', bearer(TOKEN))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await post(url, '/decode', bearer(TOKEN));
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('without authentication listens on loopback only, says so, and refuses a non-loopback --host in one line', async () => {
    const { url, startLine } = await startCodec([]);
    expect(startLine).toContain('no authentication, so loopback only (127.0.0.1)');
    expect(startLine).toContain('/encode off');
    expect((await post(url, '/decode', {})).status).toBe(200);

    const refused = await runCli(['codec-server', '--host', '0.0.0.0', '--port', String(await freePort())], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('--host 0.0.0.0 serves other machines');
    expect(refused.stderr).toContain('add --auth-token-file FILE or --jwks-url URL --audience AUD');
  });

  it.each([
    [['--jwks-url', 'https://idp.example.test/jwks.json'], '--jwks-url needs --audience AUD'],
    [['--audience', AUDIENCE], '--audience goes with --jwks-url URL'],
    [['--jwks-url', 'http://idp.example.test/jwks.json', '--audience', AUDIENCE], '--jwks-url must be https://'],
    [['--auth-token-file', '/nonexistent/tokens'], 'cannot read --auth-token-file /nonexistent/tokens: ENOENT'],
  ])('refuses %j in one line', async (args, message) => {
    const result = await runCli(['codec-server', '--port', String(await freePort()), ...args], { env });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  it('refuses a token file with a short token', async () => {
    const tokenFile = join(dir, 'short-tokens');
    writeFileSync(tokenFile, 'secret\n');
    const result = await runCli(['codec-server', '--port', String(await freePort()), '--auth-token-file', tokenFile], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('token 1 is shorter than 16 characters');
  });
});
