import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromKeyString, toKeyString } from './bytes.ts';

describe('key strings', () => {
  it('are one char per byte, for any view into any buffer, and give the bytes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % bytes.length;
        const view = bytes.subarray(start, start + (b % (bytes.length - start + 1)));
        const key = toKeyString(view);
        expect(key).toBe(String.fromCharCode(...view));
        expect(Buffer.from(fromKeyString(key)).equals(Buffer.from(view))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('sort as the bytes do (string order is byte order)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (x, y) => {
        const byBytes = Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));
        const a = toKeyString(x);
        const b = toKeyString(y);
        expect(a < b ? -1 : a > b ? 1 : 0).toBe(byBytes);
      }),
    );
  });
});
