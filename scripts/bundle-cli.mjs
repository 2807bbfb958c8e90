// Bundles the `baton` command (dist/cli/main.js, after tsc) into dist/cli-bundle/, one chunk per
// command (esbuild's code splitting keeps cli/command-table.ts's lazy loading). A short command
// such as `baton status` otherwise spends most of its time resolving and reading the hundreds
// of small module files of its dependencies (bench:cli). `baton worker` does not use it (see
// bin/baton.js). Left outside the bundle: packages with native code or a binary, and Temporal's
// worker-side packages.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { cliBundleProtos } from './cli-bundle-protos.mjs';

const outdir = new URL('../dist/cli-bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../dist/cli/main.js', import.meta.url).pathname],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  plugins: [cliBundleProtos],
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
  // CommonJS dependencies call require(); an ES module bundle has none of its own.
  banner: { js: "import { createRequire as batonCreateRequire } from 'node:module'; const require = batonCreateRequire(import.meta.url);" },
});
