// MsgSend: one sender, one recipient, any number of denoms.
import { MsgSend, MsgSendResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { BANK_TYPE_URLS } from '../../../sdk/bank/messages.ts';
import { parseCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { ErrInvalidAddress } from '../../../core/framework/sdk-errors.ts';
import { ErrSendDisabled } from '../errors.ts';
import type { BankKeeper } from '../keeper.ts';

export function msgSend(bank: BankKeeper): MsgHandler<MsgSend> {
  return {
    typeUrl: BANK_TYPE_URLS.MsgSend,
    decode: (bytes) => MsgSend.decode(bytes),
    signers: (msg) => [msg.fromAddress],

    validate(msg, ctx) {
      decodeNamed(ctx.addresses, msg.fromAddress, 'from');
      decodeNamed(ctx.addresses, msg.toAddress, 'to');
      parseCoins(msg.amount);
    },

    async execute(msg, ctx) {
      const amounts = parseCoins(msg.amount);
      for (const a of amounts) {
        if (!(await bank.isSendEnabled(ctx.store, a.denom))) throw ErrSendDisabled.wrap(`${a.denom} transfers are currently disabled`);
      }
      const to = ctx.addresses.decode(msg.toAddress);
      await bank.assertMayReceive(ctx.store, to, msg.toAddress);
      await bank.send(ctx, ctx.addresses.decode(msg.fromAddress), to, amounts);
      return msgResponse(BANK_TYPE_URLS.MsgSend, MsgSendResponse, {});
    },

    readAhead: (msg, addresses) => bank.receiveKeys(addresses, msg.toAddress, msg.amount.map((c) => c.denom)),
  };
}

export function decodeNamed(codec: { decode(a: string): Uint8Array }, address: string, role: string): Uint8Array {
  try {
    return codec.decode(address);
  } catch (err) {
    throw ErrInvalidAddress.wrap(`invalid ${role} address: ${(err as Error).message}`);
  }
}
