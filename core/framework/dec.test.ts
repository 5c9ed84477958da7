import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE, decFromBps, decToProto, formatDec, mulDivCeil, mulDivTrunc, parseDec, parseDecJson } from './dec.ts';

describe('18-decimal fixed point', () => {
  it('reads the wire form as atomics and the JSON form as a number, as the SDK does', () => {
    expect(parseDec('100000000000000000')).toBe(ONE / 10n);
    expect(parseDec('0.1')).toBe(ONE / 10n);
    expect(parseDecJson('1')).toBe(ONE);
    expect(parseDecJson('0.05')).toBe(decFromBps(500n));
    expect(formatDec(ONE / 10n)).toBe('0.100000000000000000');
  });

  it('refuses negative, exponent and over-precise decimals', () => {
    for (const bad of ['-1', '1e5', '0.1234567890123456789', '.5', '1.', 'abc', '']) expect(() => parseDec(bad), bad).toThrow(/invalid decimal/);
  });

  it('round-trips any value through its wire and its human form', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 200n }), (d) => {
        expect(parseDec(decToProto(d))).toBe(d);
        expect(parseDec(formatDec(d))).toBe(d);
      }),
    );
  });

  it('rounds a product down or up by less than one unit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 100n }), fc.bigInt({ min: 0n, max: 2n ** 100n }), fc.bigInt({ min: 1n, max: 2n ** 100n }), (a, b, c) => {
        const down = mulDivTrunc(a, b, c);
        const up = mulDivCeil(a, b, c);
        expect(down * c <= a * b).toBe(true);
        expect((down + 1n) * c > a * b).toBe(true);
        expect(up - down <= 1n).toBe(true);
        expect(up * c >= a * b).toBe(true);
      }),
    );
  });
});
