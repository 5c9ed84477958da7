// The sample of every batch submitted sample_delay_blocks ago, drawn at this block's begin from its
// hash (FinalizeBlock's `hash`, which the batch's submitter could not know, and which the proposer of
// the block that carried the batch did not choose). Deterministic: every node draws the same leaves,
// and off-chain tools recompute them with sdk/receipts/sample.ts from the same block hash.
import type { Context } from '../../core/framework/context.ts';
import { BatchStatus } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { sampleIndices } from '../../sdk/receipts/sample.ts';
import { EVENTS } from './events.ts';
import type { ReceiptsKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { due } from './settle.ts';

export async function drawSamples(k: ReceiptsKeeper, ctx: Context): Promise<void> {
  const ids = await due(keys.draws, ctx, ctx.block.height);
  if (ids.length === 0) return;
  // CometBFT always sends the hash; an in-process driver that sends none draws from zeros, the same on every node.
  const hash = ctx.block.hash ?? new Uint8Array(32);
  for (const id of ids) {
    const b = await k.getBatch(ctx.store, id);
    // A batch already rejected (a fault proved before its draw) has nothing left to audit.
    if (b === undefined || b.status !== BatchStatus.BATCH_STATUS_PENDING || b.sampleDrawn) continue;
    const sample = sampleIndices(hash, id, b.count, b.sampleSize);
    k.setBatch(ctx.store, { ...b, sample: sample.map((index) => ({ index, revealed: false })), sampleDrawn: true }, b.status);
    ctx.events.emit(EVENTS.sampleDrawn, { batch_id: id.toString(), height: ctx.block.height.toString(), sample: sample.join(','), reveal_deadline: b.revealDeadline.toString() });
  }
}
