// A machine-wide limit on test files running at once, shared by every `npm test` on the machine.
//
// One suite runs at most three files at a time (vitest.config.ts maxWorkers), and the deadlines of
// its real-process tests (localnets, the dev chain, CometBFT) are set for that load on two cores.
// Two suites at once would run six files, up to six localnets, and starve each other's block-time
// deadlines. So each test file takes one of SLOTS machine-wide slots before its own hooks run and
// gives it back after its last one (test/setup/machine-slot.ts does it for every file): a second
// suite's files wait their turn, and every file runs with the load of one suite. The wait is not
// counted in the file's hook or test timeouts.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reservations } from '../../node/reservations.ts';

/** As many as one suite runs files at once (vitest.config.ts maxWorkers), so a lone suite never waits. */
export const SLOTS = 3;
/** Long enough for another suite to run out (a whole suite takes ~17 min here). */
export const MAX_WAIT_MS = 60 * 60_000;
const POLL_MS = 500;

let reservations: Reservations | undefined;

export interface Slot {
  readonly name: string;
  release(): void;
}

/** Waits for a free slot; `dir` and `slots` are for tests of this file itself. */
export async function takeSlot(opts: { dir?: string; slots?: number; maxWaitMs?: number; onWait?: (dir: string) => void } = {}): Promise<Slot> {
  const held = opts.dir === undefined ? (reservations ??= new Reservations(join(tmpdir(), 'cairn-test-slots'))) : new Reservations(opts.dir);
  const slots = opts.slots ?? SLOTS;
  const maxWaitMs = opts.maxWaitMs ?? MAX_WAIT_MS;
  const deadline = Date.now() + maxWaitMs;
  for (let waited = false; ; waited = true) {
    // Start at a random slot so the waiters of two suites do not all try slot 0 first.
    const first = Math.floor(Math.random() * slots);
    for (let i = 0; i < slots; i++) {
      const name = String((first + i) % slots);
      if (held.take(name)) return { name, release: () => held.release(name) };
    }
    if (!waited) opts.onWait?.(held.dir);
    if (Date.now() > deadline) throw new Error(`no free machine slot for a test file after ${maxWaitMs} ms: the processes named in ${held.dir} hold them`);
    await new Promise((r) => setTimeout(r, POLL_MS + Math.floor(Math.random() * POLL_MS)));
  }
}
