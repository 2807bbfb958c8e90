import { newId } from './ids.js';
import type { Block, ServerToolUseBlock, TextBlock, ToolUseBlock, WebFetchToolResultBlock, WebSearchToolResultBlock } from './wire-types.js';

/** A model turn. stop_reason defaults to 'tool_use' when content has a tool_use, else 'end_turn'. */
export interface ContentReply {
  content: Block[];
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'pause_turn';
  /** Wait this long before answering, e.g. to let a test cancel an in-flight call. */
  delayMs?: number;
  /**
   * Streamed answers: send message_start (the prompt's usage, which the provider bills from
   * then on), then wait this long before the content, as a long generation does.
   */
  generateMs?: number;
}

/** An HTTP error in the API's shape. The SDK retries 408/409/429/5xx on its own (maxRetries). */
export interface ErrorReply {
  error: { status: number; type: string; message: string; retryAfterSeconds?: number };
}

/** Destroy the socket before any response byte: the SDK sees a connection error. */
export interface ResetReply {
  resetConnection: true;
}

/**
 * Hold the connection open with nothing sent for stallMs (to exercise client timeouts), then
 * send `then`, which defaults to 529 overloaded. A client that gave up earlier sees only the stall.
 */
export interface StallReply {
  stallMs: number;
  then?: Reply;
}

export type Reply = ContentReply | ErrorReply | ResetReply | StallReply;

export function text(s: string): TextBlock {
  return { type: 'text', text: s };
}

export function toolUse(name: string, input: Record<string, unknown>, id: string = newId('toolu')): ToolUseBlock {
  return { type: 'tool_use', id, name, input };
}

/** A web search the provider ran within the turn: its call and its results, as the API returns both. */
export function webSearch(query: string, results: Array<{ url: string; title: string }>): [ServerToolUseBlock, WebSearchToolResultBlock] {
  const id = newId('srvtoolu');
  return [
    { type: 'server_tool_use', id, name: 'web_search', input: { query } },
    {
      type: 'web_search_tool_result',
      tool_use_id: id,
      content: results.map((r) => ({
        type: 'web_search_result',
        url: r.url,
        title: r.title,
        encrypted_content: Buffer.from(r.title).toString('base64'),
        page_age: null,
      })),
    },
  ];
}

/** A web fetch the provider ran within the turn: its call and the page's text. */
export function webFetch(url: string, pageText: string): [ServerToolUseBlock, WebFetchToolResultBlock] {
  const id = newId('srvtoolu');
  return [
    { type: 'server_tool_use', id, name: 'web_fetch', input: { url } },
    {
      type: 'web_fetch_tool_result',
      tool_use_id: id,
      content: {
        type: 'web_fetch_result',
        url,
        retrieved_at: new Date(0).toISOString(),
        content: { type: 'document', source: { type: 'text', media_type: 'text/plain', data: pageText }, title: null },
      },
    },
  ];
}

/** The call an agent makes to hand back its schema-checked result. */
export function structured(value: Record<string, unknown>): ToolUseBlock {
  return toolUse('StructuredOutput', value);
}

export function reply(...content: Block[]): ContentReply {
  return { content };
}

export function rateLimited(retryAfterSeconds: number): ErrorReply {
  return {
    error: {
      status: 429,
      type: 'rate_limit_error',
      message: 'This request would exceed the rate limit for your organization. Please try again later.',
      retryAfterSeconds,
    },
  };
}

export function overloaded(): ErrorReply {
  return { error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } };
}

export function serverError(): ErrorReply {
  return { error: { status: 500, type: 'api_error', message: 'Internal server error' } };
}

export function badRequest(message: string): ErrorReply {
  return { error: { status: 400, type: 'invalid_request_error', message } };
}

export function isErrorReply(r: Reply): r is ErrorReply {
  return 'error' in r;
}

export function isResetReply(r: Reply): r is ResetReply {
  return 'resetConnection' in r;
}

export function isStallReply(r: Reply): r is StallReply {
  return 'stallMs' in r;
}
