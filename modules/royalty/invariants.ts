// The royalty ledger is consistent: each recipient's lifetime paid and owed equal the sums of its
// per-epoch accruals. (The treasury is an ordinary module account balance: nothing to back.)
import type { KVRead } from '../../core/store/types.ts';
import * as keys from './keys.ts';

export async function checkRoyaltyInvariants(store: KVRead): Promise<string[]> {
  const sums = new Map<string, [bigint, bigint]>();
  for await (const [, a] of keys.accruals.entries(store)) {
    const s = sums.get(a.recipient) ?? [0n, 0n];
    sums.set(a.recipient, [s[0] + BigInt(a.paid), s[1] + BigInt(a.owed)]);
  }
  const broken: string[] = [];
  let entries = 0;
  for await (const [, e] of keys.ledger.entries(store)) {
    entries++;
    const [paid, owed] = sums.get(e.recipient) ?? [0n, 0n];
    if (BigInt(e.paid) !== paid || BigInt(e.owed) !== owed) broken.push(`royalty ledger of ${e.recipient} says ${e.paid} paid/${e.owed} owed, its accruals add up to ${paid}/${owed}`);
  }
  if (entries !== sums.size) broken.push(`${sums.size} recipients have accruals but ${entries} have ledger entries`);
  return broken;
}
