import { fakeFromSchema } from './fake-from-schema.js';
import { firstUserText, hasTool, previousToolUses, toolResults } from './inspect-request.js';
import { reply, structured, text, toolUse, type Reply } from './replies.js';
import type { MessagesRequestBody, ToolDefinition } from './wire-types.js';

export interface ResponderContext {
  /** 0-based count of earlier requests that reached a responder (rejected requests don't count). */
  index: number;
}

/** Plays the model: given a validated request, decides the next turn. */
export type Responder = (request: MessagesRequestBody, ctx: ResponderContext) => Reply | Promise<Reply>;

/** Replies in the given order, one per request; a request past the end is a test bug. */
export function scripted(...replies: Reply[]): Responder {
  return (_request, { index }) => {
    const next = replies[index];
    if (!next) throw new Error(`scripted responder has ${replies.length} replies; request #${index} has none`);
    return next;
  };
}

/**
 * The default model. In order:
 * 1. a tool_choice that forces a tool ('any' / 'tool') gets a call to it, with fabricated input;
 * 2. an offered StructuredOutput tool not yet called gets called with fakeFromSchema(input_schema);
 * 3. a turn that brings tool results ends with a short text;
 * 4. otherwise the reply is `echo: <first user message>`.
 */
export const echoResponder: Responder = (req) => {
  const forced = forcedTool(req);
  if (forced) return reply(toolUse(forced.name, fakeInput(forced)));
  const structuredTool = req.tools?.find((t) => t.name === 'StructuredOutput');
  const alreadyCalled = previousToolUses(req).some((t) => t.name === 'StructuredOutput');
  if (structuredTool && req.tool_choice?.type !== 'none' && !alreadyCalled) {
    return reply(structured(fakeInput(structuredTool)));
  }
  const results = toolResults(req);
  if (results.length > 0) return reply(text(`done: ${results.length} tool result(s) received`));
  return reply(text(`echo: ${firstUserText(req)}`));
};

/**
 * The offline demo model: on the first turn, if a Glob tool is offered, it calls Glob with the
 * match-everything pattern to show a tool round trip; structured answers hold one item per
 * array, so a fan-out over them shows; otherwise it behaves as echoResponder.
 */
export const demoResponder: Responder = (req, ctx) => {
  const firstTurn = !req.messages.some((m) => m.role === 'assistant');
  const choice = req.tool_choice?.type ?? 'auto';
  if (firstTurn && hasTool(req, 'Glob') && (choice === 'auto' || choice === 'any')) {
    return reply(toolUse('Glob', { pattern: '**/*' }));
  }
  const structuredTool = req.tools?.find((t) => t.name === 'StructuredOutput');
  const alreadyCalled = previousToolUses(req).some((t) => t.name === 'StructuredOutput');
  if (structuredTool && choice !== 'none' && !alreadyCalled) {
    return reply(structured(fakeFromSchema(structuredTool.input_schema ?? { type: 'object' }, { nonEmptyArrays: true }) as Record<string, unknown>));
  }
  return echoResponder(req, ctx);
};

/**
 * An agent of many turns, as its prompt's directives say: `[turns=N]` (N-1 turns that call Glob,
 * then an answer), `[out=CHARS]` of text in each turn (default 40, so CHARS/4 output tokens),
 * `[delay=MS]` before each answer, and `[stall-at=K]`: the conversation's K-th call stalls
 * (sends nothing) the first time it is made.
 */
export function manyTurnsResponder(): Responder {
  const stalledOnce = new Set<string>();
  return (request) => {
    const prompt = firstUserText(request);
    const directive = (name: string, fallback: number) => Number(new RegExp(`\\[${name}=(\\d+)\\]`).exec(prompt)?.[1] ?? fallback);
    const call = request.messages.filter((m) => m.role === 'assistant').length + 1;
    if (directive('stall-at', 0) === call && !stalledOnce.has(prompt)) {
      stalledOnce.add(prompt);
      return { stallMs: 120_000 };
    }
    const answer = text('x'.repeat(directive('out', 40)));
    const content = call < directive('turns', 1) ? [answer, toolUse('Glob', { pattern: `*.turn${call}` })] : [answer];
    return { ...reply(...content), delayMs: directive('delay', 0), generateMs: directive('generate', 0) };
  };
}

export const namedResponders = { echo: echoResponder, demo: demoResponder } as const;

export type ResponderName = keyof typeof namedResponders;

function forcedTool(req: MessagesRequestBody): ToolDefinition | undefined {
  const choice = req.tool_choice;
  const tools = req.tools ?? [];
  if (choice?.type === 'tool') return tools.find((t) => t.name === choice.name);
  if (choice?.type === 'any') return tools.find((t) => t.name === 'StructuredOutput') ?? tools[0];
  return undefined;
}

function fakeInput(tool: ToolDefinition): Record<string, unknown> {
  const value = fakeFromSchema(tool.input_schema ?? { type: 'object' });
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
