import { describe, expect, it } from 'vitest';
import { GasMeter, UNLIMITED_GAS } from './gas.ts';

describe('GasMeter', () => {
  it('allows gas up to its limit and refuses the charge past it, saying where and how much', () => {
    const gas = new GasMeter(3000n);
    gas.consume(1000n, 'ReadFlat');
    gas.consume(2000n, 'WriteFlat');
    expect(gas.used).toBe(3000n);
    expect(() => gas.consume(1n, 'ReadPerByte')).toThrow('out of gas in location: ReadPerByte; gasWanted: 3000, gasUsed: 3001');
    expect(gas.used).toBe(3001n);
  });

  it('counts exactly past 2^53 (a simulation has 2^64 - 1 to spend)', () => {
    const gas = new GasMeter(UNLIMITED_GAS);
    gas.consume(2n ** 53n - 2n, 'a');
    gas.consume(3n, 'b');
    gas.consume(1n, 'c');
    expect(gas.used).toBe(2n ** 53n + 2n);
    gas.consume(2n ** 63n, 'd');
    expect(gas.used).toBe(2n ** 63n + 2n ** 53n + 2n);
    expect(() => gas.consume(2n ** 63n, 'e')).toThrow(`out of gas in location: e; gasWanted: ${UNLIMITED_GAS}, gasUsed: ${2n ** 64n + 2n ** 53n + 2n}`);
  });

  it('takes one charge above 2^53 on a fresh meter exactly', () => {
    const gas = new GasMeter(2n ** 60n);
    gas.consume(2n ** 54n + 1n, 'big');
    expect(gas.used).toBe(2n ** 54n + 1n);
    expect(() => gas.consume(2n ** 60n, 'x')).toThrow(`gasUsed: ${2n ** 60n + 2n ** 54n + 1n}`);
  });
});
