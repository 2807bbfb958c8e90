import { createHash } from 'node:crypto';
import type { PromptBlock } from './prompt-blocks.js';
import type { Block, Usage } from './wire-types.js';

/**
 * Deterministic usage accounting and a prompt-cache simulation.
 *
 * Tokens are ceil(chars / 4) of the serialized JSON: input counts tools + system + messages,
 * output counts the produced text and tool inputs. Stable numbers, not a real tokenizer.
 *
 * Caching follows the API's documented rules, simplified:
 * - A breakpoint (cache_control on a tool, system block or message block, or top-level
 *   cache_control meaning "the last block") marks the prefix ending at that block, in the
 *   order tools → system → messages, keyed by model.
 * - A prefix shorter than MIN_CACHEABLE_TOKENS is silently not cached, as the API does.
 * - A later request reads the longest stored prefix found at a block boundary within
 *   LOOKBACK_BLOCKS before one of its breakpoints (cache_read_input_tokens), and writes the
 *   prefixes of its breakpoints past that point (cache_creation_input_tokens, split by ttl).
 * - input_tokens is the remainder: total - read - created.
 * - Entries live for their ttl (5m default, 1h), refreshed on each hit, and belong to one
 *   server instance. Changes to tool_choice or thinking do not invalidate entries here.
 */
export const MIN_CACHEABLE_TOKENS = 1024;
// The API looks for earlier cache entries at about 20 block boundaries before each breakpoint.
export const LOOKBACK_BLOCKS = 20;
const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

export type InputUsage = Omit<Usage, 'output_tokens' | 'service_tier'>;

export function tokensFor(chars: number): number {
  return Math.ceil(chars / 4);
}

export function outputTokens(content: Block[]): number {
  const chars = content.reduce(
    (n, b) =>
      n + (b.type === 'text' ? b.text.length : b.type === 'tool_use' || b.type === 'server_tool_use' ? b.name.length + JSON.stringify(b.input).length : 0),
    0,
  );
  return tokensFor(chars);
}

export class PromptCache {
  readonly #entries = new Map<string, { expiresAt: number; ttlMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Accounts one answered request: stores its breakpoints' prefixes and splits its input tokens. */
  account(model: string, blocks: PromptBlock[]): InputUsage {
    const hashes: string[] = [];
    const prefixTokens: number[] = [];
    let hash = createHash('sha256').update(model).digest('hex');
    let chars = 0;
    for (const block of blocks) {
      hash = createHash('sha256').update(hash).update(block.key).digest('hex');
      chars += block.chars;
      hashes.push(hash);
      prefixTokens.push(tokensFor(chars));
    }
    const total = tokensFor(chars);
    const breakpoints = blocks.flatMap((b, i) => (b.breakpoints.length > 0 ? [i] : []));

    const readEnd = this.#longestHit(hashes, breakpoints);
    const read = readEnd >= 0 ? prefixTokens[readEnd]! : 0;

    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let covered = read;
    for (const i of breakpoints) {
      if (i <= readEnd || prefixTokens[i]! < MIN_CACHEABLE_TOKENS) continue;
      const ttl = blocks[i]!.breakpoints.some((cc) => cc.ttl === '1h') ? '1h' : '5m';
      this.#store(hashes[i]!, TTL_MS[ttl]);
      creation[ttl === '1h' ? 'ephemeral_1h_input_tokens' : 'ephemeral_5m_input_tokens'] += prefixTokens[i]! - covered;
      covered = prefixTokens[i]!;
    }
    const created = creation.ephemeral_5m_input_tokens + creation.ephemeral_1h_input_tokens;
    return {
      input_tokens: total - read - created,
      cache_creation_input_tokens: created,
      cache_read_input_tokens: read,
      cache_creation: creation,
    };
  }

  #longestHit(hashes: string[], breakpoints: number[]): number {
    let best = -1;
    for (const bp of breakpoints) {
      for (let i = bp; i >= Math.max(0, bp - LOOKBACK_BLOCKS + 1) && i > best; i--) {
        const entry = this.#entries.get(hashes[i]!);
        if (!entry || entry.expiresAt <= this.now()) continue;
        entry.expiresAt = this.now() + entry.ttlMs;
        best = i;
        break;
      }
    }
    return best;
  }

  #store(hash: string, ttlMs: number): void {
    const existing = this.#entries.get(hash);
    const keep = Math.max(ttlMs, existing && existing.expiresAt > this.now() ? existing.ttlMs : 0);
    this.#entries.set(hash, { expiresAt: this.now() + keep, ttlMs: keep });
  }
}
