// A reservation (node/reservations.ts) is held by one live process at a time, however many take it at
// once: loopback ports and the test suite's machine slots rely on it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Reservations } from './reservations.ts';

const run = promisify(execFile);
const taker = fileURLToPath(new URL('../test/support/reservation-taker.ts', import.meta.url));

describe('Reservations', () => {
  it('never lets two processes hold a name at once, while four take and release it as fast as they can', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-reservations-'));
    try {
      const outs = await Promise.all([0, 1, 2, 3].map(() => run(process.execPath, [taker, dir, '1500'])));
      const counts = outs.map((o) => JSON.parse(o.stdout) as { takes: number; overlaps: number });
      // Every process got it, and none while another held it (before the reservation appeared whole,
      // about half of the takes overlapped).
      for (const c of counts) expect(c.takes).toBeGreaterThan(0);
      expect(counts.map((c) => c.overlaps)).toEqual([0, 0, 0, 0]);
      // No drafts are left behind.
      expect(readdirSync(dir).sort()).toEqual(['owner']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a name left by a dead process, or left empty, and not one a live process holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-reservations-'));
    try {
      const reservations = new Reservations(dir);
      writeFileSync(join(dir, 'live'), String(process.ppid));
      writeFileSync(join(dir, 'dead'), '2147483646');
      writeFileSync(join(dir, 'empty'), '');
      expect(reservations.take('live')).toBe(false);
      expect(reservations.take('dead')).toBe(true);
      expect(reservations.take('empty')).toBe(true);
      expect(reservations.take('dead')).toBe(false); // held, by this process
      reservations.release('dead');
      expect(readdirSync(dir).sort()).toEqual(['empty', 'live']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
