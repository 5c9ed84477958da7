// MsgWithdrawDelegatorReward: pays a delegation's accumulated rewards (what CosmJS `withdrawRewards`
// sends). The delegation's accounting restarts from now.
import { MsgWithdrawDelegatorReward, MsgWithdrawDelegatorRewardResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { DISTRIBUTION_TYPE_URLS } from '../../../sdk/distribution/messages.ts';
import { toProtoCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { decodeAccount, decodeValoper } from '../../staking/api.ts';
import { ErrEmptyDelegationDistInfo, ErrNoValidatorExists } from '../errors.ts';
import type { DistributionKeeper } from '../keeper.ts';

export function msgWithdrawDelegatorReward(k: DistributionKeeper): MsgHandler<MsgWithdrawDelegatorReward> {
  return {
    typeUrl: DISTRIBUTION_TYPE_URLS.MsgWithdrawDelegatorReward,
    decode: (bytes) => MsgWithdrawDelegatorReward.decode(bytes),
    signers: (msg) => [msg.delegatorAddress],

    validate(msg, ctx) {
      decodeAccount(ctx.addresses, msg.delegatorAddress, 'delegator');
      decodeValoper(ctx.addresses, msg.validatorAddress);
    },

    async execute(msg, ctx) {
      const delegator = ctx.addresses.decode(msg.delegatorAddress);
      const operator = decodeValoper(ctx.addresses, msg.validatorAddress);
      if ((await k.staking.validator(ctx.store, operator)) === undefined) throw ErrNoValidatorExists.wrap(msg.validatorAddress);
      if ((await k.staking.delegation(ctx.store, delegator, operator)) === undefined) {
        throw ErrEmptyDelegationDistInfo.wrap(`${msg.delegatorAddress} has no delegation to ${msg.validatorAddress}`);
      }
      const coins = await k.withdrawDelegationRewards(ctx, delegator, operator);
      await k.initializeDelegation(ctx, delegator, operator);
      return msgResponse(DISTRIBUTION_TYPE_URLS.MsgWithdrawDelegatorReward, MsgWithdrawDelegatorRewardResponse, { amount: toProtoCoins(coins) });
    },
  };
}
