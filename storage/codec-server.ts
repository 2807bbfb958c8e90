// Temporal's Codec Server protocol over Baton's storage, so the Temporal UI and
// `temporal workflow show --codec-endpoint` show prompts, results and checkpoints that the
// history only references: POST /decode and /encode take and return {"payloads": [...]}
// (each payload's metadata values and data base64, as in protobuf JSON). The browser calls it
// from the UI's page, so only the UI's origins get CORS headers. What it decodes is every run's
// prompts and results: off loopback every request must carry a token (storage/codec-auth.ts),
// `/encode` (which writes into the blob store) is off unless asked for, and bodies and request
// rates are bounded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload } from '@temporalio/common';
import { ExternalStorageRunner } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { ClientRateLimit } from './client-rate-limit.js';
import type { CodecAuth } from './codec-auth.js';
import { isLoopbackHost } from './loopback-host.js';
import type { BatonStorage } from './open-storage.js';

export interface CodecServerOptions {
  storage: BatonStorage;
  port: number;
  /** 127.0.0.1 unless given: decoded payloads are a run's prompts and results. */
  host?: string;
  /** Origins whose pages may call it, e.g. http://localhost:8233 for the local UI. */
  allowedOrigins: string[];
  /** Who may call it; required for a host other than loopback (unless `unauthenticated`). */
  auth?: CodecAuth;
  /** Serve a non-loopback host without `auth`: only where something else guards the port. */
  unauthenticated?: boolean;
  /** Serve POST /encode (it writes into the blob store). Default off. */
  allowEncode?: boolean;
  /** Largest request body; larger is refused with 413. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Requests a minute each client address may make; more get 429. Default 600. */
  requestsPerMinute?: number;
  /** One line per refused request or unresolvable payload. */
  log?: (line: string) => void;
}

/** Thrown when a codec server would serve other machines without authentication. */
export class CodecServerUnguarded extends Error {
  override name = 'CodecServerUnguarded';
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

/** The JSON form of a payload on the wire: base64 metadata values and data. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
  externalPayloads?: { sizeBytes?: string | number }[];
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_REQUESTS_PER_MINUTE = 600;

/** A request body over the limit (413). */
class BodyTooLarge extends Error {}

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  if (!options.auth && !options.unauthenticated && !isLoopbackHost(host)) {
    throw new CodecServerUnguarded(`a codec server on ${host} without authentication would show every run's prompts and results to anyone who reaches it`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const rate = new ClientRateLimit(options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE);
  const codecs = options.storage.dataConverter.payloadCodecs ?? [];
  const external = options.storage.dataConverter.externalStorage;
  const runner = external ? new ExternalStorageRunner(external) : undefined;

  const decode = async (payloads: Payload[]): Promise<Payload[]> => {
    // The SDK's order in reverse: references are resolved first, then each codec undone, last one first.
    let result = runner ? await runner.retrieve(payloads) : payloads;
    for (const codec of [...codecs].reverse()) result = await codec.decode(result);
    return result;
  };
  const encode = async (payloads: Payload[], namespace: string): Promise<Payload[]> => {
    let result = payloads;
    for (const codec of codecs) result = await codec.encode(result);
    return runner ? runner.store(result, { target: { kind: 'workflow', namespace } }) : result;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`codec server: ${req.method} ${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, { message: (error as Error).message });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin && options.allowedOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'content-type, x-namespace');
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return;
    }
    // `/decode`, or `/{namespace}/decode` as the CLI's --codec-endpoint templating sends it.
    const route = /^(?:\/([^/]+))?\/(decode|encode)\/?$/.exec(new URL(req.url ?? '/', 'http://codec').pathname);
    if (req.method !== 'POST' || !route) {
      send(res, 404, { message: 'This is a Temporal codec server: POST /decode or /encode with {"payloads": [...]}.' });
      return;
    }
    const client = req.socket.remoteAddress ?? 'unknown';
    const allowed = rate.take(client);
    if (!allowed.ok) {
      res.setHeader('Retry-After', String(allowed.retryAfterSeconds));
      send(res, 429, { message: `Too many requests from ${client}; try again in ${allowed.retryAfterSeconds} s.` });
      return;
    }
    if (options.auth) {
      const verdict = await options.auth(req.headers.authorization);
      if (!verdict.ok) {
        log(`codec server: refused ${req.method} ${route[0]} from ${client}: ${verdict.reason}`);
        res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
        send(res, 401, { message: `Unauthorized: ${verdict.reason}.` });
        return;
      }
    }
    if (route[2] === 'encode' && !options.allowEncode) {
      send(res, 403, { message: '/encode is off: it writes into the blob store. Start the codec server with --allow-encode to serve it.' });
      return;
    }
    let payloads: Payload[];
    try {
      payloads = readPayloads(await readBody(req, maxBodyBytes));
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // Say so, and let the rest of the body drain unbuffered: closing mid-upload would leave
        // the client (a browser) with a broken pipe instead of the reason. The rate limit bounds how often.
        req.resume();
        send(res, 413, { message: error.message });
        return;
      }
      send(res, 400, { message: (error as Error).message });
      return;
    }
    const namespace = String(req.headers['x-namespace'] ?? (route[1] ? decodeURIComponent(route[1]) : 'default'));
    const converted = route[2] === 'decode' ? await decodeEach(payloads) : await encode(payloads, namespace);
    send(res, 200, { payloads: converted.map(toJson) });
  }

  /** One unresolvable payload (expired, another store's) stays a reference, so the rest still show. */
  async function decodeEach(payloads: Payload[]): Promise<Payload[]> {
    try {
      return await decode(payloads);
    } catch {
      return Promise.all(
        payloads.map((payload) =>
          decode([payload]).then(
            ([decoded]) => decoded!,
            (error: unknown) => {
              log(`codec server: a payload stays as it is: ${(error as Error).message}`);
              return payload;
            },
          ),
        ),
      );
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () => new BodyTooLarge(`The request body is over ${Math.round((maxBytes / 1024 / 1024) * 100) / 100} MiB; send fewer payloads at a time.`);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readPayloads(body: string): Payload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error('The body is not JSON; send {"payloads": [{"metadata": {...}, "data": "base64"}]}.');
  }
  const list = (parsed as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) throw new Error('The body has no "payloads" array; send {"payloads": [{"metadata": {...}, "data": "base64"}]}.');
  return list.map((item: JsonPayload) => {
    const metadata: Record<string, Uint8Array> = {};
    for (const [name, value] of Object.entries(item?.metadata ?? {})) metadata[name] = Buffer.from(String(value), 'base64');
    return { metadata, data: Buffer.from(item?.data ?? '', 'base64') };
  });
}

function toJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload.metadata ?? {})) metadata[name] = Buffer.from(value).toString('base64');
  const json: JsonPayload = { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
  if (payload.externalPayloads?.length) json.externalPayloads = payload.externalPayloads.map((d) => ({ sizeBytes: String(d.sizeBytes ?? 0) }));
  return json;
}
