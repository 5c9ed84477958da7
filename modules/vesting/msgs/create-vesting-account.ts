// MsgCreateVestingAccount: the sender creates a new account at to_address holding `amount`, which
// vests continuously from this block until end_time (or all at end_time when `delayed`).
import { MsgCreateVestingAccount, MsgCreateVestingAccountResponse } from 'cosmjs-types/cosmos/vesting/v1beta1/tx';
import { parseCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidRequest } from '../../../core/framework/sdk-errors.ts';
import { VESTING_TYPE_URLS } from '../../../sdk/vesting/messages.ts';
import { ErrSendDisabled } from '../../bank/errors.ts';
import { decodeNamed } from '../../bank/msgs/send.ts';
import type { VestingAccounts, VestingBank } from '../deps.ts';

export function msgCreateVestingAccount(accounts: VestingAccounts, bank: VestingBank): MsgHandler<MsgCreateVestingAccount> {
  return {
    typeUrl: VESTING_TYPE_URLS.MsgCreateVestingAccount,
    decode: (bytes) => MsgCreateVestingAccount.decode(bytes),
    signers: (msg) => [msg.fromAddress],

    validate(msg, ctx) {
      decodeNamed(ctx.addresses, msg.fromAddress, 'from');
      decodeNamed(ctx.addresses, msg.toAddress, 'to');
      parseCoins(msg.amount);
      if (msg.endTime <= 0n) throw ErrInvalidRequest.wrap('invalid end time');
    },

    async execute(msg, ctx) {
      const amount = parseCoins(msg.amount);
      for (const a of amount) {
        if (!(await bank.isSendEnabled(ctx.store, a.denom))) throw ErrSendDisabled.wrap(`${a.denom} transfers are currently disabled`);
      }
      const to = ctx.addresses.decode(msg.toAddress);
      await bank.assertMayReceive(ctx.store, to, msg.toAddress);
      if ((await accounts.get(ctx.store, to)) !== undefined) throw ErrInvalidRequest.wrap(`account ${msg.toAddress} already exists`);
      const type = msg.delayed ? 'delayed' : 'continuous';
      await accounts.createVestingAccount(ctx.store, to, msg.toAddress, {
        type,
        originalVesting: amount,
        delegatedFree: [],
        delegatedVesting: [],
        endTime: msg.endTime,
        startTime: type === 'delayed' ? 0n : ctx.block.time.seconds,
        periods: [],
      });
      await bank.send(ctx, ctx.addresses.decode(msg.fromAddress), to, amount);
      return msgResponse(VESTING_TYPE_URLS.MsgCreateVestingAccount, MsgCreateVestingAccountResponse, {});
    },
  };
}
