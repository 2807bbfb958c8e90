// Intl inside the script's isolate (docs/script-language.md, Intl): the same answers as Node's own
// Intl for the same explicit locale and time zone, from pinned data, with no host Intl reachable.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedQuickJS } from '../../workflows/quickjs/load-quickjs.js';
import type { ScriptSandbox as Sandbox } from '../../workflows/quickjs/script-sandbox.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let loadQuickJS: (max: number) => Promise<LoadedQuickJS>;
let ScriptSandbox: typeof Sandbox;
let SCRIPT_PRELUDE: string;
let intl: typeof import('../../workflows/script-intl.js');

beforeAll(async () => {
  if (!existsSync(`${ROOT}workflows/quickjs/quickjs-wasm.generated.ts`)) execFileSync(process.execPath, [`${ROOT}scripts/embed-quickjs-wasm.mjs`]);
  if (!existsSync(`${ROOT}workflows/quickjs/intl-dates.generated.ts`)) execFileSync(process.execPath, [`${ROOT}scripts/embed-intl.mjs`]);
  execFileSync(process.execPath, [`${ROOT}scripts/embed-isolate-sources.mjs`]);
  ({ loadQuickJS } = await import('../../workflows/quickjs/load-quickjs.js'));
  ({ ScriptSandbox } = await import('../../workflows/quickjs/script-sandbox.js'));
  ({ SCRIPT_PRELUDE } = await import('../../workflows/script-prelude.js'));
  intl = await import('../../workflows/script-intl.js');
});

/** Evaluates `expression` in a script with Baton's Intl and returns its JSON value. */
async function inScript(expression: string): Promise<unknown> {
  const sandbox = new ScriptSandbox(await loadQuickJS(64 * 1024 * 1024), {
    sync: { phase: () => undefined, log: () => undefined, spent: () => 0, collationTable: intl.collationTable },
    async: {},
    programs: { intlPart: (name) => intl.intlPart(String(name)) },
  });
  const end = await sandbox.start({
    prelude: SCRIPT_PRELUDE,
    preludeArgs: [undefined],
    program: `(async function () {\nreturn ${expression}\n})`,
    installers: [{ code: intl.INTL_INSTALLER, fileName: 'baton-intl.js' }],
  });
  sandbox.close();
  if (end.kind !== 'returned') throw new Error(`script ended ${JSON.stringify(end)}`);
  return end.json === undefined ? undefined : JSON.parse(end.json);
}

/** The same expression evaluated by Node itself. */
const inNode = (expression: string): unknown => JSON.parse(JSON.stringify(new Function(`return ${expression}`)()));

const WORDS = JSON.stringify([
  'b',
  'a',
  'C',
  'A',
  'c',
  'B',
  'résumé',
  'resume',
  'Resume',
  'résume',
  'rèsumé',
  'co-op',
  'coop',
  'co op',
  'Co-op',
  'file10.txt',
  'file2.txt',
  'file1.txt',
  'File1.txt',
  '_private',
  '-dash',
  '.hidden',
  '#tag',
  '$cost',
  '42',
  '7',
  '007',
  'zebra',
  'Zürich',
  'Zurich',
  'zurich',
  'éclair',
  'eclair',
  'Ångström',
  'angstrom',
  'naïve',
  'naive',
  'ñandú',
  'nandu',
  'Ölfeld',
  'olfeld',
  'straße',
  'strasse',
  'Øre',
  'ore',
  'œuvre',
  'oeuvre',
  'Ελλάδα',
  'Москва',
  'tōkyō',
  'hello world',
  'hello_world',
  'hello-world',
  'helloWorld',
  'HELLO',
  'src/a.ts',
  'src/b/c.ts',
  'src-a',
  'a1',
  'a10',
  'a2',
  'A1',
  '',
]);

