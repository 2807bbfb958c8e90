import type { ModelPrice, ModelTable } from './run-types.js';

// The one table of model aliases. Claude Code's floating aliases resolve to these ids; a
// config file or BATON_MODEL may override them.
export const DEFAULT_MODEL_ALIASES: Record<string, string> = {
  opus: 'claude-opus-5-5',
  sonnet: 'claude-sonnet-5-5',
  haiku: 'claude-haiku-5-5',
};

/** USD per million tokens (SPEC 2). Keys are aliases; ids of the same family match by prefix. */
export const DEFAULT_MODEL_PRICES: Record<string, ModelPrice> = {
  opus: { inputPerMTok: 5, outputPerMTok: 25 },
  sonnet: { inputPerMTok: 3, outputPerMTok: 15 },
  haiku: { inputPerMTok: 1, outputPerMTok: 5 },
};

export const DEFAULT_MODEL = 'sonnet';

export function defaultModelTable(): ModelTable {
  return { aliases: { ...DEFAULT_MODEL_ALIASES }, prices: { ...DEFAULT_MODEL_PRICES } };
}

/** An alias to its id; a full id is returned unchanged. */
export function resolveModel(modelOrAlias: string, table: ModelTable): string {
  return table.aliases[modelOrAlias] ?? modelOrAlias;
}

/**
 * The price of a model id: an exact entry, else the entry of the alias that resolves to it,
 * else the family named in the id (`claude-haiku-...` → haiku). Null when unknown.
 */
export function priceOf(modelId: string, table: ModelTable): ModelPrice | null {
  if (table.prices[modelId]) return table.prices[modelId];
  for (const [alias, id] of Object.entries(table.aliases)) {
    if (id === modelId && table.prices[alias]) return table.prices[alias];
  }
  for (const family of Object.keys(table.prices)) {
    if (modelId.includes(`-${family}-`) || modelId.startsWith(`${family}-`)) return table.prices[family];
  }
  return null;
}
