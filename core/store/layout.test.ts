import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes } from './bytes.ts';
import {
  decodeChanges,
  decodeMeta,
  encodeChanges,
  encodeMeta,
  escapeBody,
  groupKey,
  historyBound,
  historyKey,
  splitHistoryKey,
  unescapeBody,
} from './layout.ts';

const bytes = fc.uint8Array({ maxLength: 6, max: 3 }).map((b) => b.map((x) => [0, 1, 0xfe, 0xff][x] as number));
const version = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const sign = (n: number): number => Math.sign(n);

describe('history key layout', () => {
  it('orders history keys by store key, then newest version first', () => {
    fc.assert(
      fc.property(bytes, bytes, version, version, (a, b, va, vb) => {
        const c = compareBytes(historyKey(a, va), historyKey(b, vb));
        const byKey = compareBytes(a, b);
        if (byKey !== 0) expect(sign(c)).toBe(sign(byKey));
        else expect(sign(c)).toBe(va === vb ? 0 : va > vb ? -1 : 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('places every history entry of a key inside the scan bounds built for that key', () => {
    fc.assert(
      fc.property(bytes, bytes, version, (k, bound, v) => {
        const hk = historyKey(k, v);
        // [historyBound(lo), historyBound(hi)) holds exactly the entries of keys in [lo, hi).
        expect(sign(compareBytes(hk, historyBound(bound)))).toBe(compareBytes(k, bound) >= 0 ? 1 : -1);
        // Prefix scans: the escaped body of a prefix is a prefix of the history keys under it.
        const under = Buffer.from(k).subarray(0, bound.length).equals(bound);
        expect(Buffer.from(hk).subarray(0, bound.length + 1 + countZeros(bound)).equals(historyBound(bound))).toBe(under);
      }),
      { numRuns: 2000 },
    );
  });

  it('splits a history key back into its store key and version', () => {
    fc.assert(
      fc.property(bytes, version, (k, v) => {
        const { group, version: got } = splitHistoryKey(historyKey(k, v));
        expect(got).toBe(v);
        expect(groupKey(group)).toEqual(k);
        expect(unescapeBody(escapeBody(k))).toEqual(k);
      }),
    );
  });

  it('round-trips changesets and metadata', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.uint8Array({ minLength: 1, maxLength: 40 }), prev: fc.option(version, { nil: undefined }), deleted: fc.boolean() })),
        (changes) => {
          expect(decodeChanges(encodeChanges(changes))).toEqual(changes);
        },
      ),
    );
    const meta = { height: 9n, earliest: 3n, retained: 7n, appHash: new Uint8Array(32).fill(7) };
    expect(decodeMeta(encodeMeta(meta))).toEqual(meta);
  });
});

function countZeros(b: Uint8Array): number {
  return b.filter((x) => x === 0).length;
}
