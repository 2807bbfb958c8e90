import type { ModelPrice, ModelTable } from './run-types.js';

// The one table of model aliases. Claude Code's floating aliases resolve to these ids; a
// config file or BATON_MODEL may override them.
export const DEFAULT_MODEL_ALIASES: Record<string, string> = {
  opus: 'claude-opus-5-5',
  sonnet: 'claude-sonnet-5-5',
  haiku: 'claude-haiku-5-5',
};

/**
 * USD per million tokens, as the provider's model pages list them in late 2026 (docs/configuration.md#models-and-prices). Keys are
 * aliases or families; ids of the same family match by prefix (`claude-fable-5-1` → fable).
 */
export const DEFAULT_MODEL_PRICES: Record<string, ModelPrice> = {
  opus: { inputPerMTok: 4, outputPerMTok: 20 },
  sonnet: { inputPerMTok: 2, outputPerMTok: 10 },
  haiku: { inputPerMTok: 0.1, outputPerMTok: 0.5, tiers: [{ abovePromptTokens: 100_000, inputPerMTok: 0.5, outputPerMTok: 2.5 }] },
  fable: { inputPerMTok: 10, outputPerMTok: 50 },
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
    if (modelId.includes(`-${family}-`) || modelId.startsWith(`${family}-`) || modelId.endsWith(`-${family}`)) return table.prices[family];
  }
  return null;
}

/** The models of `models` that have no price: a run with `--max-cost` refuses to start with one. */
export function unpricedModels(models: Iterable<string>, table: ModelTable): string[] {
  return [...new Set([...models].map((model) => resolveModel(model, table)))].filter((id) => priceOf(id, table) === null);
}
