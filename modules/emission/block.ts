// Emission's block hook: at the end of every block, capacity challenges past their deadline are
// the fake-capacity fault; on an epoch's last block, the epoch is closed (minting and paying) and
// the next capacity challenges are picked.
import type { Context } from '../../core/framework/context.ts';
import { enforceChallenges, pickChallenges } from './capacity.ts';
import type { EmissionKeeper } from './keeper.ts';

export async function endBlock(keeper: EmissionKeeper, ctx: Context): Promise<void> {
  const { epoch, endHeight } = await keeper.epochAt(ctx.store, ctx.block.height);
  const p = await keeper.params(ctx.store);
  await enforceChallenges(keeper, ctx, p);
  if (ctx.block.height === endHeight) {
    await keeper.closeEpoch(ctx, epoch);
    await pickChallenges(keeper, ctx, epoch, p);
  }
}
