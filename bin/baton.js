#!/usr/bin/env node
// The `baton` command. The TypeScript sources are compiled to dist/ and the command bundled into
// dist/cli-bundle/ by `npm run build` (run by `npm install` through the `prepare` script).
// `baton worker` runs the unbundled modules: a worker loads @temporalio/worker, which brings its
// own @temporalio/client and protobuf definitions, and the bundle's copies would sit beside them
// in its memory. Every other command is a client, and loads faster bundled (bench:cli).
import { existsSync } from 'node:fs';

const entry = process.argv[2] === 'worker' ? '../dist/cli/main.js' : '../dist/cli-bundle/main.js';
const main = new URL(entry, import.meta.url);
if (!existsSync(main)) {
  console.error('baton: not built yet. Run `npm install` (or `npm run build`) in the baton checkout first.');
  process.exit(2);
}
await import(main.href);
