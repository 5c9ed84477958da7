import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressCodec } from '../../core/framework/address.ts';
import { defaultParams } from './params.ts';
import { epochBudget, eraOf, nextHalvingEpoch, scheduleTotal } from './schedule.ts';

const p = defaultParams(new AddressCodec('cairn'));

describe('the emission schedule', () => {
  it('gives 5.25M CAIRN a year for the first two years, split evenly over 8760 epochs, rounded down', () => {
    expect(epochBudget(0n, p)).toBe(5_250_000_000_000n / 8760n);
    expect(epochBudget(2n * 8760n - 1n, p)).toBe(5_250_000_000_000n / 8760n);
  });

  it('halves exactly at the first epoch of year 2, 4, 6, …', () => {
    expect(nextHalvingEpoch(0n, p)).toBe(17_520n);
    expect(epochBudget(17_520n, p)).toBe(2_625_000_000_000n / 8760n);
    expect(epochBudget(35_040n, p)).toBe(1_312_500_000_000n / 8760n);
    expect(eraOf(17_519n, p)).toBe(0n);
    expect(eraOf(17_520n, p)).toBe(1n);
  });

  it('can never schedule more than the 21M cap over all time', () => {
    expect(scheduleTotal(p)).toBeLessThanOrEqual(21_000_000_000_000n);
    // Only the per-year rounding and the tail below one base unit per epoch are never scheduled.
    expect(21_000_000_000_000n - scheduleTotal(p)).toBeLessThan(10_000_000_000n);
  });

  it('never grows from one epoch to the next, and halves (rounded down) at every halving', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10_000n }), fc.integer({ min: 1, max: 8 }), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 200_000n }), (epy, years, year0, e) => {
        const q = { ...p, epochsPerYear: epy, halvingIntervalYears: years, year0Budget: year0.toString() };
        expect(epochBudget(e + 1n, q)).toBeLessThanOrEqual(epochBudget(e, q));
        const h = nextHalvingEpoch(e, q);
        expect(eraOf(h, q)).toBe(eraOf(e, q) + 1n);
        expect(epochBudget(h, q)).toBe((BigInt(q.year0Budget) >> eraOf(h, q)) / epy);
        expect(scheduleTotal(q)).toBeLessThanOrEqual(year0 * 2n * BigInt(years));
      }),
    );
  });
});
