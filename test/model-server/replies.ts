import { newId } from './ids.js';
import type { Block, TextBlock, ToolUseBlock } from './wire-types.js';

/** A model turn. stop_reason defaults to 'tool_use' when content has a tool_use, else 'end_turn'. */
export interface ContentReply {
  content: Block[];
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens';
  /** Wait this long before answering, e.g. to let a test cancel an in-flight call. */
  delayMs?: number;
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
