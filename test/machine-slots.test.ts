// Two `npm test`s on one machine take turns on their test files (test/support/machine-slots.ts): a
// slot held by a live process is not handed out, one left by a dead process is taken over, and
// every file of a suite takes one of as many slots as the suite runs files at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOTS, takeSlot } from './support/machine-slots.ts';
import config from '../vitest.config.ts';


describe('machine slots for test files', () => {
  it('waits while another live process holds every slot, and takes one over when it dies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-slots-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
    try {
      for (const name of ['0', '1']) writeFileSync(join(dir, name), String(holder.pid));
      let waited = false;
      let got: string | undefined;
      const taking = takeSlot({ dir, slots: 2, maxWaitMs: 60_000, onWait: () => (waited = true) }).then((slot) => (got = slot.name));
      await new Promise((r) => setTimeout(r, 1_500));
      expect(waited).toBe(true);
      expect(got).toBeUndefined();
      holder.kill('SIGKILL');
      await taking;
      expect(['0', '1']).toContain(got);
      expect(readFileSync(join(dir, got!), 'utf8')).toBe(String(process.pid));
    } finally {
      holder.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives each slot once while its holder lives, and again once released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-slots-'));
    try {
      const a = await takeSlot({ dir, slots: 2 });
      const b = await takeSlot({ dir, slots: 2 });
      expect(new Set([a.name, b.name]).size).toBe(2);
      await expect(takeSlot({ dir, slots: 2, maxWaitMs: 0 })).rejects.toThrow(/no free machine slot/);
      a.release();
      expect((await takeSlot({ dir, slots: 2, maxWaitMs: 0 })).name).toBe(a.name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are as many as one suite runs files at once, and every file takes one', () => {
    expect(SLOTS).toBe(config.test?.maxWorkers);
    expect(config.test?.setupFiles).toContain('test/setup/machine-slot.ts');
  });
});
