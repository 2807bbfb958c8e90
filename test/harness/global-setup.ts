import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startDevServer } from './temporal-dev-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

// One dev server for the whole test run; each test file uses its own task queue.
export default async function setup(project: TestProject) {
  // Tests run the sources, and the isolate's JavaScript reaches them as generated modules: embed
  // it afresh so an edit to workflows/quickjs/*.js is what the tests see, without a build.
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/embed-isolate-sources.mjs', import.meta.url))]);
  const server = await startDevServer();
  project.provide('temporalAddress', server.address);
  return () => server.stop();
}
