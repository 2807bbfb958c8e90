import type { ContentBlockParam, MessageParam, MessagesRequestBody, ToolResultBlockParam, ToolUseBlockParam } from './wire-types.js';

/** A message's content as blocks: a string is shorthand for one text block. */
export function blocksOf(content: MessageParam['content']): ContentBlockParam[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

// Context the client adds before the task (CLAUDE.md, git status, skills), as Claude Code does.
const REMINDER = '<system-reminder>';

function textOf(message: MessageParam | undefined): string {
  if (!message) return '';
  return blocksOf(message.content)
    .flatMap((b) => (b.type === 'text' && !b.text.startsWith(REMINDER) ? [b.text] : []))
    .join('\n');
}

/** The `<system-reminder>` blocks of the first user message: the project context an agent was given. */
export function firstUserContext(req: MessagesRequestBody): string {
  const first = userMessages(req)[0];
  if (!first) return '';
  return blocksOf(first.content)
    .flatMap((b) => (b.type === 'text' && b.text.startsWith(REMINDER) ? [b.text] : []))
    .join('\n');
}

// A recorded request that was no Messages call (a worker's GET /v1/models) has no messages.
function userMessages(req: MessagesRequestBody): MessageParam[] {
  return (req.messages ?? []).filter((m) => m.role === 'user');
}

/** Text of the first user message: in an agent loop, the task prompt. */
export function firstUserText(req: MessagesRequestBody): string {
  return textOf(userMessages(req)[0]);
}

/** Text of the last user message, or of the first when the last holds only tool results. */
export function lastUserText(req: MessagesRequestBody): string {
  return textOf(userMessages(req).at(-1)) || firstUserText(req);
}

/** The tool_result blocks of the last user message: what the client reports back this turn. */
export function toolResults(req: MessagesRequestBody): ToolResultBlockParam[] {
  const last = userMessages(req).at(-1);
  if (!last) return [];
  return blocksOf(last.content).filter((b): b is ToolResultBlockParam => b.type === 'tool_result');
}

export function hasTool(req: MessagesRequestBody, name: string): boolean {
  return (req.tools ?? []).some((t) => t.name === name);
}

/** Every tool_use the assistant made earlier in the conversation, in order. */
export function previousToolUses(req: MessagesRequestBody): ToolUseBlockParam[] {
  return req.messages
    .filter((m) => m.role === 'assistant')
    .flatMap((m) => blocksOf(m.content))
    .filter((b): b is ToolUseBlockParam => b.type === 'tool_use');
}

/**
 * Of recorded Messages calls, how many asked for a turn its conversation had already gone past:
 * a completed turn asked again (the agent did not resume from its checkpoint).
 */
export function completedTurnsAskedAgain(requests: ReadonlyArray<{ body: MessagesRequestBody }>): number {
  const furthest = new Map<string, number>();
  let repeated = 0;
  for (const r of requests) {
    const key = firstUserText(r.body);
    if ((furthest.get(key) ?? 0) > r.body.messages.length) repeated += 1;
    furthest.set(key, Math.max(furthest.get(key) ?? 0, r.body.messages.length));
  }
  return repeated;
}
