// MsgUndelegate: start unbonding; the tokens reach the delegator after unbonding_blocks and can be
// slashed until then (what CosmJS `undelegateTokens` sends).
import { MsgUndelegate, MsgUndelegateResponse } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { STAKING_TYPE_URLS } from '../../../sdk/staking/messages.ts';
import { parseCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { decodeAccount, decodeValoper } from '../addresses.ts';
import { undelegate } from '../delegation.ts';
import { ErrBadDenom } from '../errors.ts';
import type { StakingKeeper } from '../keeper.ts';
import { timeToJson } from '../../../core/framework/time.ts';

export function msgUndelegate(k: StakingKeeper): MsgHandler<MsgUndelegate> {
  return {
    typeUrl: STAKING_TYPE_URLS.MsgUndelegate,
    decode: (bytes) => MsgUndelegate.decode(bytes),
    signers: (msg) => [msg.delegatorAddress],

    validate(msg, ctx) {
      decodeAccount(ctx.addresses, msg.delegatorAddress, 'delegator');
      decodeValoper(ctx.addresses, msg.validatorAddress);
      parseCoins([msg.amount]);
    },

    async execute(msg, ctx) {
      const [coin] = parseCoins([msg.amount]);
      const { bondDenom } = await k.params(ctx.store);
      if (coin!.denom !== bondDenom) throw ErrBadDenom.wrap(`got ${coin!.denom}, expected ${bondDenom}`);
      const delegator = ctx.addresses.decode(msg.delegatorAddress);
      const operator = decodeValoper(ctx.addresses, msg.validatorAddress);
      const r = await undelegate(k, ctx, delegator, operator, coin!.amount);
      ctx.events.emit('unbond', {
        validator: msg.validatorAddress,
        delegator: msg.delegatorAddress,
        amount: `${r.amount}${bondDenom}`,
        completion_time: timeToJson(r.completionTime),
      });
      return msgResponse(STAKING_TYPE_URLS.MsgUndelegate, MsgUndelegateResponse, { completionTime: r.completionTime, amount: { denom: bondDenom, amount: r.amount.toString() } });
    },
  };
}
