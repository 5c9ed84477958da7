import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../core/store/bytes.ts';
import * as keys from './keys.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('registry state keys', () => {
  it('give every collection its own prefix, none a prefix of another, all under registry/', () => {
    const all = keys.ALL_PREFIXES.map(hex);
    expect(new Set(all).size).toBe(all.length);
    for (const a of all) {
      expect(a.startsWith(hex(keys.STATE_PREFIX))).toBe(true);
      for (const b of all) if (a !== b) expect(b.startsWith(a)).toBe(false);
    }
  });

  it('order the unbonding queue by completion height first, then operator, then id', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
        fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
        (a, b) => {
          const ka = keys.unbondingQueue.storeKey(a);
          const kb = keys.unbondingQueue.storeKey(b);
          if (a[0] !== b[0]) expect(compareBytes(ka, kb) < 0).toBe(a[0] < b[0]);
        },
      ),
    );
  });

  it('keep one operator\'s entries together: a longer address never interleaves with a shorter one', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 32 }), fc.uint8Array({ minLength: 20, maxLength: 32 }), fc.string({ maxLength: 10 }), (a, b, id) => {
        const key = keys.gpus.storeKey([a, id]);
        const prefix = keys.addressPrefix(b);
        const inside = hex(key).startsWith(hex(keys.gpus.prefix) + hex(prefix));
        expect(inside).toBe(hex(a) === hex(b));
      }),
    );
  });

  it('lay out an unbonding queue key as height, length-prefixed address, id', () => {
    const id = keys.unbondingQueue.storeKey([7n, Uint8Array.of(1, 2, 3), 9n]);
    expect(hex(id)).toBe(hex(keys.unbondingQueue.prefix) + '0000000000000007' + '03010203' + '0000000000000009');
  });
});
