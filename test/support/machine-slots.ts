// A machine-wide limit on test files that run real CometBFT and node processes at once.
//
// One `npm test` runs at most three files at a time (vitest.config.ts maxWorkers), and its chain
// tests' deadlines are set for that load. Two suites on one 2-core machine would run six localnets at
// once and starve each other's block-time deadlines. So each file that starts real processes takes
// one of SLOTS machine-wide slots before its own hooks run and gives it back after its last one: a
// second suite's chain tests wait their turn (its other files go on), and every chain test runs with
// about the load of one suite. The wait is not counted in the file's hook or test timeouts.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Reservations } from '../../node/reservations.ts';

/** As many as one suite runs files at once, so a lone suite never waits. */
export const SLOTS = 3;
/** Long enough for the other suite's chain tests to run out (a whole suite takes ~17 min here). */
const MAX_WAIT_MS = 60 * 60_000;
const POLL_MS = 500;

let reservations: Reservations | undefined;

/** Waits for a free slot and returns its name; `dir` is for tests of this file itself. */
export async function takeSlot(opts: { dir?: string; slots?: number; maxWaitMs?: number; onWait?: (holders: string) => void } = {}): Promise<{ name: string; release(): void }> {
  const held = opts.dir === undefined ? (reservations ??= new Reservations(join(tmpdir(), 'cairn-test-slots'))) : new Reservations(opts.dir);
  const slots = opts.slots ?? SLOTS;
  const deadline = Date.now() + (opts.maxWaitMs ?? MAX_WAIT_MS);
  for (let waited = false; ; waited = true) {
    // Start at a random slot so waiters of two suites do not all poll slot 0 first.
    const first = Math.floor(Math.random() * slots);
    for (let i = 0; i < slots; i++) {
      const name = String((first + i) % slots);
      if (held.take(name)) return { name, release: () => held.release(name) };
    }
    if (!waited) opts.onWait?.(held.dir);
    if (Date.now() > deadline) throw new Error(`no free machine slot for real-process tests after ${opts.maxWaitMs ?? MAX_WAIT_MS} ms: the processes named in ${held.dir} hold them`);
    await new Promise((r) => setTimeout(r, POLL_MS + Math.floor(Math.random() * POLL_MS)));
  }
}

/**
 * Call once at the top of a test file that starts CometBFT, a node, a localnet, the dev chain or
 * PostgreSQL (test/machine-slots.test.ts checks that every such file does).
 */
export function runsRealProcesses(): void {
  let slot: { release(): void } | undefined;
  beforeAll(async () => {
    slot = await takeSlot({ onWait: (dir) => console.log(`waiting for a machine slot for real-process tests (another test run holds all ${SLOTS}; see ${dir})`) });
  }, MAX_WAIT_MS + 60_000);
  afterAll(() => slot?.release());
}
