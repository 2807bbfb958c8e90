// Family aliases from the provider's list (contract/provider-aliases.ts): newest by release date,
// then by the version in the id; the config file's aliases win.
import { describe, expect, it } from 'vitest';
import { defaultModelTable, priceOf, resolveModel } from '../../contract/models.js';
import { familyAliases, familyOf, withProviderAliases } from '../../contract/provider-aliases.js';

const at = (id: string, createdAt = '2026-11-01T00:00:00Z') => ({ id, createdAt });

describe('familyOf', () => {
  it.each([
    ['claude-fable-5-2', 'fable'],
    ['claude-opus-4-1-20250805', 'opus'],
    ['claude-3-5-sonnet-20241022', 'sonnet'],
    ['claude-glimmer', 'glimmer'],
    ['gpt-5', null],
    ['claude-3-5', null],
  ])('%s → %s', (id, family) => expect(familyOf(id)).toBe(family));
});

describe('familyAliases', () => {
  it('takes the newest release of each family', () => {
    const aliases = familyAliases([
      at('claude-fable-5', '2026-03-02T00:00:00Z'),
      at('claude-fable-5-2', '2026-11-18T00:00:00Z'),
      at('claude-fable-5-1', '2026-07-14T00:00:00Z'),
      at('claude-haiku-5-5'),
    ]);
    expect(aliases).toEqual({ fable: 'claude-fable-5-2', haiku: 'claude-haiku-5-5' });
  });

  it('breaks a tie of dates by the version in the id, a date suffix last', () => {
    expect(familyAliases([at('claude-opus-4-20250514'), at('claude-opus-4-1-20250805'), at('claude-opus-4')]).opus).toBe('claude-opus-4-1-20250805');
    expect(familyAliases([at('claude-fable-5-10'), at('claude-fable-5-9')]).fable).toBe('claude-fable-5-10');
    expect(familyAliases([at('claude-sonnet-4-20250514'), at('claude-sonnet-4-20250601')]).sonnet).toBe('claude-sonnet-4-20250601');
  });

  it('lists nothing for ids that name no family', () => {
    expect(familyAliases([at('gpt-5'), at('mistral-large')])).toEqual({});
  });
});

describe('withProviderAliases', () => {
  it("puts the provider's families over Baton's defaults and under the config file's aliases", () => {
    const table = defaultModelTable();
    const configured = { ...table, aliases: { ...table.aliases, haiku: 'claude-haiku-4-5' }, configAliases: ['haiku'] };
    const merged = withProviderAliases(configured, { opus: 'claude-opus-6', haiku: 'claude-haiku-6', fable: 'claude-fable-5-2' });
    expect(resolveModel('opus', merged)).toBe('claude-opus-6');
    expect(resolveModel('haiku', merged)).toBe('claude-haiku-4-5');
    expect(resolveModel('fable', merged)).toBe('claude-fable-5-2');
    expect(resolveModel('sonnet', merged)).toBe('claude-sonnet-5-5');
    // Prices follow the family: a resolved fable id is priced as fable.
    expect(priceOf('claude-fable-5-2', merged)).toEqual(table.prices.fable);
  });
});
