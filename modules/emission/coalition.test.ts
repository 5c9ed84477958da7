// The coalition bound (SPEC r2, README "Coalition guard"): a wash cycle loses money for any coalition
// of payer, operators (any number of sybils), model author and any fraction of the stake. One wash
// cycle is an epoch in which the coalition's payer pays its own operators; its balance change against
// the same epoch without those batches is computed with the chain's own split (royalty/split.ts), fee
// bound and epoch plan. Transaction fees (paid to validators by power) are left out: the coalition
// gets back at most its stake fraction of them, so they only add to its loss.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressCodec } from '../../core/framework/address.ts';
import { defaultParams as royaltyDefaults } from '../royalty/params.ts';
import { computeSplit } from '../royalty/split.ts';
import type { Params as RoyaltyParams } from '../../proto/gen/cairn/royalty/v1/types.ts';
import type { Params } from '../../proto/gen/cairn/emission/v1/types.ts';
import { defaultParams } from './params.ts';
import { type OperatorInput, feesLowerBound, planEpoch } from './reward.ts';

const B = 10_000n;
const CODEC = new AddressCodec('cairn');
const emissionDefaults = defaultParams(CODEC);
const royaltyParams = royaltyDefaults(CODEC);

interface Sybil {
  /** Its batches' amounts this epoch (each batch split on its own, as the chain does). */
  readonly batches: readonly bigint[];
  readonly receipts: bigint;
  /** Uptime the coalition's own validators may report, and capacity challenges its GPUs pass. */
  readonly uptimeGpus: bigint;
  readonly challengesPassed: bigint;
}

interface Coalition {
  readonly sybils: readonly Sybil[];
  /** Whether the coalition is the model's author (royalties come back to it). */
  readonly author: boolean;
  readonly royaltyBps: number;
  /** Its fraction of the bonded stake (the validators' share is paid by power). */
  readonly stakeBps: bigint;
}

interface Outcome {
  /** The coalition's balance change × 10000 (its stake fraction is in bps, kept exact). */
  readonly changeTimesB: bigint;
  /** Protocol fees its batches paid (burned + treasury). */
  readonly fees: bigint;
}

/** One epoch with and without the coalition's wash batches beside the honest operators. */
function washCycle(c: Coalition, honest: readonly OperatorInput[], budget: bigint, p: Params, r: RoyaltyParams): Outcome {
  const terms = { modelId: 'm', modelRoyaltyBps: c.royaltyBps, modelRecipients: [{ address: c.author ? 'coalition' : 'someone-else', weightBps: 10_000 }], baseModelId: '', baseRoyaltyBps: 0, baseRecipients: [] };
  let change = 0n;
  let fees = 0n;
  const inputs: OperatorInput[] = c.sybils.map((s, k) => {
    let escrow = 0n;
    for (const a of s.batches) {
      const split = computeSplit(a, terms, r);
      // The payer pays a; the operator gets its part, the author (if ours) the royalties.
      change += -a + split.operatorAmount + (c.author ? split.royalties.reduce((t, x) => t + x.amount, 0n) : 0n);
      fees += split.feeBurned + split.feeTreasury;
      escrow += a;
    }
    return { operator: `sybil-${k}`, escrow, receipts: s.receipts, fees: feesLowerBound(escrow, BigInt(s.batches.length), r.protocolFeeBps), uptimeGpus: s.uptimeGpus, challengesPassed: s.challengesPassed };
  });
  const withWash = planEpoch(budget, [...honest, ...inputs], p);
  const without = planEpoch(budget, honest, p);
  const ours = withWash.operators.slice(honest.length).reduce((t, o) => t + o.total, 0n);
  return { changeTimesB: (change + ours) * B + c.stakeBps * (withWash.validators - without.validators), fees };
}

const amount = fc.bigInt({ min: 1n, max: 10n ** 12n });
const sybil = fc.record({
  batches: fc.array(amount, { minLength: 1, maxLength: 3 }),
  receipts: fc.bigInt({ min: 1n, max: 10n ** 5n }),
  uptimeGpus: fc.bigInt({ min: 0n, max: 10_000n }),
  challengesPassed: fc.bigInt({ min: 0n, max: 20n }),
});
const coalition = fc.record({
  sybils: fc.array(sybil, { minLength: 1, maxLength: 8 }),
  author: fc.boolean(),
  royaltyBps: fc.integer({ min: 0, max: 1000 }),
  stakeBps: fc.bigInt({ min: 0n, max: B }),
});
const honestInput = fc.record({
  operator: fc.constantFrom('h0', 'h1', 'h2'),
  escrow: fc.bigInt({ min: 0n, max: 10n ** 12n }),
  receipts: fc.bigInt({ min: 0n, max: 10n ** 5n }),
  fees: fc.bigInt({ min: 0n, max: 10n ** 11n }),
  uptimeGpus: fc.bigInt({ min: 0n, max: 1000n }),
  challengesPassed: fc.bigInt({ min: 0n, max: 10n }),
});

describe('a wash cycle by any coalition', () => {
  it('loses at least (1 − max_emission_per_fee_bps) of the protocol fees it paid: any mix of payer, sybil operators, author and stake fraction 0–100%, any valid params', () => {
    fc.assert(
      fc.property(
        coalition,
        fc.array(honestInput, { maxLength: 5 }),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (c, honest, budget, m, share, feeBps, burnBps) => {
          const p = { ...emissionDefaults, maxEmissionPerFeeBps: m, validatorShareBps: share };
          const r = { ...royaltyParams, protocolFeeBps: feeBps, burnBps };
          const { changeTimesB, fees } = washCycle(c, honest, budget, p, r);
          // change ≤ −(1 − m/10000) · fees, in whole bps.
          expect(changeTimesB).toBeLessThanOrEqual(-(B - BigInt(m)) * fees);
          if (fees > 0n) expect(changeTimesB).toBeLessThan(0n);
        },
      ),
      // Deterministic: a fixed seed and a bounded number of coalitions.
      { seed: 13, numRuns: 400 },
    );
  });

  it('reproduces the old attack — a validator (60% of the stake) that is also the operator and the model author wash-trades with a fully reported idle fleet — and makes it lose', () => {
    // Budgets dwarf real usage, so every guard binds. The honest operator serves a real payer.
    const honest: OperatorInput[] = [{ operator: 'honest', escrow: 10n ** 10n, receipts: 10_000n, fees: feesLowerBound(10n ** 10n, 10n, 500), uptimeGpus: 8n, challengesPassed: 1n }];
    const attacker: Coalition = {
      sybils: [{ batches: [100_000_000n], receipts: 12n, uptimeGpus: 64n, challengesPassed: 2n }],
      author: true,
      royaltyBps: 500,
      stakeBps: 6000n,
    };
    const { changeTimesB, fees } = washCycle(attacker, honest, 1_312_500_000_000n, emissionDefaults, royaltyParams);
    // Before the coalition guard the operator took up to the whole fee (usage-based ≤ ½, capacity ≤
    // that) and validators minted ¼ of it on top: 1.25 × fee, 60% of the top-up back through stake,
    // a gain of 0.15 × fee per cycle. Now everything minted is ≤ ½ fee: the coalition loses ≥ ½ fee.
    expect(fees).toBe(5_000_000n);
    expect(changeTimesB).toBeLessThanOrEqual(-5000n * fees);
    expect(changeTimesB).toBeLessThan(0n);
  });
});
