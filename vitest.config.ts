import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['proto/*.test.ts', 'core/**/*.test.ts', 'sdk/**/*.test.ts', 'node/**/*.test.ts', 'modules/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real CometBFT processes; two cores cannot run many at once.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
