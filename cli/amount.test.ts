import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmountError,
  MAX_AMOUNT,
  parseCoin,
  parseCoins,
  parseGasLimit,
  parseGasPrice,
  parseHeight,
  parseRatio,
  scaleUp,
  toDisplayAmount,
} from './amount.ts';

describe('parseCoin', () => {
  it('reads an integer amount followed by a denom', () => {
    expect(parseCoin('100ucairn')).toEqual({ denom: 'ucairn', amount: 100n });
    expect(parseCoin(' 7 ucairn ')).toEqual({ denom: 'ucairn', amount: 7n });
    expect(parseCoin('5ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2')).toEqual({
      denom: 'ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2',
      amount: 5n,
    });
  });

  it('round-trips every amount up to 2^128-1 exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_AMOUNT }), (amount) => {
        expect(parseCoin(`${amount}ucairn`)).toEqual({ denom: 'ucairn', amount });
      }),
    );
  });

  it('tells the user how to write a decimal amount of CAIRN in ucairn', () => {
    expect(() => parseCoin('1.5cairn')).toThrow('write 1500000ucairn');
    expect(() => parseCoin('0.000001CAIRN')).toThrow('write 1ucairn');
  });

  it('explains that ucairn cannot be split when given decimals', () => {
    expect(() => parseCoin('1.5ucairn')).toThrow(/smallest unit and cannot be split/);
    expect(() => parseCoin('.5uatom')).toThrow(/whole numbers/);
  });

  it('converts a whole amount of the display unit into a suggestion', () => {
    expect(() => parseCoin('3CAIRN')).toThrow('write 3000000ucairn');
  });

  it('rejects negative amounts with a clear message', () => {
    expect(() => parseCoin('-5ucairn')).toThrow(/is negative/);
  });

  it('rejects an amount without a denom and suggests ucairn', () => {
    expect(() => parseCoin('100')).toThrow('has no denom: write 100ucairn');
  });

  it('rejects amounts above 2^128-1', () => {
    expect(() => parseCoin(`${MAX_AMOUNT + 1n}ucairn`)).toThrow(/too large: the maximum is 340282366920938463463374607431768211455/);
    expect(parseCoin(`${MAX_AMOUNT}ucairn`).amount).toBe(MAX_AMOUNT);
  });

  it('rejects zero unless allowed', () => {
    expect(() => parseCoin('0ucairn')).toThrow(/must be greater than zero/);
    expect(parseCoin('0ucairn', { allowZero: true }).amount).toBe(0n);
  });

  it('rejects scientific notation instead of reading it as a denom', () => {
    expect(() => parseCoin('1e6ucairn')).toThrow(/scientific notation/);
  });

  it('rejects invalid denoms and empty input', () => {
    expect(() => parseCoin('5u')).toThrow(/invalid denom "u"/);
    expect(() => parseCoin('')).toThrow(/is empty/);
    expect(() => parseCoin('ucairn100')).toThrow(AmountError);
  });

  it('names what the amount was for', () => {
    expect(() => parseCoin('-1ucairn', { what: '--fees' })).toThrow(/^--fees "-1ucairn" is negative/);
  });
});

describe('parseCoins', () => {
  it('reads a comma-separated list sorted by denom', () => {
    expect(parseCoins('5uatom,100ucairn')).toEqual([
      { denom: 'uatom', amount: 5n },
      { denom: 'ucairn', amount: 100n },
    ]);
  });

  it('refuses the same denom twice and empty entries', () => {
    expect(() => parseCoins('1ucairn,2ucairn')).toThrow(/names ucairn twice/);
    expect(() => parseCoins('1ucairn,,2uatom')).toThrow(/empty entry/);
  });
});

describe('gas flags', () => {
  it('reads gas prices as decimals with a denom', () => {
    expect(parseGasPrice('0.025ucairn')).toBe('0.025ucairn');
    expect(() => parseGasPrice('0.025')).toThrow(/not <decimal><denom>/);
    expect(() => parseGasPrice('-1ucairn')).toThrow(/negative/);
  });

  it('reads a gas limit or auto', () => {
    expect(parseGasLimit('auto')).toBe('auto');
    expect(parseGasLimit('200000')).toBe(200000);
    expect(() => parseGasLimit('0')).toThrow(/positive integer/);
    expect(() => parseGasLimit('1.5')).toThrow(/positive integer/);
  });

  it('scales gas up by an exact ratio, rounding up', () => {
    const ratio = parseRatio('1.4', '--gas-adjustment');
    expect(ratio).toEqual({ numerator: 14n, denominator: 10n });
    expect(scaleUp(100_000n, ratio)).toBe(140_000n);
    expect(scaleUp(1n, ratio)).toBe(2n);
    expect(() => parseRatio('0', '--gas-adjustment')).toThrow(/greater than zero/);
    expect(() => parseRatio('abc', '--gas-adjustment')).toThrow(/not a positive decimal/);
  });

  it('reads block heights as positive integers', () => {
    expect(parseHeight('1200', '--timeout-height')).toBe(1200n);
    expect(() => parseHeight('0', '--timeout-height')).toThrow(/positive block height/);
  });
});

describe('toDisplayAmount', () => {
  it('shows ucairn as CAIRN with exact decimals', () => {
    expect(toDisplayAmount(1_500_000n)).toBe('1.5 CAIRN');
    expect(toDisplayAmount(1n)).toBe('0.000001 CAIRN');
    expect(toDisplayAmount(21_000_000_000_000n)).toBe('21000000 CAIRN');
  });
});
