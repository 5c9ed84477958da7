// MsgDepositEscrow: coins from the payer's account into its escrow, where batches can lock them.
import { formatCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgDepositEscrow, MsgDepositEscrowResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { ErrInvalidAmount } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { decodeAddress, parseCoin } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';

export function msgDepositEscrow(k: ReceiptsKeeper): MsgHandler<MsgDepositEscrow> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgDepositEscrow,
    decode: (bytes) => MsgDepositEscrow.decode(bytes),
    signers: (msg) => [msg.payer],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.payer, 'payer');
      parseCoin(msg.amount, 'amount');
    },

    async execute(msg, ctx) {
      const payer = ctx.addresses.decode(msg.payer);
      const amount = parseCoin(msg.amount, 'amount');
      const denom = await k.denom(ctx.store);
      if (amount.denom !== denom) throw ErrInvalidAmount.wrap(`escrow is in ${denom}, not ${amount.denom}`);
      await k.bank.sendToModule(ctx, payer, keys.ESCROW_ACCOUNT, [amount]);
      const e = await k.escrowOf(ctx.store, payer, msg.payer);
      const escrow = { ...e, available: (BigInt(e.available) + amount.amount).toString() };
      k.setEscrow(ctx.store, payer, escrow);
      ctx.events.emit(EVENTS.depositEscrow, { payer: msg.payer, amount: formatCoins([amount]), available: escrow.available });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgDepositEscrow, MsgDepositEscrowResponse, { escrow });
    },
  };
}
