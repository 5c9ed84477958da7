// SPEC §0: total supply equals the sum of all balances (accounts and module accounts alike).
import type { KVRead } from '../../core/store/types.ts';
import * as keys from './keys.ts';

/** Returns a description of each broken invariant (empty when all hold). */
export async function checkInvariants(store: KVRead): Promise<string[]> {
  const sums = new Map<string, bigint>();
  for await (const [[, denom], amount] of keys.balances.entries(store)) {
    if (amount <= 0n) return [`non-positive balance of ${denom} stored`];
    sums.set(denom, (sums.get(denom) ?? 0n) + amount);
  }
  const broken: string[] = [];
  const supply = new Map<string, bigint>();
  for await (const [denom, amount] of keys.supply.entries(store)) supply.set(denom, amount);
  for (const denom of new Set([...sums.keys(), ...supply.keys()])) {
    const held = sums.get(denom) ?? 0n;
    const total = supply.get(denom) ?? 0n;
    if (held !== total) broken.push(`supply of ${denom} is ${total} but balances add up to ${held}`);
  }
  return broken;
}
