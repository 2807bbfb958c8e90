import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidRequestError, ResponderError } from './api-errors.js';
import { assembleTurn } from './assemble-message.js';
import { abortedWhenClientLeaves, flattenHeaders, parseOrEmpty, readBody, sendError, sendJson, sendStream, sleep } from './http-io.js';
import { newId } from './ids.js';
import { promptBlocks } from './prompt-blocks.js';
import { isErrorReply, isResetReply, isStallReply, overloaded, type ContentReply, type Reply } from './replies.js';
import { echoResponder, type Responder } from './responders.js';
import { PromptCache } from './usage.js';
import { validateRequest } from './validate-request.js';
import type { MessageResponse, MessagesRequestBody, StopReason, Usage } from './wire-types.js';

export interface ModelServerOptions {
  /** Plays the model; echoResponder when absent. */
  responder?: Responder;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Address to listen on; 127.0.0.1 when absent. Another network namespace reaches it only on a routable one. */
  host?: string;
  /** When set, requests must carry exactly this key (x-api-key or Authorization: Bearer). */
  apiKey?: string;
  /** Called with a one-line summary of each answered request. */
  log?: (line: string) => void;
  /** What `GET /v1/models` lists (default OFFERED_MODELS); null: the endpoint answers 404, as a provider without it. */
  models?: ListedModel[] | null;
}

/** A listed model: its id (released LISTED_AT), or its id and release date. */
export type ListedModel = string | { id: string; createdAt: string };

/** The current lineup's ids, as the provider lists them: three fable releases, the newest first. */
export const OFFERED_MODELS = ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5', 'claude-fable-5-2', 'claude-fable-5-1', 'claude-fable-5'];

/** Release dates of the lineup (`created_at`); an id not here was released LISTED_AT. */
const RELEASED: Record<string, string> = {
  'claude-fable-5': '2026-03-02T00:00:00Z',
  'claude-fable-5-1': '2026-07-14T00:00:00Z',
  'claude-fable-5-2': '2026-11-18T00:00:00Z',
};
const LISTED_AT = '2026-11-01T00:00:00Z';

/** What the server finally did with a request. */
export type ReplySummary =
  | { kind: 'pending' }
  | { kind: 'message'; status: 200; stream: boolean; stopReason: StopReason; usage: Usage }
  /** A scripted error reply. */
  | { kind: 'error'; status: number; errorType: string; message: string }
  /** Refused by the server itself: validation, auth, routing, as the real API would. */
  | { kind: 'rejected'; status: number; errorType: string; message: string }
  | { kind: 'responder-error'; status: 500; message: string }
  | { kind: 'reset' }
  /** The client went away during a delay or a stall. */
  | { kind: 'aborted' }
  /** The client went away while a streamed answer was generating (`generateMs`): billed the prompt and message_start's output. */
  | { kind: 'interrupted'; usage: Usage }
  /** `GET /v1/models` answered. */
  | { kind: 'models'; status: 200 };

export interface RecordedRequest {
  method: string;
  path: string;
  /** The JSON body as sent; it conforms to the type only when reply.kind is not 'rejected' ({} if unparseable). */
  body: MessagesRequestBody;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The client's IP address, which tells apart workers on different hosts. */
  remoteAddress: string;
  receivedAt: number;
  reply: ReplySummary;
}

export interface ModelServer {
  /** e.g. http://127.0.0.1:PORT (the host it listens on), usable as the SDK's baseURL or ANTHROPIC_BASE_URL. */
  url: string;
  /** Every request received, in arrival order, including rejected ones. */
  requests: RecordedRequest[];
  /** How many times `GET /v1/models` was asked (a worker asks once at start). */
  readonly modelListings: number;
  /** Replaces the responder; its ctx.index starts again at 0. */
  setResponder(responder: Responder): void;
  /** Replaces what `GET /v1/models` lists (null: 404), as a provider releasing a model. */
  setModels(models: ListedModel[] | null): void;
  close(): Promise<void>;
}

const VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

