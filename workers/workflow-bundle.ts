// How the interpreter's workflow code is bundled for Temporal's sandbox. Shared by the prebuilt
// bundle (scripts/bundle-workflows.mjs), workers that bundle at start-up, and tests.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundleOptions } from '@temporalio/worker';

// webpack as @temporalio/worker resolves it, so its plugins match the bundler that runs them.
const requireFromWorker = createRequire(createRequire(import.meta.url).resolve('@temporalio/worker'));
const webpack = requireFromWorker('webpack') as typeof import('webpack');

// The directory holding package.json: this file runs from workers/ (sources, tests) and from
// dist/workers/ (the build).
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

const projectRoot = findProjectRoot();

/** The prebuilt bundle written by `npm run build`. */
export const PREBUILT_BUNDLE_PATH = join(projectRoot, 'dist/workflows/bundle.js');

/** The same with the OpenTelemetry workflow interceptors (workers/tracing.ts), for `baton worker --otel`. */
export const PREBUILT_TRACED_BUNDLE_PATH = join(projectRoot, 'dist/workflows/bundle-traced.js');

/** The workflow sources: the bundle's entry. */
export function workflowsPath(): string {
  const ts = join(projectRoot, 'workflows/index.ts');
  return existsSync(ts) ? ts : join(projectRoot, 'dist/workflows/index.js');
}

/**
 * Bundler options QuickJS needs inside the sandbox (see notes/temporal-sandbox-facts.md): the
 * emscripten loader and quickjs-emscripten-core are written for browsers and Node, so one chunk,
 * no public path or wasm loading, `node:` imports resolved as bare names and Node built-ins the
 * loader only touches when it runs under Node left out.
 */
export function workflowBundlerOptions(): Pick<BundleOptions, 'webpackConfigHook' | 'ignoreModules'> {
  return {
    ignoreModules: ['fs', 'path', 'url', 'module', 'crypto'],
    webpackConfigHook: (config) => {
      config.output = {
        ...config.output,
        publicPath: '',
        chunkLoading: false,
        asyncChunks: false,
        wasmLoading: false,
      };
      config.plugins = [
        ...(config.plugins ?? []),
        new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
        new webpack.NormalModuleReplacementPlugin(/^node:/, (resource: { request: string }) => {
          resource.request = resource.request.replace(/^node:/, '');
        }),
      ];
      return config;
    },
  };
}
