import type { ModelPrice, ModelTable, TokenUsage } from './run-types.js';
import { priceOf } from './models.js';

const CACHE_READ_FACTOR = 0.1;
const CACHE_WRITE_5M_FACTOR = 1.25;
const CACHE_WRITE_1H_FACTOR = 2;

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

/** What a request's prompt held: the size its price tier goes by. */
export function promptTokens(usage: TokenUsage): number {
  return usage.input + usage.cacheRead + usage.cacheWrite;
}

/** Cost in USD of one model's usage; an unpriced model costs 0 (and status shows its tokens). */
export function costUsd(modelId: string, usage: TokenUsage, table: ModelTable): number {
  return usageCost(priceOf(modelId, table), usage);
}

/**
 * Cost in USD of usage summed over several calls, at the base rates (null price: unpriced, 0).
 * Tiers go by one request's prompt, so only `turnCost` can apply them.
 */
export function usageCost(price: ModelPrice | null, usage: TokenUsage): number {
  if (!price) return 0;
  return costAt(price.inputPerMTok, price.outputPerMTok, usage, 0);
}

/**
 * Cost in USD of one model call: the tier its prompt size falls in (docs/configuration.md#models-and-prices, e.g. Haiku 5.5 above
 * 100k prompt tokens), with `cacheWrite1h` of its cache writes at the 1-hour rate.
 */
/**
 * The provider's fee per web search (WebSearch), on top of the tokens its results add: $10 per
 * 1,000 searches. Web fetches cost their tokens only.
 */
export const WEB_SEARCH_USD = 0.01;

export function turnCost(price: ModelPrice | null, usage: TokenUsage, cacheWrite1h = 0): number {
  if (!price) return 0;
  const prompt = promptTokens(usage);
  let rates: { inputPerMTok: number; outputPerMTok: number } = price;
  let above = -1;
  for (const tier of price.tiers ?? []) {
    if (prompt > tier.abovePromptTokens && tier.abovePromptTokens > above) {
      rates = tier;
      above = tier.abovePromptTokens;
    }
  }
  return costAt(rates.inputPerMTok, rates.outputPerMTok, usage, Math.min(cacheWrite1h, usage.cacheWrite));
}

function costAt(inputPerMTok: number, outputPerMTok: number, usage: TokenUsage, cacheWrite1h: number): number {
  const perInput = inputPerMTok / 1e6;
  return (
    usage.input * perInput +
    usage.cacheRead * perInput * CACHE_READ_FACTOR +
    (usage.cacheWrite - cacheWrite1h) * perInput * CACHE_WRITE_5M_FACTOR +
    cacheWrite1h * perInput * CACHE_WRITE_1H_FACTOR +
    usage.output * (outputPerMTok / 1e6)
  );
}
