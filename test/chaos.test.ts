// The short chaos run (test/support/chaos.ts) in every `npm test`: a 4-validator localnet under
// random load through kills (one node, two at once), pauses, a skewed clock, a partition and a
// state-sync join, with zero divergences, every committed tx indexed on every node, and a replay
// equal to the chain.
// `npm run chaos` runs the long one (bench/README.md has its last figures).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, runChaos } from './support/chaos.ts';
import { testDir } from './support/test-dirs.ts';

describe('chaos', () => {
  it('a localnet under load survives kills, pauses, a skewed clock, a partition and a state-sync join without diverging', async () => {
    const report = await runChaos({ dir: join(await testDir('cairn-chaos-'), 'net'), blocks: 200, minEachFault: 1, blockTimeMs: 400, deadlineMs: 660_000, seed: 7 });
    console.log(`chaos: ${JSON.stringify({ ...report, unindexed: report.unindexed.length })}`);
    expect(report.divergenceDetail).toEqual([]);
    expect(report.divergences).toBe(0);
    expect(report.unindexed).toEqual([]);
    expect(report.blocks).toBeGreaterThanOrEqual(200);
    for (const kind of FAULT_KINDS) expect(report.faults[kind], kind).toBeGreaterThanOrEqual(1);
    expect(report.committedByLoad).toBeGreaterThan(20);
    expect(report.txs).toBeGreaterThanOrEqual(report.committedByLoad);
  }, 900_000);
});
