// The model client's fetch (activities/model-fetch.ts) where it differs from the global fetch's
// plumbing but must not differ in what the SDK sees: a compressed body arrives decoded, headers
// and status pass through, and an abort ends a response that is still streaming.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelFetch } from '../../activities/model-fetch.js';

let server: Server;
let base: string;
const received: { method?: string; body: string; headers: Record<string, string | string[] | undefined> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method, body, headers: req.headers });
      if (req.url === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'request-id': 'req_1' });
        res.end(gzipSync(JSON.stringify({ ok: true, echo: body })));
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/slow') {
        // One event now, then nothing: the client must be able to give up.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: ping\ndata: {}\n\n');
      } else {
        res.writeHead(429, { 'retry-after': '3' }).end('{"type":"error"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createModelFetch', () => {
  const modelFetch = createModelFetch();

  it('sends the body and headers and decodes a gzipped answer', async () => {
    const body = JSON.stringify({ prompt: 'héllo → ✓' });
    const response = await modelFetch(`${base}/gzip`, { method: 'POST', body, headers: { 'x-api-key': 'k', 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toBe('req_1');
    expect(await response.json()).toEqual({ ok: true, echo: body });
    const sent = received.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.headers['x-api-key']).toBe('k');
    expect(sent.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('passes an error status and its headers through', async () => {
    const response = await modelFetch(`${base}/limited`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.text()).toBe('{"type":"error"}');
  });

  it('answers a body-less status without a body', async () => {
    const response = await modelFetch(`${base}/empty`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('ends a streaming response when the signal aborts', async () => {
    const controller = new AbortController();
    const response = await modelFetch(`${base}/slow`, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: ping');
    const next = reader.read();
    controller.abort(new Error('stop'));
    await expect(next).rejects.toThrow();
  });

  it('rejects at once when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(modelFetch(`${base}/gzip`, { method: 'POST', body: '{}', signal: controller.signal })).rejects.toThrow('gone');
  });
});
