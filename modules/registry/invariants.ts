// SPEC §0 for the registry: every bond and unbonding entry is backed by the registry_bonds module
// account, exactly: sum of bonds + sum of unbonding entries == that account's balance (bond denom).
// Exact, not "at least": bank refuses user sends to module accounts, so only this module moves
// coins in and out of registry_bonds.
import { moduleAddress } from '../../core/framework/address.ts';
import type { KVRead } from '../../core/store/types.ts';
import { bankView } from '../bank/api.ts';
import * as keys from './keys.ts';

/** Returns a description of each broken invariant (empty when all hold). */
export async function checkRegistryInvariants(store: KVRead): Promise<string[]> {
  const params = await keys.params.get(store);
  if (params === undefined) return [];
  const denom = params.minOperatorBond!.denom;
  let owed = 0n;
  const broken: string[] = [];
  for await (const [, op] of keys.operators.entries(store)) {
    if (op.bond?.denom !== denom) broken.push(`operator ${op.address} has a bond in ${op.bond?.denom}, not ${denom}`);
    else owed += BigInt(op.bond.amount);
  }
  let queued = 0;
  for await (const [, entry] of keys.unbonding.entries(store)) {
    owed += BigInt(entry.amount!.amount);
    queued++;
  }
  let queue = 0;
  for await (const _ of keys.unbondingQueue.entries(store)) queue++;
  if (queue !== queued) broken.push(`${queued} unbonding entries but ${queue} queue entries`);
  const held = await bankView.balance(store, moduleAddress(keys.BONDS_ACCOUNT), denom);
  if (held !== owed) broken.push(`${keys.BONDS_ACCOUNT} holds ${held}${denom} but bonds and unbonding entries add up to ${owed}${denom}`);
  return broken;
}
