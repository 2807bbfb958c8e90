// One model call: streamed, so a stalled connection is noticed (no event for a while) even
// while the socket stays open, and then collected into the final Message. The activity's
// heartbeat is the agent loop's business: it pulses for the whole conversation.
import type Anthropic from '@anthropic-ai/sdk';
import { classifyModelError, ModelStalled } from './agent-errors.js';

/** Claude Code's `stallMs` default: no stream event for this long means the call is stuck, even if the socket is not. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 180_000;

export interface ModelTurnDeps {
  client: Anthropic;
  signal?: AbortSignal;
  streamIdleTimeoutMs?: number;
  /**
   * Called when the provider starts its answer (message_start) with the usage it bills from then
   * on: the prompt's tokens, whatever becomes of the call, so an interrupted call is counted.
   */
  onStart?: (usage: Anthropic.Usage) => void;
}

export async function streamModelTurn(params: Anthropic.MessageCreateParamsNonStreaming, deps: ModelTurnDeps): Promise<Anthropic.Message> {
  const idleMs = deps.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const stream = deps.client.messages.stream(params, { signal: deps.signal });
  let stalled = false;
  let idle: NodeJS.Timeout | undefined;
  const watch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      stalled = true;
      stream.abort();
    }, idleMs);
  };
  stream.on('streamEvent', (event) => {
    watch();
    if (event.type === 'message_start') deps.onStart?.(event.message.usage);
  });
  watch();
  try {
    return await stream.finalMessage();
  } catch (e) {
    if (deps.signal?.aborted) throw deps.signal.reason ?? e;
    if (stalled) throw new ModelStalled(`The model stream stalled: no data for ${idleMs / 1000}s.`, undefined, { cause: e });
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
