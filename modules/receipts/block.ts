// The receipts module's block hooks. Begin: the block's time (for time windows), on an epoch's
// first block the epoch record, and the samples due from this block's hash (draw.ts). End: batches past a reveal or request deadline are faulted,
// batches past their dispute window finalize, matured withdrawals and finished reservations are
// paid, and on an epoch's last block the epoch is closed (settle.ts does each).
import type { Context } from '../../core/framework/context.ts';
import { BatchStatus } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { drawSamples } from './draw.ts';
import type { ReceiptsKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { closeEpoch, completeReservations, due, enforceDeadline, finalize, pruneBlockTimes } from './settle.ts';
import { completeWithdrawals } from './withdrawals.ts';

export async function beginBlock(k: ReceiptsKeeper, ctx: Context): Promise<void> {
  const p = await k.params(ctx.store);
  const h = ctx.block.height;
  const t = ctx.block.time.seconds < 0n ? 0n : ctx.block.time.seconds;
  keys.blockTimes.set(ctx.store, [t, h], true);
  if ((h - 1n) % p.epochBlocks === 0n) keys.epochs.set(ctx.store, k.epochOf(h, p), { epoch: k.epochOf(h, p), startHeight: h, startTime: t });
  await drawSamples(k, ctx);
}

export async function endBlock(k: ReceiptsKeeper, ctx: Context): Promise<void> {
  const h = ctx.block.height;
  for (const id of await due(keys.deadlines, ctx, h)) {
    const b = await k.getBatch(ctx.store, id);
    if (b !== undefined && b.status === BatchStatus.BATCH_STATUS_PENDING) await enforceDeadline(k, ctx, b);
  }
  for (const id of await due(keys.finalizeQueue, ctx, h)) {
    const b = await k.getBatch(ctx.store, id);
    if (b !== undefined && b.status === BatchStatus.BATCH_STATUS_PENDING) await finalize(k, ctx, b);
  }
  await completeWithdrawals(k, ctx);
  await completeReservations(k, ctx);
  const p = await k.params(ctx.store);
  if (h % p.epochBlocks === 0n) await closeEpoch(k, ctx, k.epochOf(h, p));
  await pruneBlockTimes(k, ctx);
}