const CASES: Array<[string, string]> = [
  ['toLocaleString en-US', `(1234567.5).toLocaleString('en-US')`],
  ['toLocaleString default', `[(1234567.891).toLocaleString(), (0.1 + 0.2).toLocaleString(), (-0).toLocaleString(), (1e21).toLocaleString()]`],
  [
    'NumberFormat options',
    `[
    new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(-1234.565),
    new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(99.5),
    new Intl.NumberFormat('en-US', { style: 'currency', currency: 'JPY' }).format(5000.4),
    new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(0.12345),
    new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(3),
    new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(123456),
    new Intl.NumberFormat('en-US', { notation: 'compact' }).format(1234567),
    new Intl.NumberFormat('en-US', { notation: 'compact', compactDisplay: 'long' }).format(2500),
    new Intl.NumberFormat('en-US', { style: 'unit', unit: 'kilobyte' }).format(512),
    new Intl.NumberFormat('en-US', { useGrouping: false }).format(1234567),
    new Intl.NumberFormat('en-US', { minimumIntegerDigits: 3 }).format(7),
    new Intl.NumberFormat('en-US').formatToParts(-1234.5).map((p) => p.type + ':' + p.value).join('|'),
    new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).resolvedOptions().maximumFractionDigits,
  ]`,
  ],
  [
    'PluralRules',
    `[0, 1, 2, 1.5].map((n) => new Intl.PluralRules('en-US').select(n)).concat([1, 2, 3, 4, 11, 22].map((n) => new Intl.PluralRules('en-US', { type: 'ordinal' }).select(n)))`,
  ],
  [
    'DateTimeFormat in UTC',
    `[
    new Date(Date.UTC(2026, 11, 7, 6, 5, 4)).toLocaleString('en-US', { timeZone: 'UTC' }),
    new Date(Date.UTC(2026, 0, 31)).toLocaleDateString('en-US', { timeZone: 'UTC' }),
    new Date(Date.UTC(2026, 0, 31, 23, 59)).toLocaleTimeString('en-US', { timeZone: 'UTC' }),
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'full', timeStyle: 'long' }).format(new Date(Date.UTC(2026, 11, 7, 6, 5, 4))),
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(Date.UTC(1999, 11, 31))),
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }).format(new Date(Date.UTC(2024, 1, 29))),
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(Date.UTC(2024, 1, 29, 13, 7))),
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric' }).formatToParts(new Date(Date.UTC(2024, 6, 4, 15))).map((p) => p.type + ':' + p.value).join('|'),
  ]`,
  ],
  ['localeCompare sorts as Node', `${WORDS}.slice().sort((x, y) => x.localeCompare(y))`],
  ['Collator default compare', `${WORDS}.slice().sort(new Intl.Collator('en').compare)`],
  ['Collator numeric', `${WORDS}.slice().sort(new Intl.Collator('en', { numeric: true }).compare)`],
  [
    'Collator sensitivity base/accent',
    `[
    ['a', 'A'], ['a', 'á'], ['résumé', 'Resume'], ['a', 'b'], ['straße', 'strasse'], ['Zürich', 'zurich'],
  ].map(([x, y]) => [x.localeCompare(y, 'en', { sensitivity: 'base' }), x.localeCompare(y, 'en', { sensitivity: 'accent' }), x.localeCompare(y, 'en', { sensitivity: 'case' })])`,
  ],
  [
    'localeCompare signs',
    `[['a', 'b'], ['b', 'a'], ['a', 'a'], ['a', 'A'], ['A', 'a'], ['é', 'e\\u0301'], ['a-b', 'ab'], ['10', '9'], ['', 'a']].map(([x, y]) => x.localeCompare(y))`,
  ],
];

describe('Intl in a script', () => {
  it.each(CASES)('%s: as Node gives it', async (_name, expression) => {
    expect(await inScript(expression)).toEqual(inNode(expression));
  });

  it("answers the issue's two examples", async () => {
    expect(await inScript(`[(1234567.5).toLocaleString('en-US'), ['a', 'b', 'C'].sort((x, y) => x.localeCompare(y))]`)).toEqual([
      '1,234,567.5',
      ['a', 'b', 'C'],
    ]);
  });

  it('defaults to en-US and UTC whatever the host runs with, and lists what it supports', async () => {
    expect(
      await inScript(`[new Date(Date.UTC(2026, 11, 7, 23, 30)).toLocaleString(), new Intl.DateTimeFormat().resolvedOptions().timeZone,
        new Intl.Collator().resolvedOptions().locale, typeof Intl.NumberFormat, typeof Intl.Collator, typeof Intl.DateTimeFormat, typeof Intl.PluralRules]`),
    ).toEqual(['12/7/2026, 11:30:00 PM', 'UTC', 'en-US', 'function', 'function', 'function', 'function']);
  });

  it('formats another locale as en, the only data it has; a time zone other than UTC is a RangeError', async () => {
    expect(
      await inScript(`[(1234567.5).toLocaleString('de-DE'), new Intl.NumberFormat('fr-FR').resolvedOptions().locale,
        new Intl.DateTimeFormat('ja-JP', { timeZone: 'UTC' }).format(new Date(0)), new Intl.Locale('en-Latn-US').region]`),
    ).toEqual(['1,234,567.5', 'en', '1/1/1970', 'US']);
    await expect(inScript(`new Date(0).toLocaleString('en-US', { timeZone: 'America/New_York' })`)).rejects.toThrow(/RangeError/);
  });

  it('a bad option is the RangeError Node throws', async () => {
    await expect(inScript(`new Intl.Collator('en', { sensitivity: 'loud' })`)).rejects.toThrow(/RangeError.*sensitivity/);
    await expect(inScript(`new Intl.NumberFormat('en', { style: 'money' })`)).rejects.toThrow(/RangeError/);
  });
});
