// Vesting accounts as the SDK's x/auth/vesting defines them: continuous (linear from start to end),
// delayed (all at end) and periodic (in steps). Coins not yet vested are locked: they cannot be
// sent or pay fees, but they can be delegated; delegations are tracked as delegated_vesting (locked
// coins in a bond) and delegated_free, so that undelegating gives back the same split. Pure functions
// over bigint coins and unix seconds; the arithmetic (LegacyDec with 18 decimals, half-even rounding)
// is the SDK's, so a vesting schedule unlocks the same amount at the same second as on an SDK chain.
import { ContinuousVestingAccount, DelayedVestingAccount, PeriodicVestingAccount } from 'cosmjs-types/cosmos/vesting/v1beta1/vesting';
import type { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { type Amount, amountOf, parseCoins, subCoins, sumCoins, toProtoCoins } from '../../core/framework/coins.ts';
import { VESTING_TYPE_URLS } from '../../sdk/vesting/messages.ts';

export interface Period {
  /** Seconds. */
  readonly length: bigint;
  readonly amount: Amount[];
}

export interface Vesting {
  readonly type: 'continuous' | 'delayed' | 'periodic';
  readonly originalVesting: Amount[];
  readonly delegatedFree: Amount[];
  readonly delegatedVesting: Amount[];
  /** Unix seconds. */
  readonly endTime: bigint;
  /** Unix seconds (continuous and periodic). */
  readonly startTime: bigint;
  /** Periodic only. */
  readonly periods: readonly Period[];
}

const PRECISION = 10n ** 18n;

function roundHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const twice = 2n * (n % d);
  return twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
}

/** Coins vested at unix time `now` (the SDK's GetVestedCoins). */
export function vestedCoins(v: Vesting, now: bigint): Amount[] {
  if (v.type === 'delayed') return now >= v.endTime ? v.originalVesting : [];
  if (now <= v.startTime) return [];
  if (now >= v.endTime) return v.originalVesting;
  if (v.type === 'continuous') {
    // LegacyDec: s = (now-start)/(end-start) at 18 decimals, then amount × s rounded to an integer.
    const s = roundHalfEven(((now - v.startTime) * PRECISION * PRECISION) / (v.endTime - v.startTime), PRECISION);
    return v.originalVesting.map((c) => ({ denom: c.denom, amount: roundHalfEven(c.amount * s, PRECISION) })).filter((c) => c.amount > 0n);
  }
  let vested: Amount[] = [];
  let periodStart = v.startTime;
  for (const p of v.periods) {
    if (now - periodStart < p.length) break;
    vested = sumCoins([vested, p.amount]);
    periodStart += p.length;
  }
  return vested;
}

/** Coins still vesting at `now`. */
export function vestingCoins(v: Vesting, now: bigint): Amount[] {
  return subCoins(v.originalVesting, vestedCoins(v, now)).left;
}

/** Coins that may not leave the account at `now`: still vesting and not already in a delegation. */
export function lockedCoins(v: Vesting, now: bigint): Amount[] {
  return subCoins(vestingCoins(v, now), minCoins(vestingCoins(v, now), v.delegatedVesting)).left;
}

function minCoins(a: readonly Amount[], b: readonly Amount[]): Amount[] {
  return a.map((c) => ({ denom: c.denom, amount: c.amount < amountOf(b, c.denom) ? c.amount : amountOf(b, c.denom) })).filter((c) => c.amount > 0n);
}

/**
 * A delegation of `amount` from an account holding `balance`: the part that is still vesting and not
 * yet delegated counts as delegated_vesting, the rest as delegated_free (the SDK's TrackDelegation).
 */
export function trackDelegation(v: Vesting, now: bigint, amount: readonly Amount[]): Vesting {
  const vesting = vestingCoins(v, now);
  const toVesting: Amount[] = [];
  const toFree: Amount[] = [];
  for (const c of amount) {
    const room = amountOf(vesting, c.denom) - amountOf(v.delegatedVesting, c.denom);
    const x = room <= 0n ? 0n : room < c.amount ? room : c.amount;
    toVesting.push({ denom: c.denom, amount: x });
    toFree.push({ denom: c.denom, amount: c.amount - x });
  }
  return { ...v, delegatedVesting: sumCoins([v.delegatedVesting, toVesting]), delegatedFree: sumCoins([v.delegatedFree, toFree]) };
}

