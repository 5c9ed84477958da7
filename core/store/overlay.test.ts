// The overlay keeps its keys in two sorted runs (a big one and a small recent one, merged once the
// small one outgrows √big): whatever the mix of writes and range reads, every read must see every
// key in order, as a plain sorted map would.
import { describe, expect, it } from 'vitest';
import { toKeyString } from './bytes.ts';
import { Overlay } from './overlay.ts';
import { normalizeRange } from './validate.ts';
import type { Range } from './types.ts';

const key = (n: number): Uint8Array => Uint8Array.of(n % 7, n >> 8, n & 255);

const row = (k: string, v: Uint8Array | null | undefined): string => `${Buffer.from(k, 'latin1').toString('hex')}=${v === null ? 'deleted' : String(v?.[0])}`;

/** The model's rows inside the range, in its order, as one string (one comparison a read). */
function expected(model: Map<string, Uint8Array | null>, range: Range): string {
  const lo = range.start === undefined ? undefined : toKeyString(range.start);
  const hi = range.end === undefined ? undefined : toKeyString(range.end);
  const keys = [...model.keys()].filter((k) => (lo === undefined || k >= lo) && (hi === undefined || k < hi)).sort();
  return (range.reverse === true ? keys.reverse() : keys).map((k) => row(k, model.get(k))).join(' ');
}

describe('overlay', () => {
  it('reads every key in order between writes, across merges of its two runs', () => {
    const overlay = new Overlay();
    const model = new Map<string, Uint8Array | null>();
    let seed = 1;
    const next = (n: number): number => {
      seed = (seed * 48_271) % 2_147_483_647; // Park–Miller: exact in doubles
      return seed % n;
    };
    // Bursts of writes (new keys and rewrites, values and deletes) of 1 to 300 keys, each followed by reads.
    for (let round = 0; round < 200; round++) {
      const burst = 1 + next(round % 10 === 0 ? 600 : 5);
      for (let i = 0; i < burst; i++) {
        const k = key(next(5_000));
        const value = next(4) === 0 ? null : Uint8Array.of(round);
        overlay.put(toKeyString(k), value);
        model.set(toKeyString(k), value);
      }
      for (const range of [{}, { start: key(next(5_000)), end: key(next(5_000)), reverse: next(2) === 0 }, { start: Uint8Array.of(3), end: Uint8Array.of(4), reverse: true }] as Range[]) {
        const got = overlay.range(normalizeRange(range));
        expect(got.map((e) => row(toKeyString(e.key), e.value)).join(' ')).toBe(expected(model, range));
      }
    }
    expect(overlay.size).toBe(model.size);
    expect(model.size).toBeGreaterThan(2_000);
    expect(overlay.sorted().map((e) => row(toKeyString(e.key), e.value)).join(' ')).toBe(expected(model, {}));
  });
});
