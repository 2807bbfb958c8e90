// Family aliases from the provider's model list (docs/script-language.md, Model aliases): `fable`
// is the newest `claude-fable-*` the provider lists, by release date, then by the version in the
// id. Shared by the workflow (which records the result once per run) and its tests.
import type { ModelTable } from './run-types.js';

export interface ProviderModel {
  id: string;
  /** RFC 3339, as `GET /v1/models` gives it. */
  createdAt: string;
}

/** family → newest id, for every `claude-FAMILY-...` id listed. Other ids name no family. */
export function familyAliases(models: ProviderModel[]): Record<string, string> {
  const newest = new Map<string, ProviderModel>();
  for (const model of models) {
    const family = familyOf(model.id);
    if (!family) continue;
    const best = newest.get(family);
    if (!best || newer(model, best)) newest.set(family, model);
  }
  return Object.fromEntries([...newest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([family, model]) => [family, model.id]));
}

/**
 * The run's table with the provider's families in it. Resolution order: an alias the config file
 * sets (`models.aliases`), then the provider's newest id of the family, then Baton's defaults.
 */
export function withProviderAliases(table: ModelTable, families: Record<string, string>): ModelTable {
  const configured = new Set(table.configAliases ?? []);
  const aliases = { ...table.aliases };
  for (const [family, id] of Object.entries(families)) if (!configured.has(family)) aliases[family] = id;
  return { ...table, aliases };
}

/** `claude-fable-5-2` → fable; `claude-3-5-sonnet-20241022` → sonnet; `gpt-5` → null. */
export function familyOf(id: string): string | null {
  const parts = id.split('-');
  if (parts[0] !== 'claude') return null;
  return parts.slice(1).find((part) => /^[a-z]+$/.test(part)) ?? null;
}

function newer(a: ProviderModel, b: ProviderModel): boolean {
  const [ta, tb] = [Date.parse(a.createdAt), Date.parse(b.createdAt)];
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta > tb;
  const [va, vb] = [versionOf(a.id), versionOf(b.id)];
  return (compareVersions(va.version, vb.version) || va.date - vb.date) > 0;
}

// The numbers in the id, and its 8-digit date if any: `claude-opus-4-1-20250805` → 4.1 of 2025-08-05.
function versionOf(id: string): { version: number[]; date: number } {
  const numbers = id.split('-').filter((part) => /^\d+$/.test(part));
  const date = numbers.find((part) => part.length === 8);
  return { version: numbers.filter((part) => part.length !== 8).map(Number), date: date ? Number(date) : 0 };
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}
