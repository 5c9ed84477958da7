// MsgBeginRedelegate: move stake between validators without waiting; the moved stake stays slashable
// for the source validator's faults until the unbonding period has passed.
import { MsgBeginRedelegate, MsgBeginRedelegateResponse } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { STAKING_TYPE_URLS } from '../../../sdk/staking/messages.ts';
import { parseCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { decodeAccount, decodeValoper, equalBytes } from '../addresses.ts';
import { redelegate } from '../delegation.ts';
import { ErrBadDenom, ErrSelfRedelegation } from '../errors.ts';
import type { StakingKeeper } from '../keeper.ts';
import { timeToJson } from '../../../core/framework/time.ts';

export function msgBeginRedelegate(k: StakingKeeper): MsgHandler<MsgBeginRedelegate> {
  return {
    typeUrl: STAKING_TYPE_URLS.MsgBeginRedelegate,
    decode: (bytes) => MsgBeginRedelegate.decode(bytes),
    signers: (msg) => [msg.delegatorAddress],

    validate(msg, ctx) {
      decodeAccount(ctx.addresses, msg.delegatorAddress, 'delegator');
      const src = decodeValoper(ctx.addresses, msg.validatorSrcAddress);
      const dst = decodeValoper(ctx.addresses, msg.validatorDstAddress);
      if (equalBytes(src, dst)) throw ErrSelfRedelegation.wrap(msg.validatorSrcAddress);
      parseCoins([msg.amount]);
    },

    async execute(msg, ctx) {
      const [coin] = parseCoins([msg.amount]);
      const { bondDenom } = await k.params(ctx.store);
      if (coin!.denom !== bondDenom) throw ErrBadDenom.wrap(`got ${coin!.denom}, expected ${bondDenom}`);
      const delegator = ctx.addresses.decode(msg.delegatorAddress);
      const src = decodeValoper(ctx.addresses, msg.validatorSrcAddress);
      const dst = decodeValoper(ctx.addresses, msg.validatorDstAddress);
      const completionTime = await redelegate(k, ctx, delegator, src, dst, coin!.amount);
      ctx.events.emit('redelegate', {
        source_validator: msg.validatorSrcAddress,
        destination_validator: msg.validatorDstAddress,
        amount: `${coin!.amount}${bondDenom}`,
        completion_time: timeToJson(completionTime),
      });
      return msgResponse(STAKING_TYPE_URLS.MsgBeginRedelegate, MsgBeginRedelegateResponse, { completionTime });
    },
  };
}
