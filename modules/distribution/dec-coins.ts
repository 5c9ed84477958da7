// Multi-denom amounts in 18-decimal fixed point (the SDK's DecCoins), kept sorted by denom with no
// zero entries. Rewards accumulate as DecCoins so that dividing fees by voting power loses nothing:
// only payouts are truncated to whole coins, and the caller puts the fraction somewhere named.
import type { DecCoin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { Amount } from '../../core/framework/coins.ts';
import { type Dec, ONE } from '../../core/framework/dec.ts';

export interface DecAmount {
  readonly denom: string;
  /** atomics: value × 10^18 */
  readonly amount: Dec;
}

export type DecCoins = readonly DecAmount[];

export const EMPTY: DecCoins = [];

function normalize(map: Map<string, bigint>): DecCoins {
  return [...map.entries()]
    .filter(([, a]) => a !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}

export function add(a: DecCoins, b: DecCoins): DecCoins {
  const m = new Map<string, bigint>();
  for (const c of [...a, ...b]) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
  return normalize(m);
}

/** a − b; a negative result is a bug in the caller's accounting, so it throws. */
export function sub(a: DecCoins, b: DecCoins): DecCoins {
  const m = new Map<string, bigint>();
  for (const c of a) m.set(c.denom, c.amount);
  for (const c of b) {
    const left = (m.get(c.denom) ?? 0n) - c.amount;
    if (left < 0n) throw new RangeError(`negative ${c.denom} after subtracting ${c.amount} from ${m.get(c.denom) ?? 0n}`);
    m.set(c.denom, left);
  }
  return normalize(m);
}

/** Each amount × d, truncated. */
export function mulDec(a: DecCoins, d: Dec): DecCoins {
  return normalize(new Map(a.map((c) => [c.denom, (c.amount * d) / ONE])));
}

/** Each amount ÷ n for a positive integer n, truncated (a per-token ratio). */
export function quoInt(a: DecCoins, n: bigint): DecCoins {
  if (n <= 0n) throw new RangeError('division by a non-positive integer');
  return normalize(new Map(a.map((c) => [c.denom, c.amount / n])));
}

/** Per denom, the smaller of the two (denoms missing from either are dropped). */
export function intersect(a: DecCoins, b: DecCoins): DecCoins {
  const m = new Map<string, bigint>();
  for (const c of a) {
    const other = b.find((x) => x.denom === c.denom)?.amount ?? 0n;
    m.set(c.denom, c.amount < other ? c.amount : other);
  }
  return normalize(m);
}

/** Whole coins and the fractional change left over. */
export function truncate(a: DecCoins): { coins: Amount[]; change: DecCoins } {
  const coins: Amount[] = [];
  const change = new Map<string, bigint>();
  for (const c of a) {
    const whole = c.amount / ONE;
    if (whole > 0n) coins.push({ denom: c.denom, amount: whole });
    change.set(c.denom, c.amount % ONE);
  }
  return { coins, change: normalize(change) };
}

export function fromCoins(coins: readonly Amount[]): DecCoins {
  return normalize(new Map(coins.map((c) => [c.denom, c.amount * ONE])));
}

export function isZero(a: DecCoins): boolean {
  return a.length === 0;
}

/** True if every amount of `a` is <= the same denom in `b`. */
export function isAllLte(a: DecCoins, b: DecCoins): boolean {
  return a.every((c) => c.amount <= (b.find((x) => x.denom === c.denom)?.amount ?? 0n));
}

/** cosmos.base.v1beta1.DecCoin on the wire carries the atomics as an integer string. */
export function toProto(a: DecCoins): DecCoin[] {
  return a.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}

export function fromProto(list: readonly DecCoin[]): DecCoins {
  return normalize(new Map(list.map((c) => [c.denom, BigInt(c.amount)])));
}

export function format(a: DecCoins): string {
  return a.map((c) => `${c.amount / ONE}.${(c.amount % ONE).toString().padStart(18, '0')}${c.denom}`).join(',');
}
