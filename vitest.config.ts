import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['proto/*.test.ts', 'core/**/*.test.ts', 'sdk/**/*.test.ts', 'node/**/*.test.ts', 'modules/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check.ts', 'test/setup/machine-slot.ts', 'test/setup/test-dirs.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real CometBFT processes and mostly wait on block times: with two
    // files at a time on two cores, CI used ~80 % of the CPU. Three keeps the cores busy; more would
    // starve the short-window tests. test/support/machine-slots.ts holds as many machine-wide slots,
    // so a second suite on the machine waits for them rather than doubling the load.
    maxWorkers: 3,
    fileParallelism: true,
  },
});
