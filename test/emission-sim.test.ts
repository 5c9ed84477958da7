// The economics simulation (bench/sim.ts) on the real app under default params, fast-forwarded:
// dishonest play loses against honest play, idle capacity earns nothing (nor does an idle fleet behind a
// token fee), the supply stays under the
// cap and the halving lands on the right epoch.
import { describe, expect, it } from 'vitest';
import { runSim, runSybilSim } from '../bench/sim.ts';
import { runFaultSim } from '../bench/sim-faults.ts';
import { runReputationFarmer, runWashCoalition } from '../bench/sim-coalition.ts';
import { runWithholdingSim } from '../bench/sim-withholding.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';

describe('the economics simulation', () => {
  it('makes honest serving pay, wash trading, withholding data and farming the capacity pools with an idle fleet lose money, idle capacity earn nothing, and halves the budget at epoch 8', async () => {
    const r = await runSim(9);
    expect(r.profits.honest).toBeGreaterThan(0n);
    expect(r.profits.wash).toBeLessThan(0n);
    expect(r.profits.wash).toBeLessThan(r.profits.honest);
    expect(r.profits['idle-fleet']).toBeLessThanOrEqual(0n);
    expect(r.profits.withholder).toBeLessThan(0n);
    // A token self-paid receipt makes the farmer eligible; its fleet passes capacity challenges, yet
    // the capacity guard returns at most the fees it paid.
    expect(r.profits['capacity-farmer']).toBeLessThan(0n);
    expect(r.profits['capacity-farmer']).toBeLessThan(r.profits.honest);
    // Times caught: the withholder and the idle fleet are slashed; the honest operator never.
    expect(r.caught.honest).toBe(0);
    expect(r.caught.withholder).toBeGreaterThanOrEqual(1);
    expect(r.caught['idle-fleet']).toBeGreaterThanOrEqual(1);
    for (const p of r.curve) {
      expect(p.supply).toBeLessThanOrEqual(r.maxSupply);
      expect(p.minted).toBeLessThanOrEqual(p.budget);
      // 4 epochs a year, halving every 2 years: epochs 0–7 are era 0, 8–15 era 1.
      expect(p.scheduled).toBe(p.epoch < 8n ? 5_250_000_000_000n / 4n : 5_250_000_000_000n / 2n / 4n);
    }
    expect(r.curve.some((p) => p.epoch === 8n)).toBe(true);
    // Minting follows usage: every epoch with finalized paid batches minted something.
    expect(r.curve.slice(1).every((p) => p.minted > 0n)).toBe(true);
  }, 60_000);

  it('stops at the cap when the cap binds: supply reaches max_supply and never passes it', async () => {
    const probe = await runSim(1);
    const max = probe.genesisSupply + 3_000_000n;
    const r = await runSim(4, { max_supply: max.toString(), year0_budget: (max / 4n).toString() });
    for (const p of r.curve) expect(p.supply).toBeLessThanOrEqual(max);
    expect(r.curve.some((p) => p.budget < p.scheduled)).toBe(true);
  }, 60_000);

  it('gives a sybil nothing for splitting one fleet across two operators: no more emission, less profit', async () => {
    const y = await runSybilSim(3);
    expect(y.wholeEmission).toBeGreaterThan(0n);
    // Each operator's fee bound and guard round on their own: a few base units at most.
    expect(y.splitEmission).toBeLessThanOrEqual(y.wholeEmission + 4n);
    expect(y.split).toBeLessThan(y.whole);
  }, 60_000);

  it('makes forging a receipt, claiming one twice and griefing an honest operator with requests and capacity challenges all end below honest serving', async () => {
    const r = await runFaultSim(4);
    expect(r.profits.honest).toBeGreaterThan(0n);
    // The watcher proves each fraud once; both cheaters are tombstoned and lose money outright.
    expect(r.proved).toEqual({ forged: 1, doubleClaims: 1 });
    expect(r.status['partial-forger']).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(r.status['double-claimer']).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(r.status.honest).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
    expect(r.caught).toMatchObject({ honest: 0, 'partial-forger': 1, 'double-claimer': 1 });
    expect(r.profits['partial-forger']).toBeLessThan(0n);
    expect(r.profits['double-claimer']).toBeLessThan(0n);
    // Every griefing request is answered and every capacity challenge proved: each bond is lost.
    expect(r.requests).toBe(4);
    expect(r.answered).toBe(4);
    expect(r.capacityChallenges).toBe(4);
    expect(r.profits['griefing-challenger']).toBeLessThan(0n);
    for (const s of ['partial-forger', 'double-claimer', 'griefing-challenger'] as const) expect(r.profits[s]).toBeLessThan(r.profits.honest);
  }, 60_000);

  it('makes a validator-operator-author wash trader (5% and 60% of the stake, its idle fleet reported fully up by its own validator), a sybil splitter and a reputation farmer all end poorer than doing nothing', async () => {
    // Each against the same chain with the coalition idle; fees are the protocol fees its batches paid.
    for (const bps of [500, 6000]) {
      const r = await runWashCoalition(bps, ['operator2'], 2);
      expect(r.fees).toBeGreaterThan(0n);
      // Minting gives back at most half the fees (validators' share included): it loses at least the other half.
      expect(2n * r.profit).toBeLessThanOrEqual(-r.fees);
    }
    const sybil = await runWashCoalition(2000, ['operator2', 'griefer', 'adapterAuthor'], 2);
    expect(sybil.fees).toBeGreaterThan(0n);
    expect(2n * sybil.profit).toBeLessThanOrEqual(-sybil.fees);
    // A token self-paid receipt an epoch costs money and buys no reputation.
    const farm = await runReputationFarmer(2);
    expect(farm.profit).toBeLessThan(0n);
    expect(farm.score).toBe(0);
    expect(farm.honestScore).toBeGreaterThan(0);
  }, 120_000);

  it('makes withholding a sampled forged leaf, grinding the sample, double claiming behind a withheld batch and locking escrow without the payer\'s signature all end poorer than doing nothing', async () => {
    const w = await runWithholdingSim(3);
    expect(w.profits.honest).toBeGreaterThan(0n);
    for (const s of ['forger-withholding', 'sample-grinder', 'double-claimer-withholding', 'escrow-griefer'] as const) expect(w.profits[s]).toBeLessThan(0n);
    // Each forger is caught once (its withheld sampled leaf, or the watcher's proof) and tombstoned.
    expect(w.forgeries.withheldSample + w.forgeries.provedByWatcher).toBe(2);
    expect(w.status['forger-withholding']).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(w.status['sample-grinder']).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    // The grinder found a hash that would have hidden its leaf; the draw from a later block ignored it.
    expect(w.grinds.found).toBe(1);
    // The double claimer withheld every requested leaf of its first batch: data unavailable, jailed.
    expect(w.status['double-claimer-withholding']).toBe(OperatorStatus.OPERATOR_STATUS_JAILED);
    // Every junk batch is refused at submission and locks nothing.
    expect(w.caught).toMatchObject({ honest: 0, 'forger-withholding': 1, 'sample-grinder': 1, 'double-claimer-withholding': 1, 'escrow-griefer': 3 });
    expect(w.griefLocked).toBe(0n);
  }, 120_000);
});
