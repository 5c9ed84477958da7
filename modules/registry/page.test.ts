import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../core/store/bytes.ts';
import { amountKey, paginateSorted } from './page.ts';
import type { PageRequest } from '../../proto/gen/cairn/registry/v1/types.ts';

const page = (p: Partial<PageRequest>): PageRequest => ({ key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, reverse: false, ...p });

describe('paginateSorted', () => {
  it('walks every item exactly once, in key order, by following next_key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.nat({ max: 10_000 }), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), fc.boolean(), async (values, limit, reverse) => {
        const items = values.map((v) => ({ key: amountKey(BigInt(v)), value: v }));
        const seen: number[] = [];
        let key: Uint8Array = new Uint8Array();
        for (let guard = 0; guard < 100; guard++) {
          const r = await paginateSorted(items, page({ key, limit: BigInt(limit), reverse }));
          seen.push(...r.items);
          if (r.pagination.nextKey.length === 0) break;
          key = r.pagination.nextKey;
        }
        const sorted = [...values].sort((a, b) => a - b);
        expect(seen).toEqual(reverse ? sorted.reverse() : sorted);
      }),
    );
  });

  it('counts the total when asked and skips by offset', async () => {
    const items = [3, 1, 2].map((v) => ({ key: amountKey(BigInt(v)), value: v }));
    expect(await paginateSorted(items, page({ limit: 1n, countTotal: true }))).toEqual({ items: [1], pagination: { nextKey: amountKey(2n), total: 3n } });
    expect((await paginateSorted(items, page({ offset: 1n }))).items).toEqual([2, 3]);
  });
});

describe('amountKey', () => {
  it('orders amounts numerically as bytes, up to 2^256-1', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (a, b) => {
        expect(Math.sign(compareBytes(amountKey(a), amountKey(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});