/** Coins coming back from a bond: free ones first, then vesting ones (the SDK's TrackUndelegation). */
export function trackUndelegation(v: Vesting, amount: readonly Amount[]): Vesting {
  const fromFree: Amount[] = [];
  const fromVesting: Amount[] = [];
  for (const c of amount) {
    const free = amountOf(v.delegatedFree, c.denom);
    const x = free < c.amount ? free : c.amount;
    const vesting = amountOf(v.delegatedVesting, c.denom);
    const y = vesting < c.amount - x ? vesting : c.amount - x;
    fromFree.push({ denom: c.denom, amount: x });
    fromVesting.push({ denom: c.denom, amount: y });
  }
  return { ...v, delegatedFree: subCoins(v.delegatedFree, fromFree).left, delegatedVesting: subCoins(v.delegatedVesting, fromVesting).left };
}

/** The account as the Any the SDK stores and the Account query returns. */
export function encodeVestingAccount(base: BaseAccount, v: Vesting): Any {
  const baseVestingAccount = {
    baseAccount: base,
    originalVesting: toProtoCoins(v.originalVesting),
    delegatedFree: toProtoCoins(v.delegatedFree),
    delegatedVesting: toProtoCoins(v.delegatedVesting),
    endTime: v.endTime,
  };
  switch (v.type) {
    case 'continuous':
      return { typeUrl: VESTING_TYPE_URLS.ContinuousVestingAccount, value: ContinuousVestingAccount.encode({ baseVestingAccount, startTime: v.startTime }).finish() };
    case 'delayed':
      return { typeUrl: VESTING_TYPE_URLS.DelayedVestingAccount, value: DelayedVestingAccount.encode({ baseVestingAccount }).finish() };
    case 'periodic':
      return {
        typeUrl: VESTING_TYPE_URLS.PeriodicVestingAccount,
        value: PeriodicVestingAccount.encode({
          baseVestingAccount,
          startTime: v.startTime,
          vestingPeriods: v.periods.map((p) => ({ length: p.length, amount: toProtoCoins(p.amount) })),
        }).finish(),
      };
  }
}

/** The base account and schedule of a stored vesting account, or undefined for another type URL. */
export function decodeVestingAccount(any: Any): { base: BaseAccount; vesting: Vesting } | undefined {
  const fromBase = (
    type: Vesting['type'],
    bva: ContinuousVestingAccount['baseVestingAccount'] | undefined,
    startTime: bigint,
    periods: Period[],
  ): { base: BaseAccount; vesting: Vesting } => {
    if (bva?.baseAccount === undefined) throw new Error(`${any.typeUrl} without a base account in state`);
    const coins = (c: typeof bva.originalVesting): Amount[] => parseCoins(c, true);
    return {
      base: bva.baseAccount,
      vesting: {
        type,
        originalVesting: coins(bva.originalVesting),
        delegatedFree: coins(bva.delegatedFree),
        delegatedVesting: coins(bva.delegatedVesting),
        endTime: bva.endTime,
        startTime,
        periods,
      },
    };
  };
  switch (any.typeUrl) {
    case VESTING_TYPE_URLS.ContinuousVestingAccount: {
      const a = ContinuousVestingAccount.decode(any.value);
      return fromBase('continuous', a.baseVestingAccount, a.startTime, []);
    }
    case VESTING_TYPE_URLS.DelayedVestingAccount:
      return fromBase('delayed', DelayedVestingAccount.decode(any.value).baseVestingAccount, 0n, []);
    case VESTING_TYPE_URLS.PeriodicVestingAccount: {
      const a = PeriodicVestingAccount.decode(any.value);
      return fromBase('periodic', a.baseVestingAccount, a.startTime, a.vestingPeriods.map((p) => ({ length: p.length, amount: parseCoins(p.amount, true) })));
    }
    default:
      return undefined;
  }
}

/**
 * The SDK's checks of a schedule (genesis and MsgCreateVestingAccount): valid coins, a continuous
 * start before its end, periods that add up to the end time and the original vesting. Returns the
 * problem, or undefined.
 */
export function vestingProblem(v: Vesting): string | undefined {
  if (v.endTime < 0n) return 'end time cannot be negative';
  if (v.originalVesting.length === 0) return 'original vesting must not be empty';
  if (v.type === 'continuous' && v.startTime >= v.endTime) return 'vesting start-time cannot be before end-time';
  if (v.type === 'periodic') {
    let end = v.startTime;
    let total: Amount[] = [];
    for (const [i, p] of v.periods.entries()) {
      if (p.length < 1n) return `invalid period length of ${p.length} in period ${i}, length must be greater than 0`;
      end += p.length;
      total = sumCoins([total, p.amount]);
    }
    if (end !== v.endTime) return 'vesting end time does not match length of all vesting periods';
    const diff = subCoins(total, v.originalVesting);
    if (diff.negative || diff.left.length > 0) return 'original vesting coins does not match the sum of all coins in vesting periods';
  }
  return undefined;
}
