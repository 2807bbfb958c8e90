import { blocksOf } from './inspect-request.js';
import type { CacheControl, MessagesRequestBody } from './wire-types.js';

/** One unit of the prompt, in the order the API reads it: tools, then system, then messages. */
export interface PromptBlock {
  /** Identity for cache matching: the block minus cache_control, with its role and position. */
  key: string;
  /** Size of the serialized block; token counts derive from it. */
  chars: number;
  /** Cache breakpoints on this block (a tool_result carries those of its nested blocks too). */
  breakpoints: CacheControl[];
}

/** Flattens a validated request into prompt blocks, breakpoints attached where they sit. */
export function promptBlocks(body: MessagesRequestBody): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  for (const tool of body.tools ?? []) blocks.push(toBlock('tool', tool));
  const system = typeof body.system === 'string' ? (body.system ? [{ type: 'text', text: body.system }] : []) : (body.system ?? []);
  for (const block of system) blocks.push(toBlock('system', block));
  body.messages.forEach((message, i) => {
    blocksOf(message.content).forEach((block, j) => blocks.push(toBlock(`${message.role}@${i}.${j}`, block)));
  });
  // Top-level cache_control puts the breakpoint on the last cacheable block.
  if (body.cache_control && blocks.length > 0) blocks.at(-1)!.breakpoints.push(body.cache_control);
  return blocks;
}

export function countBreakpoints(blocks: PromptBlock[]): number {
  return blocks.reduce((n, b) => n + b.breakpoints.length, 0);
}

function toBlock(where: string, value: object): PromptBlock {
  const breakpoints: CacheControl[] = [];
  const serialized = JSON.stringify(value, (key, v: unknown) => {
    if (key !== 'cache_control') return v;
    if (v) breakpoints.push(v as CacheControl);
    return undefined;
  });
  return { key: `${where}:${serialized}`, chars: serialized.length, breakpoints };
}
