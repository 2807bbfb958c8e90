// The model client's fetch: node:http(s) with keep-alive agents in place of the global fetch.
// A worker holds one open model request per agent in flight, often for a minute or more, and
// the global fetch (undici) keeps about 70 KiB per open request: the JSON body as a string and
// again as bytes in two request-body streams, plus the WHATWG Request/stream objects around it.
// A plain ClientRequest drops the body once written, which is most of a worker's memory when it
// holds a thousand agents (docs/performance.md). Anything but a string or byte body (none of
// the calls Baton makes) goes to the global fetch unchanged.
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

// Statuses whose responses have no body; `new Response(body, { status })` rejects one for them.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** A fetch for one model client; its agents share the keep-alive connection pools. */
export function createModelFetch(): typeof fetch {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const body = init.body ?? null;
    const protocol = url.protocol === 'http:' || url.protocol === 'https:' ? url.protocol : null;
    if (input instanceof Request || protocol === null || !(body === null || typeof body === 'string' || body instanceof Uint8Array)) {
      return fetch(input, init);
    }
    init.signal?.throwIfAborted();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
    // What the global fetch asks for (and decodes) too.
    headers['accept-encoding'] ??= 'gzip, deflate, br';
    const request = (protocol === 'https:' ? https : http).request(url, {
      method: init.method ?? 'GET',
      headers,
      agent: agents[protocol],
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      request.once('response', resolve).once('error', reject);
      request.end(body ?? undefined);
    });
    const status = response.statusCode ?? 0;
    const responseHeaders = new Headers();
    for (let i = 0; i < response.rawHeaders.length; i += 2) responseHeaders.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
    if (NULL_BODY_STATUSES.has(status) || init.method === 'HEAD') {
      response.resume();
      return new Response(null, { status, statusText: response.statusMessage ?? '', headers: responseHeaders });
    }
    const stream = decoded(response);
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, statusText: response.statusMessage ?? '', headers: responseHeaders });
  };
}

/** The body with its content-encoding undone, as the global fetch does. */
function decoded(response: http.IncomingMessage): Readable {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : encoding === 'deflate'
        ? zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : encoding === 'br'
          ? zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })
          : null;
  if (!decoder) return response;
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}
