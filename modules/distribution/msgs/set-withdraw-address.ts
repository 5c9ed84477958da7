// MsgSetWithdrawAddress: where a delegator's rewards (and an operator's commission) are paid.
import { MsgSetWithdrawAddress, MsgSetWithdrawAddressResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { DISTRIBUTION_TYPE_URLS } from '../../../sdk/distribution/messages.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { decodeAccount, equalBytes } from '../../staking/api.ts';
import { ErrBlockedWithdrawAddr, ErrSetWithdrawAddrDisabled } from '../errors.ts';
import type { DistributionKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';

export function msgSetWithdrawAddress(k: DistributionKeeper): MsgHandler<MsgSetWithdrawAddress> {
  return {
    typeUrl: DISTRIBUTION_TYPE_URLS.MsgSetWithdrawAddress,
    decode: (bytes) => MsgSetWithdrawAddress.decode(bytes),
    signers: (msg) => [msg.delegatorAddress],

    validate(msg, ctx) {
      decodeAccount(ctx.addresses, msg.delegatorAddress, 'delegator');
      decodeAccount(ctx.addresses, msg.withdrawAddress, 'withdraw');
    },

    async execute(msg, ctx) {
      if (!(await k.params(ctx.store)).withdrawAddrEnabled) throw ErrSetWithdrawAddrDisabled.wrap('by the chain params');
      const delegator = ctx.addresses.decode(msg.delegatorAddress);
      const to = ctx.addresses.decode(msg.withdrawAddress);
      if ((await k.accounts.get(ctx.store, to))?.kind === 'module') throw ErrBlockedWithdrawAddr.wrap(msg.withdrawAddress);
      if (equalBytes(delegator, to)) keys.withdrawAddrs.delete(ctx.store, delegator);
      else keys.withdrawAddrs.set(ctx.store, delegator, to);
      ctx.events.emit('set_withdraw_address', { withdraw_address: msg.withdrawAddress });
      return msgResponse(DISTRIBUTION_TYPE_URLS.MsgSetWithdrawAddress, MsgSetWithdrawAddressResponse, {});
    },
  };
}
