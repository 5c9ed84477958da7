// Coins as the SDK defines them: a valid denom and a positive integer amount below 2^256, kept
// sorted by denom without duplicates. All arithmetic is bigint.
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { ErrInvalidCoins } from './sdk-errors.ts';

export const MAX_AMOUNT = 2n ** 256n - 1n;
const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const UINT = /^(0|[1-9][0-9]*)$/;

export interface Amount {
  readonly denom: string;
  readonly amount: bigint;
}

export function validateDenom(denom: string): void {
  if (!DENOM.test(denom)) throw ErrInvalidCoins.wrap(`invalid denom: ${denom}`);
}

export function parseAmount(text: string, what = 'amount'): bigint {
  if (!UINT.test(text)) throw ErrInvalidCoins.wrap(`invalid ${what} "${text}": must be a non-negative integer`);
  const value = BigInt(text);
  if (value > MAX_AMOUNT) throw ErrInvalidCoins.wrap(`${what} ${text} is larger than 2^256-1`);
  return value;
}

/** Parses proto coins: each amount positive, denoms valid, sorted and unique. */
export function parseCoins(coins: readonly Coin[], allowEmpty = false): Amount[] {
  if (coins.length === 0 && !allowEmpty) throw ErrInvalidCoins.wrap('no coins given');
  const out: Amount[] = [];
  for (const coin of coins) {
    validateDenom(coin.denom);
    const amount = parseAmount(coin.amount);
    if (amount === 0n) throw ErrInvalidCoins.wrap(`${formatCoins(coins)}: amount of ${coin.denom} must be positive`);
    const previous = out[out.length - 1];
    if (previous !== undefined && previous.denom >= coin.denom) {
      throw ErrInvalidCoins.wrap(`${formatCoins(coins)}: denoms must be sorted and unique`);
    }
    out.push({ denom: coin.denom, amount });
  }
  return out;
}

export function formatCoins(coins: readonly (Coin | Amount)[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(',');
}

export function toProtoCoins(amounts: readonly Amount[]): Coin[] {
  return amounts.map((a) => ({ denom: a.denom, amount: a.amount.toString() }));
}

/** Adds amounts of the same denom; result sorted by denom, zero entries dropped. */
/** The sum of every list, by denom, zero sums dropped. Takes the lists as one iterable: spreading a
 * genesis's million balances into arguments would overflow the stack. */
export function sumCoins(lists: Iterable<readonly Amount[]>): Amount[] {
  const totals = new globalThis.Map<string, bigint>();
  for (const list of lists) for (const a of list) totals.set(a.denom, (totals.get(a.denom) ?? 0n) + a.amount);
  return [...totals.entries()]
    .filter(([, amount]) => amount !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}

/**
 * `a - b` per denom, as the SDK's Coins.SafeSub: the result (sorted, zero entries dropped) and
 * whether any denom went negative (a denom of `b` that `a` lacks counts as negative).
 */
export function subCoins(a: readonly Amount[], b: readonly Amount[]): { left: Amount[]; negative: boolean } {
  const diff = sumCoins([a, b.map((c) => ({ denom: c.denom, amount: -c.amount }))]);
  return { left: diff.filter((c) => c.amount > 0n), negative: diff.some((c) => c.amount < 0n) };
}

/** The amount of `denom` in `coins` (0 when absent). */
export function amountOf(coins: readonly Amount[], denom: string): bigint {
  return coins.find((c) => c.denom === denom)?.amount ?? 0n;
}
