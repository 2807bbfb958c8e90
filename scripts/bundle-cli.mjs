// Bundles the `baton` command (dist/cli/main.js, after tsc) into one CommonJS file,
// dist/cli-bundle/baton.cjs. A short command such as `baton status` otherwise spends most of its
// time resolving and reading the hundreds of small module files of its dependencies, and then
// compiling them; CommonJS because Node 20 gives a code cache (bin/code-cache.js) only to a
// script it compiles with vm.Script, not to an ES module (bench:cli, docs/performance.md#cli).
// `baton worker` does not use it (see bin/baton.js). Left outside the bundle: packages with native
// code or a binary, and Temporal's worker-side packages.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { cliBundleProtos } from './cli-bundle-protos.mjs';

const outdir = new URL('../dist/cli-bundle/', import.meta.url).pathname;
// Also removes the code caches of the previous bundle: V8 checks a cache against the source's
// length only, so a cache must never outlive the bundle it was made from.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../dist/cli/main.js', import.meta.url).pathname],
  outfile: `${outdir}baton.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Non-ASCII escaped, so bin/code-cache.js can read the file as latin1: half the time of UTF-8.
  charset: 'ascii',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'external',
  plugins: [cliBundleProtos],
  // The sources are ES modules; in one CommonJS file, import.meta.url is the bundle's own URL
  // (dist/cli-bundle/ sits as deep as dist/cli/, so paths relative to it still hold).
  define: { 'import.meta.url': 'batonBundleUrl' },
  // "use strict" first: the banner would otherwise push esbuild's directive off the top, and the
  // sources, ES modules, were strict.
  banner: { js: '"use strict"; var batonBundleUrl = require(\'node:url\').pathToFileURL(__filename).href;' },
  // import() becomes require(): a script V8 runs from a code cache cannot import (Node 20 loses
  // the script's dynamic-import callback), and every module the bundle imports is Node's own.
  supported: { 'dynamic-import': false },
  external: [
    'esbuild',
    '@temporalio/worker',
    '@temporalio/activity',
    '@temporalio/workflow',
    '@temporalio/core-bridge',
    '@temporalio/testing',
    '@temporalio/interceptors-opentelemetry',
    '@opentelemetry/*',
    '@swc/*',
    '*.node',
  ],
});

// bin/code-cache.js reads the bundle as latin1, which equals UTF-8 only for ASCII.
const bundle = readFileSync(`${outdir}baton.cjs`);
const wide = bundle.findIndex((byte) => byte > 0x7f);
if (wide !== -1) throw new Error(`dist/cli-bundle/baton.cjs: a non-ASCII byte at offset ${wide}; bin/code-cache.js reads the bundle as latin1`);
