import { ResponderError } from './api-errors.js';
import { newId } from './ids.js';
import type { ContentReply } from './replies.js';
import { outputTokens } from './usage.js';
import type { Block, MessagesRequestBody, StopReason } from './wire-types.js';

export interface AssembledTurn {
  content: Block[];
  stopReason: StopReason;
  stopSequence: string | null;
  outputTokens: number;
}

/**
 * Turns a scripted reply into what the API would send: checks the model could have said it,
 * fills missing tool_use ids, cuts at the first stop sequence, and truncates at max_tokens.
 */
export function assembleTurn(request: MessagesRequestBody, reply: ContentReply): AssembledTurn {
  const content = reply.content.map((b) => (b.type === 'tool_use' && !b.id ? { ...b, id: newId('toolu') } : b));
  checkPlausible(request, content, reply.stopReason);

  const cut = cutAtStopSequence(content, request.stop_sequences ?? []);
  if (cut) return { ...cut, outputTokens: outputTokens(cut.content) };
  if (reply.stopReason === 'max_tokens') return { content, stopReason: 'max_tokens', stopSequence: null, outputTokens: outputTokens(content) };

  const truncated = truncateToMaxTokens(content, request.max_tokens);
  if (truncated) return { content: truncated, stopReason: 'max_tokens', stopSequence: null, outputTokens: request.max_tokens };

  const stopReason = reply.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  return { content, stopReason, stopSequence: null, outputTokens: outputTokens(content) };
}

function checkPlausible(request: MessagesRequestBody, content: Block[], stopReason: ContentReply['stopReason']): void {
  const offered = (request.tools ?? []).map((t) => t.name);
  const calls = content.flatMap((b) => (b.type === 'tool_use' ? [b.name] : []));
  for (const name of calls) {
    if (!offered.includes(name)) {
      throw new ResponderError(`the responder called tool '${name}', which the request does not offer (offered: ${offered.join(', ') || 'none'})`);
    }
  }
  const choice = request.tool_choice;
  if (choice?.type === 'none' && calls.length > 0) throw new ResponderError('the responder called a tool although tool_choice is none');
  if ((choice?.type === 'any' || choice?.type === 'tool') && calls.length === 0) {
    throw new ResponderError(`tool_choice ${choice.type} forces a tool call, but the responder made none`);
  }
  if (choice?.type === 'tool' && calls.some((name) => name !== choice.name)) {
    throw new ResponderError(`tool_choice forces '${choice.name}', but the responder called ${calls.join(', ')}`);
  }
  if (choice && 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use && calls.length > 1) {
    throw new ResponderError('disable_parallel_tool_use is set, but the responder made several tool calls');
  }
  checkServerTools(request, content, stopReason);
  if (stopReason === 'tool_use' && calls.length === 0) throw new ResponderError("stopReason 'tool_use' needs a tool_use block");
  if (stopReason === 'end_turn' && calls.length > 0) throw new ResponderError("stopReason 'end_turn' cannot come with tool_use blocks");
}

/** A server tool call needs its tool offered; its result comes right after it; only such a turn can pause. */
function checkServerTools(request: MessagesRequestBody, content: Block[], stopReason: ContentReply['stopReason']): void {
  const offered = new Set((request.tools ?? []).filter((t) => t.type !== undefined && t.type !== 'custom').map((t) => t.name));
  content.forEach((block, i) => {
    if (block.type === 'server_tool_use') {
      if (!offered.has(block.name)) throw new ResponderError(`the responder used server tool '${block.name}', which the request does not offer`);
      const next = content[i + 1];
      if (!next || !('tool_use_id' in next) || next.tool_use_id !== block.id)
        throw new ResponderError(`server tool call ${block.id} must be followed by its result`);
    }
    if ((block.type === 'web_search_tool_result' || block.type === 'web_fetch_tool_result') && content[i - 1]?.type !== 'server_tool_use') {
      throw new ResponderError(`${block.type} must follow its server_tool_use`);
    }
  });
  if (stopReason === 'pause_turn' && !content.some((b) => b.type === 'server_tool_use'))
    throw new ResponderError("stopReason 'pause_turn' comes only after a server tool call");
}

/** The model stops as soon as it emits a stop sequence, which is not included in the text. */
function cutAtStopSequence(content: Block[], stops: string[]): Omit<AssembledTurn, 'outputTokens'> | undefined {
  for (let i = 0; i < content.length; i++) {
    const block = content[i]!;
    if (block.type !== 'text') continue;
    let hit: { at: number; sequence: string } | undefined;
    for (const sequence of stops) {
      const at = sequence ? block.text.indexOf(sequence) : -1;
      if (at >= 0 && (!hit || at < hit.at)) hit = { at, sequence };
    }
    if (!hit) continue;
    const kept = block.text.slice(0, hit.at);
    const head = content.slice(0, i);
    return {
      content: kept ? [...head, { type: 'text', text: kept }] : head,
      stopReason: 'stop_sequence',
      stopSequence: hit.sequence,
    };
  }
  return undefined;
}

/** Content cut to max_tokens, or undefined when it fits; a tool call that does not fit is dropped. */
function truncateToMaxTokens(content: Block[], maxTokens: number): Block[] | undefined {
  if (outputTokens(content) <= maxTokens) return undefined;
  const kept: Block[] = [];
  for (const block of content) {
    const used = outputTokens(kept);
    if (outputTokens([...kept, block]) <= maxTokens) {
      kept.push(block);
      continue;
    }
    if (block.type === 'text') {
      const room = (maxTokens - used) * 4;
      if (room > 0) kept.push({ type: 'text', text: block.text.slice(0, room) });
    }
    break;
  }
  return kept;
}
