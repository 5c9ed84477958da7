import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['proto/*.test.ts', 'core/**/*.test.ts', 'sdk/**/*.test.ts', 'node/**/*.test.ts', 'modules/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real CometBFT processes and mostly wait on block times: with two
    // files at a time on two cores, CI used ~80 % of the CPU. Three keeps the cores busy; more would
    // starve the short-window tests.
    maxWorkers: 3,
    fileParallelism: true,
  },
});
