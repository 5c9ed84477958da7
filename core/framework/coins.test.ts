import { describe, expect, it } from 'vitest';
import { subCoins, sumCoins } from './coins.ts';

describe('coins', () => {
  it('sums by denom, sorted, dropping zero sums', () => {
    const sum = sumCoins([
      [{ denom: 'ucairn', amount: 5n }, { denom: 'uatom', amount: 2n }],
      [{ denom: 'ucairn', amount: -5n }],
      [{ denom: 'uatom', amount: 3n }],
    ]);
    expect(sum).toEqual([{ denom: 'uatom', amount: 5n }]);
    expect(subCoins([{ denom: 'ucairn', amount: 3n }], [{ denom: 'ucairn', amount: 4n }])).toEqual({ left: [], negative: true });
  });

  it('sums a million balances, as a genesis of a million accounts needs', () => {
    const balances = Array.from({ length: 1_000_000 }, () => [{ denom: 'ucairn', amount: 3n }]);
    expect(sumCoins(balances)).toEqual([{ denom: 'ucairn', amount: 3_000_000n }]);
  });
});
