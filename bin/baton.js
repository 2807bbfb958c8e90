#!/usr/bin/env node
// The `baton` command. The TypeScript sources are compiled to dist/ and the command bundled into
// dist/cli-bundle/baton.cjs by `npm run build` (run by `npm install` through the `prepare` script).
// `baton worker` runs the unbundled modules: a worker loads @temporalio/worker, which brings its
// own @temporalio/client and protobuf definitions, and the bundle's copies would sit beside them
// in its memory. Every other command is a client, and starts faster bundled and code-cached
// (bin/code-cache.js, bench:cli).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runWithCodeCache } from './code-cache.js';

const command = process.argv[2];
const entry = fileURLToPath(new URL(command === 'worker' ? '../dist/cli/main.js' : '../dist/cli-bundle/baton.cjs', import.meta.url));
if (!existsSync(entry)) {
  console.error('baton: not built yet. Run `npm install` (or `npm run build`) in the baton checkout first.');
  process.exit(2);
}
if (command === 'worker') await import(pathToFileURL(entry).href);
else runWithCodeCache(entry, command);
