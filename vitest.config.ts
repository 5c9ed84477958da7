import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that run for minutes from a few lines: the chaos run drives a localnet for ~250 s from a
 * 1.4 KB file. Without timings from an earlier run (a clean clone, as CI has) vitest starts the largest
 * files first, which left chaos.test.ts among the last ten and the suite waiting minutes on it alone.
 * Scheduled first: vitest 941 s in session 21's first CI with it, against 1,033 in session 20's last.
 */
const LONG_FROM_SMALL_FILES = new Set(['test/chaos.test.ts'].map((f) => resolve(import.meta.dirname, f)));

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => (LONG_FROM_SMALL_FILES.has(f.moduleId) ? 0 : 1);
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: LongFilesFirst },
  },
});
