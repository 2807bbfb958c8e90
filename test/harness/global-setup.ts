import type { TestProject } from 'vitest/node';
import { startDevServer } from './temporal-dev-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

// One dev server for the whole test run; each test file uses its own task queue.
export default async function setup(project: TestProject) {
  const server = await startDevServer();
  project.provide('temporalAddress', server.address);
  return () => server.stop();
}
