// SPEC §0: supply ≤ max_supply; emission's minted total is the sum of its epochs; the emission
// account is empty (everything minted is paid out in the same step); the challenge account holds
// exactly the bonds of the open bonded capacity challenges, and every open challenge is indexed.
import { moduleAddress } from '../../core/framework/address.ts';
import type { KVRead } from '../../core/store/types.ts';
import { bankView } from '../bank/api.ts';
import { ChallengeStatus } from '../../proto/gen/cairn/emission/v1/types.ts';
import * as keys from './keys.ts';

export async function checkEmissionInvariants(store: KVRead): Promise<string[]> {
  const p = await keys.params.get(store);
  if (p === undefined) return [];
  const broken: string[] = [];
  const supply = await bankView.supplyOf(store, p.denom);
  if (supply > BigInt(p.maxSupply)) broken.push(`supply ${supply}${p.denom} exceeds max_supply ${p.maxSupply}`);
  let sum = 0n;
  for await (const [, e] of keys.epochs.entries(store)) sum += BigInt(e.minted);
  const total = (await keys.mintedTotal.get(store)) ?? 0n;
  if (sum !== total) broken.push(`minted total ${total} differs from the sum of the epochs' minted ${sum}`);
  const held = await bankView.balance(store, moduleAddress(keys.EMISSION_ACCOUNT), p.denom);
  if (held !== 0n) broken.push(`the emission account holds ${held}${p.denom} after the block`);
  let bonds = 0n;
  let open = 0;
  for await (const [, c] of keys.challenges.entries(store)) {
    if (c.status !== ChallengeStatus.CHALLENGE_STATUS_OPEN) continue;
    open++;
    if (c.bond !== '') bonds += BigInt(c.bond);
  }
  let indexed = 0;
  for await (const _ of keys.openByGpu.entries(store)) indexed++;
  if (indexed !== open) broken.push(`${open} open capacity challenges but ${indexed} GPUs marked as challenged`);
  const bonded = await bankView.balance(store, moduleAddress(keys.CHALLENGE_ACCOUNT), p.denom);
  if (bonded !== bonds) broken.push(`${keys.CHALLENGE_ACCOUNT} holds ${bonded}${p.denom} but open challenges' bonds add up to ${bonds}${p.denom}`);
  return broken;
}
