// SPEC §0 for gov: the gov module account holds exactly the deposits of the open proposals (every
// deposit is backed, and nothing else sits there), and each proposal's total_deposit is the sum of
// its depositors' deposits.
import { moduleAddress } from '../../core/framework/address.ts';
import { type Amount, formatCoins, parseCoins, sumCoins } from '../../core/framework/coins.ts';
import type { KVRead } from '../../core/store/types.ts';
import { bankView } from '../bank/api.ts';
import * as keys from './keys.ts';

export async function checkGovInvariants(store: KVRead): Promise<string[]> {
  const all: Amount[][] = [];
  const perProposal = new Map<bigint, Amount[][]>();
  for await (const [[id], d] of keys.deposits.entries(store)) {
    const amount = parseCoins(d.amount, true);
    all.push(amount);
    const amounts = perProposal.get(id);
    if (amounts === undefined) perProposal.set(id, [amount]);
    else amounts.push(amount);
  }
  const broken: string[] = [];
  const held = formatCoins(await bankView.balances(store, moduleAddress(keys.MODULE)));
  const owed = formatCoins(sumCoins(all));
  if (held !== owed) broken.push(`the gov account holds ${held || 'nothing'} but the deposits add up to ${owed || 'nothing'}`);
  for (const [id, amounts] of perProposal) {
    const p = await keys.proposals.get(store, id);
    if (p === undefined) {
      broken.push(`deposits on proposal ${id}, which does not exist`);
      continue;
    }
    const sum = formatCoins(sumCoins(amounts));
    if (formatCoins(p.totalDeposit) !== sum) broken.push(`proposal ${id} says total deposit ${formatCoins(p.totalDeposit)} but its deposits add up to ${sum}`);
  }
  return broken;
}
