import type { Block, MessageResponse } from './wire-types.js';

export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

// Deltas come in a few pieces so that clients must reassemble text and tool input, as with the API.
const PIECES_PER_BLOCK = 3;

/** One server-sent event in the API's framing: an `event:` line naming the type, a `data:` line of JSON. */
export function formatEvent({ event, data }: StreamEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The events the API streams for a finished message: message_start (empty content, input usage),
 * a ping, per block content_block_start / content_block_delta… / content_block_stop, then
 * message_delta (stop reason, final usage) and message_stop.
 */
export function messageEvents(message: MessageResponse): StreamEvent[] {
  const { usage } = message;
  const events: StreamEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  message.content.forEach((block, index) => events.push(...blockEvents(block, index)));
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: usage.output_tokens,
        },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

function blockEvents(block: Block, index: number): StreamEvent[] {
  const delta = (d: Record<string, unknown>): StreamEvent => ({
    event: 'content_block_delta',
    data: { type: 'content_block_delta', index, delta: d },
  });
  const stop: StreamEvent = { event: 'content_block_stop', data: { type: 'content_block_stop', index } };
  const startWith = (content_block: Record<string, unknown>): StreamEvent => ({
    event: 'content_block_start',
    data: { type: 'content_block_start', index, content_block },
  });
  // A server tool's result arrives whole in its start event, with no deltas.
  if (block.type === 'web_search_tool_result' || block.type === 'web_fetch_tool_result') return [startWith({ ...block }), stop];
  const start = startWith(block.type === 'text' ? { type: 'text', text: '' } : { type: block.type, id: block.id, name: block.name, input: {} });
  const deltas =
    block.type === 'text'
      ? pieces(block.text).map((text) => delta({ type: 'text_delta', text }))
      : // The API opens tool input with an empty partial_json before the pieces.
        ['', ...pieces(JSON.stringify(block.input))].map((partial_json) => delta({ type: 'input_json_delta', partial_json }));
  return [start, ...deltas, stop];
}

/** Splits on code points so that no piece holds half a surrogate pair. */
function pieces(s: string): string[] {
  const chars = Array.from(s);
  const size = Math.max(1, Math.ceil(chars.length / PIECES_PER_BLOCK));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out.length > 0 ? out : [''];
}
