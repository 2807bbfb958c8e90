#!/usr/bin/env node
// Writes the generated CLI reference into docs/cli.md from the commander definitions (after
// `npm run build`). `--check` only compares, and exits 1 when the page is out of date.
//   node scripts/gen-cli-docs.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliProgram, renderCliReference, REFERENCE_START, REFERENCE_END } from '../dist/cli/cli-reference.js';

const page = fileURLToPath(new URL('../docs/cli.md', import.meta.url));
const text = readFileSync(page, 'utf8');
const start = text.indexOf(REFERENCE_START);
const end = text.indexOf(REFERENCE_END);
if (start < 0 || end < start) {
  console.error(`docs/cli.md has no generated block: put the lines\n${REFERENCE_START}\n${REFERENCE_END}\nwhere the reference goes`);
  process.exit(1);
}
const updated = `${text.slice(0, start)}${REFERENCE_START}\n\n${renderCliReference(await cliProgram())}\n${text.slice(end)}`;
if (process.argv.includes('--check')) {
  if (updated !== text) {
    console.error('docs/cli.md is out of date with the CLI: run `node scripts/gen-cli-docs.mjs` and commit it');
    process.exit(1);
  }
} else if (updated !== text) {
  writeFileSync(page, updated);
  console.log('wrote docs/cli.md');
}
