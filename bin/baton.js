#!/usr/bin/env node
// The `baton` command. The TypeScript sources are compiled to dist/ and the command bundled into
// dist/cli-bundle/ by `npm run build` (run by `npm install` through the `prepare` script).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli-bundle/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('baton: not built yet. Run `npm install` (or `npm run build`) in the baton checkout first.');
  process.exit(2);
}
await import(main.href);
