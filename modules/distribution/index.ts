// The distribution module: block fees (and other modules' validator rewards) paid by voting power,
// commission to operators, and F1 reward accounting so delegators collect without per-block work.
import { checkDistributionInvariants } from './invariants.ts';
import type { Module } from '../../core/framework/module.ts';
import { type DistributionGenesis, distributionGenesis } from './genesis.ts';
import type { DistributionKeeper } from './keeper.ts';
import { MODULE } from './keys.ts';
import { msgFundCommunityPool } from './msgs/fund-community-pool.ts';
import { msgSetWithdrawAddress } from './msgs/set-withdraw-address.ts';
import { msgUpdateParams } from './msgs/update-params.ts';
import { msgWithdrawValidatorCommission } from './msgs/withdraw-commission.ts';
import { msgWithdrawDelegatorReward } from './msgs/withdraw-rewards.ts';
import { distributionQueries } from './queries.ts';
import { beginBlock } from './block.ts';

export { DistributionKeeper } from './keeper.ts';

/** `authority` signs MsgUpdateParams (the gov module account). */
export function distributionModule(k: DistributionKeeper, authority: Uint8Array): Module<DistributionGenesis> {
  return {
    name: MODULE,
    consensusVersion: 1,
    genesis: distributionGenesis(k),
    msgs: [msgWithdrawDelegatorReward(k), msgWithdrawValidatorCommission(k), msgSetWithdrawAddress(k), msgFundCommunityPool(k), msgUpdateParams(authority)],
    queries: distributionQueries(k),
    invariants: checkDistributionInvariants,
    beginBlock: (ctx) => beginBlock(k, ctx),
  };
}
