// MsgFundCommunityPool: anyone may add coins to the community pool.
import { MsgFundCommunityPool, MsgFundCommunityPoolResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { DISTRIBUTION_TYPE_URLS } from '../../../sdk/distribution/messages.ts';
import { parseCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { decodeAccount } from '../../staking/api.ts';
import * as dc from '../dec-coins.ts';
import type { DistributionKeeper } from '../keeper.ts';
import { MODULE } from '../keys.ts';

export function msgFundCommunityPool(k: DistributionKeeper): MsgHandler<MsgFundCommunityPool> {
  return {
    typeUrl: DISTRIBUTION_TYPE_URLS.MsgFundCommunityPool,
    decode: (bytes) => MsgFundCommunityPool.decode(bytes),
    signers: (msg) => [msg.depositor],

    validate(msg, ctx) {
      decodeAccount(ctx.addresses, msg.depositor, 'depositor');
      parseCoins(msg.amount);
    },

    async execute(msg, ctx) {
      const amounts = parseCoins(msg.amount);
      await k.bank.sendToModule(ctx, ctx.addresses.decode(msg.depositor), MODULE, amounts);
      k.addToCommunityPool(ctx.store, dc.fromCoins(amounts), await k.communityPool(ctx.store));
      return msgResponse(DISTRIBUTION_TYPE_URLS.MsgFundCommunityPool, MsgFundCommunityPoolResponse, {});
    },
  };
}
