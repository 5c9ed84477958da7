import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE } from '../../core/framework/dec.ts';
import { add, fromCoins, isAllLte, mulDec, quoInt, sub, truncate, type DecCoins } from './dec-coins.ts';

const denom = fc.constantFrom('ucairn', 'uatom', 'ibc/ABC');
const decCoins = fc
  .array(fc.record({ denom, amount: fc.bigInt({ min: 1n, max: 2n ** 120n }) }), { maxLength: 3 })
  .map((list) => add([], list) as DecCoins);

describe('DecCoins', () => {
  it('subtracts what was added, and refuses to go negative', () => {
    fc.assert(
      fc.property(decCoins, decCoins, (a, b) => {
        expect(sub(add(a, b), b)).toEqual(a);
      }),
    );
    expect(() => sub(fromCoins([{ denom: 'ucairn', amount: 1n }]), fromCoins([{ denom: 'ucairn', amount: 2n }]))).toThrow(RangeError);
  });

  it('splits into whole coins and change with nothing lost', () => {
    fc.assert(
      fc.property(decCoins, (a) => {
        const { coins, change } = truncate(a);
        expect(add(fromCoins(coins), change)).toEqual(a);
        for (const c of change) expect(c.amount < ONE).toBe(true);
      }),
    );
  });

  it('never pays out more than it divides: shares by power add up to at most the whole', () => {
    fc.assert(
      fc.property(decCoins, fc.array(fc.bigInt({ min: 1n, max: 10n ** 12n }), { minLength: 1, maxLength: 8 }), (fees, powers) => {
        const total = powers.reduce((s, p) => s + p, 0n);
        let paid: DecCoins = [];
        for (const p of powers) paid = add(paid, quoInt(mulDec(fees, p * ONE), total));
        expect(isAllLte(paid, fees)).toBe(true);
        // What truncation keeps back is less than one atomic per share.
        for (const c of sub(fees, paid)) expect(c.amount < BigInt(powers.length)).toBe(true);
      }),
    );
  });
});
