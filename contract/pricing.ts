import type { ModelPrice, ModelTable, TokenUsage } from './run-types.js';
import { priceOf } from './models.js';

const CACHE_READ_FACTOR = 0.1;
const CACHE_WRITE_FACTOR = 1.25;

export function emptyUsage(): TokenUsage {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}

export function addUsage(into: TokenUsage, more: TokenUsage): TokenUsage {
  into.input += more.input;
  into.output += more.output;
  into.cacheRead += more.cacheRead;
  into.cacheWrite += more.cacheWrite;
  return into;
}

export function totalTokens(usage: TokenUsage): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
}

/** Cost in USD of one model's usage; an unpriced model costs 0 (and status shows its tokens). */
export function costUsd(modelId: string, usage: TokenUsage, table: ModelTable): number {
  return usageCost(priceOf(modelId, table), usage);
}

/** Cost in USD of usage at `price` (null: unpriced, 0). */
export function usageCost(price: ModelPrice | null, usage: TokenUsage): number {
  if (!price) return 0;
  const perToken = price.inputPerMTok / 1e6;
  return (
    usage.input * perToken +
    usage.cacheRead * perToken * CACHE_READ_FACTOR +
    usage.cacheWrite * perToken * CACHE_WRITE_FACTOR +
    usage.output * (price.outputPerMTok / 1e6)
  );
}
