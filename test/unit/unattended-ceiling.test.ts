// Which ceiling a run starts with (docs/security.md, "Unattended runs have a ceiling by default"):
// the config's default for an unwatched run that names none, the user's own when named, none when
// opted out or watched; and the config key's error. The end-to-end behaviour (the pause and the
// raise) is test/e2e/unattended-ceiling.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_UNATTENDED_MAX_COST_USD, loadSettings, SettingsError } from '../../config/settings.js';
import { parseRunFlags, runOptionsFrom } from '../../cli/run-flags.js';
import { applyCeiling } from '../../cli/unattended-ceiling.js';

const home = mkdtempSync(join(tmpdir(), 'baton-ceiling-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function withConfig(config: unknown) {
  const path = join(home, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return loadSettings({ BATON_HOME: home, BATON_CONFIG: path });
}

function start(raw: Record<string, unknown>, unattended: boolean, config: unknown = {}) {
  const settings = withConfig(config);
  const flags = parseRunFlags(raw);
  const options = runOptionsFrom(flags, settings, home);
  const ceiling = applyCeiling(options, flags, settings, unattended);
  return { options, ceiling };
}

describe('an unwatched run that names no ceiling', () => {
  it('gets the shipped default and pauses there', () => {
    const { options, ceiling } = start({}, true);
    expect([options.maxCostUsd, options.onBudget, ceiling.source]).toEqual([DEFAULT_UNATTENDED_MAX_COST_USD, 'pause', 'unattended-default']);
    expect(ceiling.text).toMatch(
      /^\$5 \(unattended default, defaults\.unattended\.maxCostUsd in .*config-.*\.json; --max-cost or --no-ceiling to choose\), then pause until/,
    );
  });

  it("gets the config's figure", () => {
    expect(start({}, true, { defaults: { unattended: { maxCostUsd: 0.5 } } }).options.maxCostUsd).toBe(0.5);
  });

  it('keeps an --on-budget stop it was given', () => {
    const { options, ceiling } = start({ onBudget: 'stop' }, true);
    expect([options.maxCostUsd, options.onBudget]).toEqual([DEFAULT_UNATTENDED_MAX_COST_USD, undefined]);
    expect(ceiling.text).toMatch(/, then stop$/);
  });
});

describe('the default does not apply', () => {
  it('to a run that names its own ceiling, of either kind', () => {
    expect(start({ maxCost: '2', onBudget: 'pause' }, true).ceiling).toEqual({
      source: 'flags',
      text: "$2 (--max-cost), then pause until 'baton budget RUN --max-cost USD' raises it",
    });
    const tokens = start({ budgetTokens: '1000' }, true);
    expect([tokens.options.maxCostUsd, tokens.ceiling.text]).toEqual([null, '1000 output tokens (--budget-tokens), then stop']);
  });

  it('to --no-ceiling, which excludes a ceiling of its own', () => {
    const { options, ceiling } = start({ ceiling: false }, true);
    expect([options.maxCostUsd, options.budgetTokens, ceiling.source]).toEqual([null, null, 'no-ceiling']);
    expect(() => parseRunFlags({ ceiling: false, maxCost: '1' })).toThrow('--no-ceiling excludes --max-cost and --budget-tokens');
  });

  it('to a run someone watches', () => {
    const { options, ceiling } = start({ ceiling: true }, false);
    expect([options.maxCostUsd, options.onBudget, ceiling.source]).toEqual([null, undefined, 'none']);
  });
});

it('a bad defaults.unattended.maxCostUsd is refused, naming the key', () => {
  expect(() => withConfig({ defaults: { unattended: { maxCostUsd: 0 } } })).toThrow(SettingsError);
  expect(() => withConfig({ defaults: { unattended: { maxCostUsd: -1 } } })).toThrow(
    /"defaults\.unattended\.maxCostUsd": the cost ceiling in US dollars of a run nobody watches/,
  );
  expect(() => withConfig({ defaults: { unattended: { maxCost: 1 } } })).toThrow(/unknown key\(s\) "maxCost"/);
});
