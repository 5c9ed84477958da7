// MsgUnjail: a validator jailed for downtime returns once its jail time has passed (and its own
// stake still meets its minimum). A tombstoned validator never does.
import { MsgUnjail, MsgUnjailResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { SLASHING_TYPE_URLS } from '../../../sdk/slashing/messages.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { parseDec } from '../../../core/framework/dec.ts';
import { timeToJson, timestampMs } from '../../../core/framework/time.ts';
import { consAddressOf, decodeValoper, tokensFromShares, valoperToAccount } from '../../staking/api.ts';
import { ErrMissingSelfDelegation, ErrNoValidatorForAddress, ErrSelfDelegationTooLowToUnjail, ErrValidatorJailed, ErrValidatorNotJailed } from '../errors.ts';
import type { SlashingKeeper } from '../keeper.ts';

export function msgUnjail(k: SlashingKeeper): MsgHandler<MsgUnjail> {
  return {
    typeUrl: SLASHING_TYPE_URLS.MsgUnjail,
    decode: (bytes) => MsgUnjail.decode(bytes),
    signers: (msg) => [valoperToAccount(msg.validatorAddr)],

    validate(msg, ctx) {
      decodeValoper(ctx.addresses, msg.validatorAddr);
    },

    async execute(msg, ctx) {
      const operator = decodeValoper(ctx.addresses, msg.validatorAddr);
      const validator = await k.staking.validator(ctx.store, operator);
      if (validator === undefined) throw ErrNoValidatorForAddress.wrap(msg.validatorAddr);
      const self = await k.staking.delegation(ctx.store, operator, operator);
      if (self === undefined) throw ErrMissingSelfDelegation.wrap(msg.validatorAddr);
      const selfTokens = tokensFromShares(validator, parseDec(self.shares)) / 10n ** 18n;
      if (selfTokens < BigInt(validator.minSelfDelegation)) {
        throw ErrSelfDelegationTooLowToUnjail.wrap(`${selfTokens} less than ${validator.minSelfDelegation}`);
      }
      if (!validator.jailed) throw ErrValidatorNotJailed.wrap(msg.validatorAddr);
      const consAddr = consAddressOf(validator);
      const info = await k.signingInfo(ctx.store, consAddr);
      if (info !== undefined) {
        if (info.tombstoned) throw ErrValidatorJailed.wrap(`${msg.validatorAddr} is tombstoned for double signing and can never be unjailed`);
        if (timestampMs(ctx.block.time) < timestampMs(info.jailedUntil)) {
          throw ErrValidatorJailed.wrap(`${msg.validatorAddr} is jailed until ${timeToJson(info.jailedUntil)}, block time is ${timeToJson(ctx.block.time)}`);
        }
      }
      await k.staking.setJailed(ctx, consAddr, false);
      ctx.events.emit('unjail', { validator: msg.validatorAddr });
      return msgResponse(SLASHING_TYPE_URLS.MsgUnjail, MsgUnjailResponse, {});
    },
  };
}
