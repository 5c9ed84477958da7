import { describe, expect, it } from 'vitest';
import { type Vesting, lockedCoins, trackDelegation, trackUndelegation, vestedCoins, vestingProblem } from './vesting.ts';

const c = (amount: bigint) => [{ denom: 'ucairn', amount }];
const schedule = (v: Partial<Vesting>): Vesting => ({
  type: 'continuous',
  originalVesting: c(1000n),
  delegatedFree: [],
  delegatedVesting: [],
  startTime: 100n,
  endTime: 200n,
  periods: [],
  ...v,
});

describe('vesting schedules', () => {
  it('a continuous account vests linearly, with the SDK’s 18-decimal half-even rounding', () => {
    const v = schedule({});
    expect(vestedCoins(v, 100n)).toEqual([]);
    expect(vestedCoins(v, 150n)).toEqual(c(500n));
    expect(vestedCoins(v, 250n)).toEqual(c(1000n));
    // 1/3 of 1000 = 333.33… → 333; 2/3 = 666.66… → 667.
    const thirds = schedule({ startTime: 0n, endTime: 3n });
    expect(vestedCoins(thirds, 1n)).toEqual(c(333n));
    expect(vestedCoins(thirds, 2n)).toEqual(c(667n));
    // 1/8 of 4 = 0.5 rounds to even (0); 3/8 of 4 = 1.5 → 2.
    const halves = schedule({ originalVesting: c(4n), startTime: 0n, endTime: 8n });
    expect(vestedCoins(halves, 1n)).toEqual([]);
    expect(vestedCoins(halves, 3n)).toEqual(c(2n));
  });

  it('a delayed account vests everything at its end time', () => {
    const v = schedule({ type: 'delayed', startTime: 0n });
    expect(vestedCoins(v, 199n)).toEqual([]);
    expect(vestedCoins(v, 200n)).toEqual(c(1000n));
  });

  it('a periodic account vests each period’s amount when the period has fully passed', () => {
    const v = schedule({ type: 'periodic', periods: [{ length: 30n, amount: c(100n) }, { length: 70n, amount: c(900n) }] });
    expect(vestedCoins(v, 129n)).toEqual([]);
    expect(vestedCoins(v, 130n)).toEqual(c(100n));
    expect(vestedCoins(v, 199n)).toEqual(c(100n));
    expect(vestedCoins(v, 200n)).toEqual(c(1000n));
  });
});

describe('locked coins and delegations', () => {
  it('locks what still vests, less what is delegated from it; undelegation returns free coins first', () => {
    let v = schedule({});
    expect(lockedCoins(v, 150n)).toEqual(c(500n));
    // Delegating 700 at t=150 (500 still vesting): 500 is delegated_vesting, 200 delegated_free.
    v = trackDelegation(v, 150n, c(700n));
    expect(v.delegatedVesting).toEqual(c(500n));
    expect(v.delegatedFree).toEqual(c(200n));
    expect(lockedCoins(v, 150n)).toEqual([]);
    // Undelegating 300: 200 free first, then 100 vesting.
    v = trackUndelegation(v, c(300n));
    expect(v.delegatedFree).toEqual([]);
    expect(v.delegatedVesting).toEqual(c(400n));
    expect(lockedCoins(v, 150n)).toEqual(c(100n));
    expect(lockedCoins(v, 200n)).toEqual([]);
  });
});

describe('bad schedules are refused with the SDK’s reasons', () => {
  it.each([
    ['a continuous start at its end', schedule({ startTime: 200n }), 'vesting start-time cannot be before end-time'],
    ['periods that do not reach the end time', schedule({ type: 'periodic', periods: [{ length: 50n, amount: c(1000n) }] }), 'vesting end time does not match length of all vesting periods'],
    ['periods whose amounts differ from the original vesting', schedule({ type: 'periodic', periods: [{ length: 100n, amount: c(999n) }] }), 'original vesting coins does not match the sum of all coins in vesting periods'],
    ['an empty period', schedule({ type: 'periodic', periods: [{ length: 0n, amount: [] }, { length: 100n, amount: c(1000n) }] }), 'invalid period length of 0 in period 0, length must be greater than 0'],
    ['nothing to vest', schedule({ originalVesting: [] }), 'original vesting must not be empty'],
  ])('%s', (_name, v, problem) => {
    expect(vestingProblem(v)).toBe(problem);
  });

  it('a valid periodic schedule has no problem', () => {
    expect(vestingProblem(schedule({ type: 'periodic', periods: [{ length: 40n, amount: c(400n) }, { length: 60n, amount: c(600n) }] }))).toBeUndefined();
  });
});
