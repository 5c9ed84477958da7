// Escrow withdrawals. At its completion height a withdrawal pays what the escrow has available, up
// to what was asked. Batches may have locked part of it meanwhile (with the payer's consent: an
// operator who served the payer can still submit during the delay); then the withdrawal stays, and
// each time one of the payer's ESCROW batches settles (finalized or rejected) it pays what that
// freed, until it is paid in full or nothing is locked any more (the rest paid those batches). So a
// payer never has to ask twice for coins that come back to its escrow.
import type { Context } from '../../core/framework/context.ts';
import type { Withdrawal } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { EVENTS } from './events.ts';
import type { ReceiptsKeeper } from './keeper.ts';
import * as keys from './keys.ts';

/** Still to pay: asked less paid so far. */
export function remainingOf(w: Withdrawal): bigint {
  return BigInt(w.amount!.amount) - BigInt(w.paid === '' ? '0' : w.paid);
}

/** Withdrawals whose completion height is this block: pay what is available, keep waiting for the rest. */
export async function completeWithdrawals(k: ReceiptsKeeper, ctx: Context): Promise<void> {
  const ready: [bigint, bigint, Uint8Array][] = [];
  for await (const [[at, id], payer] of keys.withdrawalQueue.entries(ctx.store)) {
    if (at > ctx.block.height) break;
    ready.push([at, id, payer]);
  }
  for (const [at, id, payer] of ready) {
    keys.withdrawalQueue.delete(ctx.store, [at, id]);
    const w = await keys.withdrawals.get(ctx.store, [payer, id]);
    if (w !== undefined) await pay(k, ctx, payer, w);
  }
}

/** After one of the payer's ESCROW batches settled: matured withdrawals take what it freed. */
export async function payWaitingWithdrawals(k: ReceiptsKeeper, ctx: Context, payer: Uint8Array): Promise<void> {
  const waiting: Withdrawal[] = [];
  for await (const [, w] of keys.withdrawals.entries(ctx.store, { subPrefix: keys.addressPrefix(payer) })) {
    if (w.completionHeight <= ctx.block.height) waiting.push(w);
  }
  for (const w of waiting) await pay(k, ctx, payer, w);
}

async function pay(k: ReceiptsKeeper, ctx: Context, payer: Uint8Array, w: Withdrawal): Promise<void> {
  const e = await k.escrowOf(ctx.store, payer, w.payer);
  const remaining = remainingOf(w);
  const available = BigInt(e.available);
  const paid = remaining < available ? remaining : available;
  if (paid > 0n) {
    await k.sendFromEscrow(ctx, payer, { denom: e.denom, amount: paid });
    k.setEscrow(ctx.store, payer, { ...e, available: (available - paid).toString() });
  }
  const left = remaining - paid;
  // Waiting makes sense only while batches hold coins that may come back.
  const waits = left > 0n && BigInt(e.locked) > 0n;
  if (waits) keys.withdrawals.set(ctx.store, [payer, w.id], { ...w, paid: (BigInt(w.amount!.amount) - left).toString() });
  else keys.withdrawals.delete(ctx.store, [payer, w.id]);
  if (paid === 0n && waits) return;
  ctx.events.emit(EVENTS.withdrawn, {
    payer: w.payer,
    withdrawal_id: w.id.toString(),
    asked: `${w.amount!.amount}${e.denom}`,
    paid: `${paid}${e.denom}`,
    waiting: `${waits ? left : 0n}${e.denom}`,
  });
}
