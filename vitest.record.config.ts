import { defineConfig } from 'vitest/config';

// `npm run record-histories`: records replay fixtures (test/replay/record-histories.record.ts).
export default defineConfig({
  test: {
    include: ['test/replay/*.record.ts'],
    globalSetup: ['test/harness/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
