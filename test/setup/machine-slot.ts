// Every test file holds one of the machine-wide slots while it runs (test/support/machine-slots.ts),
// so two `npm test`s on one machine take turns instead of running twice the load their deadlines
// are set for. Hooks of a setup file wrap each test file's own: this one runs before them and its
// release after them.
import { afterAll, beforeAll } from 'vitest';
import { MAX_WAIT_MS, SLOTS, type Slot, takeSlot } from '../support/machine-slots.ts';

let slot: Slot | undefined;
beforeAll(async () => {
  slot = await takeSlot({ onWait: (dir) => console.log(`waiting for a machine slot: another test run on this machine holds all ${SLOTS} (${dir})`) });
}, MAX_WAIT_MS + 60_000);
afterAll(() => slot?.release());
