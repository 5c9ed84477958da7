import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.ts';

describe('LRU cache', () => {
  it('evicts the least recently used entry once it holds more than its size', () => {
    const c = new LruCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });

  it('behaves like a reference LRU under random use', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.tuple(fc.constantFrom('get', 'set', 'delete'), fc.integer({ min: 0, max: 8 }))),
        (max, ops) => {
          const c = new LruCache<number>(max);
          let ref: [string, number][] = []; // oldest first
          for (const [op, n] of ops) {
            const k = `k${n}`;
            const at = ref.findIndex(([rk]) => rk === k);
            if (op === 'get') {
              expect(c.get(k)).toBe(at < 0 ? undefined : (ref[at] as [string, number])[1]);
              if (at >= 0) ref.push(...ref.splice(at, 1));
            } else if (op === 'set') {
              c.set(k, n);
              if (max === 0) continue;
              if (at >= 0) ref.splice(at, 1);
              ref.push([k, n]);
              if (ref.length > max) ref = ref.slice(1);
            } else {
              c.delete(k);
              if (at >= 0) ref.splice(at, 1);
            }
            expect(c.size).toBe(ref.length);
          }
        },
      ),
    );
  });
});
