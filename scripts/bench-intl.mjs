// What Intl costs a script (docs/script-language.md, Intl): the time to run a script in the
// isolate with no Intl use, with number formatting, and with date formatting (each loads its
// FormatJS part on first use), and the size of the embedded parts. Uses dist/: `npm run build` first.
import { loadQuickJS } from '../dist/workflows/quickjs/load-quickjs.js';
import { ScriptSandbox } from '../dist/workflows/quickjs/script-sandbox.js';
import { SCRIPT_PRELUDE } from '../dist/workflows/script-prelude.js';
import { collationTable, INTL_INSTALLER, intlPart } from '../dist/workflows/script-intl.js';

const BODIES = {
  'no Intl': `return 1 + 1`,
  'localeCompare sort of 1,000 words': `return Array.from({ length: 1000 }, (_, i) => 'word' + ((i * 7919) % 1000)).sort((a, b) => a.localeCompare(b)).length`,
  'number toLocaleString': `return (1234567.5).toLocaleString('en-US')`,
  'date toLocaleString': `return new Date(0).toLocaleString('en-US')`,
};
const loaded = await loadQuickJS(64 * 1024 * 1024);
async function once(body) {
  const sandbox = new ScriptSandbox(loaded, {
    sync: { phase: () => undefined, log: () => undefined, spent: () => 0, collationTable },
    async: {},
    programs: { intlPart: (name) => intlPart(String(name)) },
  });
  const started = performance.now();
  const end = await sandbox.start({
    prelude: SCRIPT_PRELUDE,
    preludeArgs: [undefined],
    program: `(async function () {\n${body}\n})`,
    installers: [{ code: INTL_INSTALLER, fileName: 'baton-intl.js' }],
  });
  const ms = performance.now() - started;
  sandbox.close();
  if (end.kind !== 'returned') throw new Error(JSON.stringify(end));
  return ms;
}
for (const [name, body] of Object.entries(BODIES)) {
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await once(body));
  runs.sort((a, b) => a - b);
  console.log(`${name.padEnd(36)} median ${runs[2].toFixed(0)} ms (min ${runs[0].toFixed(0)}, max ${runs[4].toFixed(0)})`);
}
for (const part of ['numbers', 'dates']) console.log(`embedded ${part}: ${(intlPart(part).code.length / 1024).toFixed(0)} KB`);
console.log(`collation table: ${(collationTable().length / 1024).toFixed(0)} KB; installer: ${(INTL_INSTALLER.length / 1024).toFixed(1)} KB`);
