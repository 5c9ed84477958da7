// The royalty split (modules/royalty/split.ts): exact to the base unit for any amount, terms and
// params; every rounding remainder goes to the operator; the royalty cap shares model and base in
// proportion to their bps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSplit } from '../modules/royalty/split.ts';
import type { Params, SplitTerms } from '../proto/gen/cairn/royalty/v1/types.ts';

const weights = fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }).map((ws) => {
  // Integer weights that sum to exactly 10000, as the registry requires.
  const total = ws.reduce((a, b) => a + b, 0);
  const scaled = ws.map((w) => Math.floor((w * 10_000) / total));
  scaled[0]! += 10_000 - scaled.reduce((a, b) => a + b, 0);
  return scaled.map((w, i) => ({ address: `r${i}`, weightBps: w }));
});

const termsArb: fc.Arbitrary<SplitTerms> = fc.record({
  modelId: fc.constant('adapter'),
  modelRoyaltyBps: fc.integer({ min: 0, max: 5000 }),
  modelRecipients: weights,
  baseModelId: fc.constantFrom('', 'base'),
  baseRoyaltyBps: fc.integer({ min: 0, max: 5000 }),
  baseRecipients: weights,
});

const paramsArb: fc.Arbitrary<Params> = fc
  .record({ protocolFeeBps: fc.integer({ min: 0, max: 5000 }), burnBps: fc.integer({ min: 0, max: 10_000 }), maxTotalRoyaltyBps: fc.integer({ min: 0, max: 5000 }) })
  .map((p) => ({ authority: '', ...p }));

describe('computeSplit', () => {
  it('conserves every unit and never pays a negative share, for any amount, terms and params', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }), termsArb, paramsArb, (total, terms, params) => {
        const s = computeSplit(total, terms, params);
        const royalties = s.royalties.reduce((a, r) => a + r.amount, 0n);
        expect(s.feeBurned + s.feeTreasury + royalties + s.operatorAmount).toBe(total);
        for (const part of [s.feeBurned, s.feeTreasury, s.operatorAmount, ...s.royalties.map((r) => r.amount)]) expect(part >= 0n).toBe(true);
        const fee = (total * BigInt(params.protocolFeeBps)) / 10_000n;
        expect(s.feeBurned).toBe((fee * BigInt(params.burnBps)) / 10_000n);
        expect(fee - s.feeBurned - s.feeTreasury >= 0n && fee - s.feeBurned - s.feeTreasury <= 1n).toBe(true);
        expect(royalties <= (total * BigInt(params.maxTotalRoyaltyBps)) / 10_000n).toBe(true);
        if (terms.baseModelId === '') expect(s.royalties.every((r) => r.modelId === 'adapter')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('pays each recipient its weight of its model’s royalty when under the cap', () => {
    const terms: SplitTerms = {
      modelId: 'lora',
      modelRoyaltyBps: 300,
      modelRecipients: [{ address: 'adapter-author', weightBps: 10_000 }],
      baseModelId: 'base',
      baseRoyaltyBps: 500,
      baseRecipients: [
        { address: 'author', weightBps: 7000 },
        { address: 'data', weightBps: 3000 },
      ],
    };
    const s = computeSplit(1_000_003n, terms, { authority: '', protocolFeeBps: 500, burnBps: 5000, maxTotalRoyaltyBps: 3000 });
    // fee 50000 (of 1000003: 50000.15), half burned, half to the treasury
    expect([s.feeBurned, s.feeTreasury]).toEqual([25_000n, 25_000n]);
    expect(s.royalties.map((r) => [r.address, r.amount])).toEqual([
      ['adapter-author', 30_000n],
      ['author', 35_000n],
      ['data', 15_000n],
    ]);
    expect(s.operatorAmount).toBe(1_000_003n - 130_000n);
  });

  it('shares the capped pool between adapter and base in proportion to their bps', () => {
    const terms: SplitTerms = { modelId: 'lora', modelRoyaltyBps: 3000, modelRecipients: [{ address: 'a', weightBps: 10_000 }], baseModelId: 'base', baseRoyaltyBps: 1000, baseRecipients: [{ address: 'b', weightBps: 10_000 }] };
    const s = computeSplit(1_000_000n, terms, { authority: '', protocolFeeBps: 0, burnBps: 0, maxTotalRoyaltyBps: 2000 });
    // pool 200000: 3/4 to the adapter, 1/4 to the base
    expect(s.royalties.map((r) => r.amount)).toEqual([150_000n, 50_000n]);
    expect(s.operatorAmount).toBe(800_000n);
  });
});
