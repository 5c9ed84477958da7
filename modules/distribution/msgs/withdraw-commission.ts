// MsgWithdrawValidatorCommission: the operator collects the whole part of its commission.
import { MsgWithdrawValidatorCommission, MsgWithdrawValidatorCommissionResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { DISTRIBUTION_TYPE_URLS } from '../../../sdk/distribution/messages.ts';
import { toProtoCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { decodeValoper, valoperToAccount } from '../../staking/api.ts';
import { ErrNoValidatorCommission } from '../errors.ts';
import type { DistributionKeeper } from '../keeper.ts';

export function msgWithdrawValidatorCommission(k: DistributionKeeper): MsgHandler<MsgWithdrawValidatorCommission> {
  return {
    typeUrl: DISTRIBUTION_TYPE_URLS.MsgWithdrawValidatorCommission,
    decode: (bytes) => MsgWithdrawValidatorCommission.decode(bytes),
    signers: (msg) => [valoperToAccount(msg.validatorAddress)],

    validate(msg, ctx) {
      decodeValoper(ctx.addresses, msg.validatorAddress);
    },

    async execute(msg, ctx) {
      const operator = decodeValoper(ctx.addresses, msg.validatorAddress);
      const accumulated = await k.commission(ctx.store, operator);
      if (accumulated.every((c) => c.amount < 10n ** 18n)) throw ErrNoValidatorCommission.wrap(`${msg.validatorAddress} has less than one whole coin of commission`);
      const coins = await k.withdrawCommission(ctx, operator);
      return msgResponse(DISTRIBUTION_TYPE_URLS.MsgWithdrawValidatorCommission, MsgWithdrawValidatorCommissionResponse, { amount: toProtoCoins(coins) });
    },
  };
}
