// MsgEditValidator: description fields ("[do-not-modify]" keeps one), a new commission rate (at most
// once a day, by at most max_change_rate), a higher minimum self-delegation.
import { MsgEditValidator, MsgEditValidatorResponse } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { STAKING_TYPE_URLS } from '../../../sdk/staking/messages.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { parseAmount } from '../../../core/framework/coins.ts';
import { ErrInvalidRequest } from '../../../core/framework/sdk-errors.ts';
import { decodeValoper, valoperToAccount } from '../addresses.ts';
import { decToProto, formatDec, parseDec } from '../../../core/framework/dec.ts';
import { checkNewRate, mergeDescription, parseRates, validateDescription } from '../description.ts';
import { ErrCommissionLTMinRate, ErrMinSelfDelegationDecreased, ErrNoValidatorFound, ErrSelfDelegationBelowMinimum } from '../errors.ts';
import type { StakingKeeper } from '../keeper.ts';
import { tokensOf } from '../view.ts';

export function msgEditValidator(k: StakingKeeper): MsgHandler<MsgEditValidator> {
  return {
    typeUrl: STAKING_TYPE_URLS.MsgEditValidator,
    decode: (bytes) => MsgEditValidator.decode(bytes),
    signers: (msg) => [valoperToAccount(msg.validatorAddress)],

    validate(msg, ctx) {
      decodeValoper(ctx.addresses, msg.validatorAddress);
      validateDescription(msg.description, false);
      if (msg.commissionRate !== '') parseDec(msg.commissionRate, 'commission rate');
      if (msg.minSelfDelegation !== '' && parseAmount(msg.minSelfDelegation, 'min self delegation') === 0n) {
        throw ErrInvalidRequest.wrap('minimum self delegation must be a positive integer');
      }
    },

    async execute(msg, ctx) {
      const operator = decodeValoper(ctx.addresses, msg.validatorAddress);
      const v = await k.validator(ctx.store, operator);
      if (v === undefined) throw ErrNoValidatorFound.wrap(msg.validatorAddress);
      const next = { ...v, description: mergeDescription(v.description, msg.description) };

      if (msg.commissionRate !== '') {
        const rate = parseDec(msg.commissionRate);
        const current = parseRates(v.commission.commissionRates);
        checkNewRate(current, v.commission.updateTime.seconds, ctx.block.time.seconds, rate);
        const { minCommissionRate } = await k.params(ctx.store);
        if (rate < minCommissionRate) throw ErrCommissionLTMinRate.wrap(`minimum is ${formatDec(minCommissionRate)}`);
        next.commission = { commissionRates: { ...v.commission.commissionRates, rate: decToProto(rate) }, updateTime: ctx.block.time };
      }
      if (msg.minSelfDelegation !== '') {
        const min = parseAmount(msg.minSelfDelegation);
        if (min <= BigInt(v.minSelfDelegation)) throw ErrMinSelfDelegationDecreased.wrap(`${min} <= current ${v.minSelfDelegation}`);
        if (min > tokensOf(v)) throw ErrSelfDelegationBelowMinimum.wrap(`validator holds ${tokensOf(v)} tokens`);
        next.minSelfDelegation = min.toString();
      }
      await k.setValidator(ctx.store, next);
      ctx.events.emit('edit_validator', {
        validator: msg.validatorAddress,
        commission_rate: formatDec(parseDec(next.commission.commissionRates.rate)),
        min_self_delegation: next.minSelfDelegation,
      });
      return msgResponse(STAKING_TYPE_URLS.MsgEditValidator, MsgEditValidatorResponse, {});
    },
  };
}
