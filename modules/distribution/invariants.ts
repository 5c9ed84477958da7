// SPEC §0 for distribution: the distribution account holds exactly what is owed, Σ outstanding
// rewards of all validators plus the community pool (all in 18-decimal atomics), and no validator's
// accumulated commission exceeds its outstanding rewards.
import { moduleAddress } from '../../core/framework/address.ts';
import type { KVRead } from '../../core/store/types.ts';
import { bankView } from '../bank/api.ts';
import * as dc from './dec-coins.ts';
import * as keys from './keys.ts';
import { MODULE } from './keys.ts';

export async function checkDistributionInvariants(store: KVRead): Promise<string[]> {
  const broken: string[] = [];
  let owed = dc.fromProto((await keys.feePool.get(store))?.communityPool ?? []);
  for await (const [operator, o] of keys.outstanding.entries(store)) {
    const outstanding = dc.fromProto(o.rewards);
    owed = dc.add(owed, outstanding);
    const commission = dc.fromProto((await keys.commission.get(store, operator))?.commission ?? []);
    if (!dc.isAllLte(commission, outstanding)) broken.push(`validator ${Buffer.from(operator).toString('hex')} owes commission ${dc.format(commission)} above its outstanding ${dc.format(outstanding)}`);
  }
  const held = await bankView.balances(store, moduleAddress(MODULE));
  const heldDec = dc.fromCoins(held);
  if (dc.format(heldDec) !== dc.format(owed)) broken.push(`${MODULE} account holds ${dc.format(heldDec)} but owes ${dc.format(owed)}`);
  return broken;
}
