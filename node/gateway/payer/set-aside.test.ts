import { describe, expect, it } from 'vitest';
import { DEFAULT_SET_ASIDE, SetAside } from './set-aside.ts';

const OP = 'cairn1operator';

describe('the payer gateway sets operators aside in proportion', () => {
  it('sets a failing operator aside for 1 s, doubling at each failure in a row up to a minute', () => {
    const a = new SetAside(DEFAULT_SET_ASIDE);
    const t = 1_000_000;
    const lengths = Array.from({ length: 9 }, (_, i) => a.failed(OP, 'error', t + i * 100_000));
    expect(lengths).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(a.isAside(OP, t + 8 * 100_000 + 59_999)).toBe(true);
    expect(a.isAside(OP, t + 8 * 100_000 + 60_000)).toBe(false);
    expect(a.isAside('cairn1other', t)).toBe(false);
  });

  it('forgets the run at the next good answer, which also ends the set-aside', () => {
    const a = new SetAside(DEFAULT_SET_ASIDE);
    for (let i = 0; i < 5; i++) a.failed(OP, 'error', i * 100_000);
    expect(a.isAside(OP, 400_000 + 10_000)).toBe(true);
    // a request sent before the last failure comes back good
    a.succeeded(OP, 400_000 + 10_000);
    expect(a.isAside(OP, 400_000 + 10_000)).toBe(false);
    expect(a.failed(OP, 'error', 500_000)).toBe(1_000);
  });

  it('sets an operator whose receipt failed the checks aside for an hour, which a good answer does not shorten', () => {
    const a = new SetAside(DEFAULT_SET_ASIDE);
    expect(a.failed(OP, 'dishonest', 0)).toBe(3_600_000);
    a.succeeded(OP, 1_000);
    expect(a.isAside(OP, 3_599_999)).toBe(true);
    // a network error meanwhile neither shortens it nor counts for more than itself
    expect(a.failed(OP, 'error', 10_000)).toBe(3_590_000);
    expect(a.isAside(OP, 3_600_000)).toBe(false);
    // longer than any run of network errors
    const b = new SetAside(DEFAULT_SET_ASIDE);
    let longest = 0;
    for (let i = 0; i < 50; i++) longest = Math.max(longest, b.failed(OP, 'error', i));
    expect(longest).toBeLessThan(DEFAULT_SET_ASIDE.dishonestMs);
  });

  it('with a zero policy sets nobody aside', () => {
    const a = new SetAside({ firstMs: 0, maxMs: 0, dishonestMs: 0 });
    a.failed(OP, 'error', 5);
    a.failed(OP, 'dishonest', 5);
    expect(a.isAside(OP, 5)).toBe(false);
  });
});
