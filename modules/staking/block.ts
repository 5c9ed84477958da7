// Staking's block hooks: the block time at the start of each block; at the end, the validator set
// changes for CometBFT and the unbondings and redelegations that matured.
import type { Context } from '../../core/framework/context.ts';
import type { EndBlockResult } from '../../core/framework/module.ts';
import { timestampMs } from '../../core/framework/time.ts';
import type { StakingKeeper } from './keeper.ts';
import { applyValidatorSetUpdates, completeMatured } from './validator-set.ts';

export async function beginBlock(k: StakingKeeper, ctx: Context): Promise<void> {
  // The block's consensus time feeds the recent average, so block counts can be shown as approximate times.
  await k.recordBlockTime(ctx.store, timestampMs(ctx.block.time));
}

export async function endBlock(k: StakingKeeper, ctx: Context): Promise<EndBlockResult> {
  const validatorUpdates = await applyValidatorSetUpdates(k, ctx);
  await completeMatured(k, ctx);
  return { validatorUpdates };
}
