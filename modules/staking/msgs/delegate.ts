// MsgDelegate: bond tokens from an account to a validator (what CosmJS `delegateTokens` sends).
import { MsgDelegate, MsgDelegateResponse } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { STAKING_TYPE_URLS } from '../../../sdk/staking/messages.ts';
import { parseCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { decodeAccount, decodeValoper } from '../addresses.ts';
import { decToProto } from '../../../core/framework/dec.ts';
import { delegate } from '../delegation.ts';
import { ErrBadDenom, ErrNoValidatorFound } from '../errors.ts';
import type { StakingKeeper } from '../keeper.ts';

export function msgDelegate(k: StakingKeeper): MsgHandler<MsgDelegate> {
  return {
    typeUrl: STAKING_TYPE_URLS.MsgDelegate,
    decode: (bytes) => MsgDelegate.decode(bytes),
    signers: (msg) => [msg.delegatorAddress],

    validate(msg, ctx) {
      decodeAccount(ctx.addresses, msg.delegatorAddress, 'delegator');
      decodeValoper(ctx.addresses, msg.validatorAddress);
      parseCoins([msg.amount]);
    },

    async execute(msg, ctx) {
      const delegator = ctx.addresses.decode(msg.delegatorAddress);
      const operator = decodeValoper(ctx.addresses, msg.validatorAddress);
      const validator = await k.validator(ctx.store, operator);
      if (validator === undefined) throw ErrNoValidatorFound.wrap(msg.validatorAddress);
      const [coin] = parseCoins([msg.amount]);
      const { bondDenom } = await k.params(ctx.store);
      if (coin!.denom !== bondDenom) throw ErrBadDenom.wrap(`got ${coin!.denom}, expected ${bondDenom}`);
      const shares = await delegate(k, ctx, delegator, validator, coin!.amount, { account: delegator });
      ctx.events.emit('delegate', { validator: msg.validatorAddress, delegator: msg.delegatorAddress, amount: `${coin!.amount}${bondDenom}`, new_shares: decToProto(shares) });
      return msgResponse(STAKING_TYPE_URLS.MsgDelegate, MsgDelegateResponse, {});
    },
  };
}