/** A local stand-in for the Messages API that validates like the real one and plays scripted turns. */
export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  let responder = options.responder ?? echoResponder;
  let answered = 0;
  let modelListings = 0;
  let listed = options.models === undefined ? OFFERED_MODELS : options.models;
  const requests: RecordedRequest[] = [];
  const cache = new PromptCache();
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newId('req');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method: req.method ?? '',
      path,
      body: parseOrEmpty(raw) as MessagesRequestBody,
      headers: flattenHeaders(req),
      remoteAddress: req.socket.remoteAddress ?? '',
      receivedAt: Date.now(),
      reply: { kind: 'pending' },
    };
    // Model listings (a worker's GET /v1/models at start) are counted apart: `requests` are calls to the model.
    const listing = req.method === 'GET' && path === '/v1/models';
    if (listing) modelListings++;
    else requests.push(record);
    const done = (reply: ReplySummary): void => {
      record.reply = reply;
      log(`${record.method} ${path} ${'status' in reply ? reply.status : '-'} ${reply.kind}${'message' in reply ? `: ${reply.message}` : ''}`);
    };
    const reject = (status: number, type: string, message: string): void => {
      sendError(res, requestId, { status, type, message }, { 'x-should-retry': 'false' });
      done({ kind: 'rejected', status, errorType: type, message });
    };

    if (raw === undefined) return reject(413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    const models = listed;
    const listsModels = listing && models !== null;
    if (!listsModels && (req.method !== 'POST' || path !== '/v1/messages')) return reject(404, 'not_found_error', 'Not Found');
    const authError = checkAuth(record.headers, options.apiKey);
    if (authError) return reject(401, 'authentication_error', authError);
    if (listsModels) {
      sendJson(res, 200, requestId, modelList(models));
      return done({ kind: 'models', status: 200 });
    }
    const version = record.headers['anthropic-version'];
    if (!version) return reject(400, 'invalid_request_error', 'anthropic-version: header is required');
    if (!VERSION_FORMAT.test(version)) return reject(400, 'invalid_request_error', `anthropic-version: invalid version ${version}`);
    if (!(record.headers['content-type'] ?? '').startsWith('application/json')) {
      return reject(400, 'invalid_request_error', 'content-type: must be application/json');
    }

    let body: MessagesRequestBody;
    try {
      body = validateRequest(JSON.parse(raw));
    } catch (e) {
      if (e instanceof SyntaxError) return reject(400, 'invalid_request_error', `The request body is not valid JSON: ${e.message}`);
      if (e instanceof InvalidRequestError) return reject(400, 'invalid_request_error', e.message);
      throw e;
    }

    const aborted = abortedWhenClientLeaves(res);
    let reply: Reply;
    try {
      reply = await responder(body, { index: answered++ });
    } catch (e) {
      return failResponder(e);
    }
    while (isStallReply(reply)) {
      // A stall sends nothing at all, not even headers: the client sees a silent connection.
      if (!(await sleep(reply.stallMs, aborted))) return done({ kind: 'aborted' });
      reply = reply.then ?? overloaded();
    }
    if (isResetReply(reply)) {
      req.socket.destroy();
      return done({ kind: 'reset' });
    }
    if (isErrorReply(reply)) {
      sendError(res, requestId, reply.error);
      return done({ kind: 'error', status: reply.error.status, errorType: reply.error.type, message: reply.error.message });
    }
    if (!(await sleep(reply.delayMs ?? 0, aborted))) return done({ kind: 'aborted' });
    try {
      const message = buildMessage(body, reply, cache);
      if (body.stream) {
        const generateMs = reply.generateMs;
        const generate = generateMs ? () => sleep(generateMs, aborted) : undefined;
        if (!(await sendStream(res, requestId, message, generate))) return done({ kind: 'interrupted', usage: { ...message.usage, output_tokens: 1 } });
      } else sendJson(res, 200, requestId, message);
      done({ kind: 'message', status: 200, stream: body.stream === true, stopReason: message.stop_reason, usage: message.usage });
    } catch (e) {
      return failResponder(e);
    }

    function failResponder(e: unknown): void {
      const message = `model-server responder failed: ${e instanceof ResponderError ? e.message : e instanceof Error ? e.stack : String(e)}`;
      sendError(res, requestId, { status: 500, type: 'api_error', message }, { 'x-should-retry': 'false' });
      done({ kind: 'responder-error', status: 500, message });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`model-server internal error: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) sendError(res, newId('req'), { status: 500, type: 'api_error', message: 'Internal server error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    requests,
    get modelListings() {
      return modelListings;
    },
    setResponder(next) {
      responder = next;
      answered = 0;
    },
    setModels(next) {
      listed = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // Stalled and keep-alive connections would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function buildMessage(body: MessagesRequestBody, reply: ContentReply, cache: PromptCache): MessageResponse {
  const turn = assembleTurn(body, reply);
  const input = cache.account(body.model, promptBlocks(body));
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model: body.model,
    content: turn.content,
    stop_reason: turn.stopReason,
    stop_sequence: turn.stopSequence,
    usage: { ...input, output_tokens: turn.outputTokens, ...serverToolUse(turn.content), service_tier: 'standard' },
  };
}

function serverToolUse(content: MessageResponse['content']): Pick<MessageResponse['usage'], 'server_tool_use'> {
  const count = (name: string) => content.filter((b) => b.type === 'server_tool_use' && b.name === name).length;
  if (!content.some((b) => b.type === 'server_tool_use')) return {};
  return { server_tool_use: { web_search_requests: count('web_search'), web_fetch_requests: count('web_fetch') } };
}

function checkAuth(headers: Record<string, string>, expected: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  const key = headers['x-api-key'] ?? bearer;
  if (!key) return 'x-api-key header is required';
  if (expected !== undefined && key !== expected) return 'invalid x-api-key';
  return undefined;
}

/** The Models API's list page: every model on one page, newest first as the API orders them. */
function modelList(models: ListedModel[]) {
  const data = models.map((model) => {
    const { id, createdAt } = typeof model === 'string' ? { id: model, createdAt: RELEASED[model] ?? LISTED_AT } : model;
    return { type: 'model', id, display_name: id, created_at: createdAt };
  });
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
