// MsgCreateValidator: a new validator with an ed25519 consensus key, a commission, and a self-bond
// from the operator's account. It joins CometBFT's set at the end of a block once it ranks in the
// top max_validators by power.
import { MsgCreateValidator, MsgCreateValidatorResponse } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { STAKING_TYPE_URLS } from '../../../sdk/staking/messages.ts';
import { BondStatus, type Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { parseAmount, parseCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidAddress, ErrInvalidRequest } from '../../../core/framework/sdk-errors.ts';
import { consensusAddress, consensusKeyBytes, decodeAccount, decodeValoper, equalBytes, valoperToAccount } from '../addresses.ts';
import { decToProto, formatDec } from '../../../core/framework/dec.ts';
import { delegate } from '../delegation.ts';
import { parseRates, validateDescription } from '../description.ts';
import { ErrBadDenom, ErrCommissionLTMinRate, ErrSelfDelegationBelowMinimum, ErrValidatorOwnerExists, ErrValidatorPubKeyExists } from '../errors.ts';
import type { StakingKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';

export function msgCreateValidator(k: StakingKeeper): MsgHandler<MsgCreateValidator> {
  return {
    typeUrl: STAKING_TYPE_URLS.MsgCreateValidator,
    decode: (bytes) => MsgCreateValidator.decode(bytes),
    // The operator signs with the account whose bytes the valoper address carries.
    signers: (msg) => [valoperToAccount(msg.validatorAddress)],

    validate(msg, ctx) {
      const operator = decodeValoper(ctx.addresses, msg.validatorAddress);
      if (msg.delegatorAddress !== '' && !equalBytes(decodeAccount(ctx.addresses, msg.delegatorAddress, 'delegator'), operator)) {
        throw ErrInvalidAddress.wrap('delegator address must be the operator account (or empty)');
      }
      consensusKeyBytes(msg.pubkey);
      const [value] = parseCoins([msg.value]);
      validateDescription(msg.description, true);
      parseRates(msg.commission);
      const min = parseAmount(msg.minSelfDelegation, 'min self delegation');
      if (min === 0n) throw ErrInvalidRequest.wrap('minimum self delegation must be a positive integer');
      if (value!.amount < min) throw ErrSelfDelegationBelowMinimum.wrap(`self-bond ${value!.amount} < minimum ${min}`);
    },

    async execute(msg, ctx) {
      const operator = decodeValoper(ctx.addresses, msg.validatorAddress);
      const params = await k.params(ctx.store);
      const rates = parseRates(msg.commission);
      if (rates.rate < params.minCommissionRate) {
        throw ErrCommissionLTMinRate.wrap(`cannot set validator commission to less than minimum rate of ${formatDec(params.minCommissionRate)}`);
      }
      if ((await k.validator(ctx.store, operator)) !== undefined) throw ErrValidatorOwnerExists.wrap(msg.validatorAddress);
      const key = consensusKeyBytes(msg.pubkey);
      const consAddr = consensusAddress(key);
      if ((await keys.validatorsByConsAddr.get(ctx.store, consAddr)) !== undefined) {
        throw ErrValidatorPubKeyExists.wrap(`consensus key ${Buffer.from(key).toString('base64')} is in use`);
      }
      const [value] = parseCoins([msg.value]);
      if (value!.denom !== params.bondDenom) throw ErrBadDenom.wrap(`got ${value!.denom}, expected ${params.bondDenom}`);

      const validator: Validator = {
        operatorAddress: msg.validatorAddress,
        consensusPubkey: msg.pubkey!,
        jailed: false,
        status: BondStatus.BOND_STATUS_UNBONDED,
        tokens: '0',
        delegatorShares: '0',
        description: msg.description,
        unbondingHeight: 0n,
        unbondingTime: { seconds: 0n, nanos: 0 },
        commission: {
          commissionRates: { rate: decToProto(rates.rate), maxRate: decToProto(rates.maxRate), maxChangeRate: decToProto(rates.maxChangeRate) },
          updateTime: ctx.block.time,
        },
        minSelfDelegation: parseAmount(msg.minSelfDelegation).toString(),
        unbondingOnHoldRefCount: 0n,
        unbondingIds: [],
      };
      await k.setValidator(ctx.store, validator);
      keys.validatorsByConsAddr.set(ctx.store, consAddr, operator);
      await k.fire('afterValidatorCreated', ctx, operator);
      await delegate(k, ctx, operator, validator, value!.amount, { account: operator });
      ctx.events.emit('create_validator', { validator: msg.validatorAddress, amount: `${value!.amount}${value!.denom}` });
      return msgResponse(STAKING_TYPE_URLS.MsgCreateValidator, MsgCreateValidatorResponse, {});
    },
  };
}
