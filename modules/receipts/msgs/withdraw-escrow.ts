// MsgWithdrawEscrow: asks for coins back. They stay lockable for escrow_withdraw_delay blocks (an
// operator who served the payer can still submit its batch, with the payer's signature), then the
// payer gets what is available, and what batches locked as they settle (withdrawals.ts). At most
// the available amount not already asked for.
import { formatCoins } from '../../../core/framework/coins.ts';
import { type MsgHandler, msgResponse } from '../../../core/framework/module.ts';
import { MsgWithdrawEscrow, MsgWithdrawEscrowResponse } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { ErrInsufficientEscrow, ErrInvalidAmount, ErrTooManyWithdrawals } from '../errors.ts';
import { EVENTS } from '../events.ts';
import type { ReceiptsKeeper } from '../keeper.ts';
import * as keys from '../keys.ts';
import { remainingOf } from '../withdrawals.ts';
import { decodeAddress, parseCoin } from './common.ts';
import { RECEIPTS_TYPE_URLS } from '../../../sdk/receipts/messages.ts';

export function msgWithdrawEscrow(k: ReceiptsKeeper): MsgHandler<MsgWithdrawEscrow> {
  return {
    typeUrl: RECEIPTS_TYPE_URLS.MsgWithdrawEscrow,
    decode: (bytes) => MsgWithdrawEscrow.decode(bytes),
    signers: (msg) => [msg.payer],

    validate(msg, ctx) {
      decodeAddress(ctx.addresses, msg.payer, 'payer');
      parseCoin(msg.amount, 'amount');
    },

    async execute(msg, ctx) {
      const payer = ctx.addresses.decode(msg.payer);
      const amount = parseCoin(msg.amount, 'amount');
      const p = await k.params(ctx.store);
      const e = await k.escrowOf(ctx.store, payer, msg.payer);
      if (amount.denom !== e.denom) throw ErrInvalidAmount.wrap(`escrow is in ${e.denom}, not ${amount.denom}`);
      let pending = 0n;
      let count = 0;
      for await (const [, w] of keys.withdrawals.entries(ctx.store, { subPrefix: keys.addressPrefix(payer) })) {
        pending += remainingOf(w);
        count++;
      }
      if (count >= p.maxPendingWithdrawals) throw ErrTooManyWithdrawals.wrap(`${count} pending; max_pending_withdrawals is ${p.maxPendingWithdrawals}`);
      const free = BigInt(e.available) - pending;
      if (amount.amount > free) throw ErrInsufficientEscrow.wrap(`${free}${e.denom} available and not already asked for; asked ${amount.amount}${e.denom}`);
      const id = await k.takeId(ctx.store, keys.nextWithdrawalId);
      const completionHeight = ctx.block.height + p.escrowWithdrawDelay;
      keys.withdrawals.set(ctx.store, [payer, id], {
        id,
        payer: msg.payer,
        amount: { denom: amount.denom, amount: amount.amount.toString() },
        requestedHeight: ctx.block.height,
        completionHeight,
        paid: '0',
      });
      keys.withdrawalQueue.set(ctx.store, [completionHeight, id], payer);
      ctx.events.emit(EVENTS.withdrawRequested, { payer: msg.payer, amount: formatCoins([amount]), withdrawal_id: id.toString(), completion_height: completionHeight.toString() });
      return msgResponse(RECEIPTS_TYPE_URLS.MsgWithdrawEscrow, MsgWithdrawEscrowResponse, { withdrawalId: id, completionHeight });
    },
  };
}
