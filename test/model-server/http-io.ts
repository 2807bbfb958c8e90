/** Reading requests and writing API-shaped responses over node:http. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorPayload } from './api-errors.js';
import type { ErrorReply } from './replies.js';
import { formatEvent, messageEvents } from './sse.js';
import type { MessageResponse } from './wire-types.js';

// The API's request size limit for the Messages endpoint.
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, requestId: string, payload: unknown, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'request-id': requestId,
    ...extra,
  });
  res.end(body);
}

export function sendError(res: ServerResponse, requestId: string, error: ErrorReply['error'], extra: Record<string, string> = {}): void {
  const headers = { ...extra };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  sendJson(res, error.status, requestId, errorPayload(error.type, error.message, requestId), headers);
}

/**
 * Streams the message; with `generate`, message_start goes first and the rest once `generate`
 * resolves true. Resolves false when the client left before the end (the rest unsent).
 */
export async function sendStream(res: ServerResponse, requestId: string, message: MessageResponse, generate?: () => Promise<boolean>): Promise<boolean> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': requestId,
  });
  const [start, ...rest] = messageEvents(message);
  res.write(formatEvent(start!));
  if (generate && !(await generate())) return false;
  // One write per event, so the client reads a stream rather than one buffer.
  for (const event of rest) res.write(formatEvent(event));
  res.end();
  return true;
}

/** The body as text, or undefined past the size limit. */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseOrEmpty(raw: string | undefined): unknown {
  try {
    return raw ? JSON.parse(raw) : {};
  } catch {
    return {};
  }
}

export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function abortedWhenClientLeaves(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** Resolves true after ms, or false as soon as the client has gone. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
