// One model call: streamed, so a long generation keeps the activity's heartbeat alive and a
// stalled connection is noticed, and then collected into the final Message.
import type Anthropic from '@anthropic-ai/sdk';
import { classifyModelError, ModelUnavailable } from './agent-errors.js';

/** Temporal throttles heartbeats too; this keeps the event handler from calling it per token. */
const HEARTBEAT_EVERY_MS = 2_000;
/** No stream event for this long means the connection is dead even if the socket is not. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 120_000;

export interface ModelTurnDeps {
  client: Anthropic;
  heartbeat: () => void;
  signal?: AbortSignal;
  streamIdleTimeoutMs?: number;
}

export async function streamModelTurn(params: Anthropic.MessageCreateParamsNonStreaming, deps: ModelTurnDeps): Promise<Anthropic.Message> {
  const idleMs = deps.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const stream = deps.client.messages.stream(params, { signal: deps.signal });
  let stalled = false;
  let lastBeat = 0;
  let idle: NodeJS.Timeout | undefined;
  const watch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      stalled = true;
      stream.abort();
    }, idleMs);
  };
  stream.on('streamEvent', () => {
    watch();
    const now = Date.now();
    if (now - lastBeat >= HEARTBEAT_EVERY_MS) {
      lastBeat = now;
      deps.heartbeat();
    }
  });
  watch();
  try {
    return await stream.finalMessage();
  } catch (e) {
    if (deps.signal?.aborted) throw deps.signal.reason ?? e;
    if (stalled) throw new ModelUnavailable(`The model stream stalled: no data for ${idleMs / 1000}s.`, undefined, { cause: e });
    throw classifyModelError(e);
  } finally {
    clearTimeout(idle);
  }
}

/** The response's content as it must be sent back in the next request's history. */
export function assistantContent(message: Anthropic.Message): Anthropic.ContentBlockParam[] {
  const blocks: Anthropic.ContentBlockParam[] = [];
  for (const block of message.content) {
    if (block.type === 'text') {
      // The API rejects empty or blank text blocks in requests, though it may return them.
      if (block.text.trim()) blocks.push({ type: 'text', text: block.text });
    } else if (block.type === 'tool_use') {
      blocks.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
    } else if (block.type === 'thinking') {
      blocks.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking') {
      blocks.push({ type: 'redacted_thinking', data: block.data });
    } else {
      blocks.push(block as unknown as Anthropic.ContentBlockParam);
    }
  }
  return blocks;
}
