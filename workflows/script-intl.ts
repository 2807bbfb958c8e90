// Intl in the script (docs/script-language.md, Intl): the installer, the FormatJS parts it loads
// on first use, and the pinned collation table, all embedded in the workflow bundle.
import { COLLATION_TABLE } from './collation-table.js';
import { SOURCE as DATES } from './quickjs/intl-dates.generated.js';
import { SOURCE as NUMBERS } from './quickjs/intl-numbers.generated.js';
import { SOURCE as INSTALLER } from './quickjs/script-intl.generated.js';

export const INTL_INSTALLER = INSTALLER;

const PARTS: Record<string, string> = { numbers: NUMBERS, dates: DATES };

/** The code of one lazily loaded part, for the sandbox's `programs` binding. */
export function intlPart(name: string): { code: string; fileName: string } {
  const code = PARTS[name];
  if (code === undefined) throw new Error(`no Intl part named ${name}`);
  return { code, fileName: `baton-intl-${name}.js` };
}

export function collationTable(): string {
  return COLLATION_TABLE;
}
