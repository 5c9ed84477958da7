// Staking's block hooks: at the start of each block, the block time and the height's historical
// info; at the end, the validator set changes for CometBFT and the unbondings and redelegations that
// matured.
import type { Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { Context } from '../../core/framework/context.ts';
import type { EndBlockResult } from '../../core/framework/module.ts';
import { timestampMs } from '../../core/framework/time.ts';
import type { StakingKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { applyValidatorSetUpdates, completeMatured } from './validator-set.ts';

export async function beginBlock(k: StakingKeeper, ctx: Context): Promise<void> {
  // The block's consensus time feeds the recent average, so block counts can be shown as approximate times.
  await k.recordBlockTime(ctx.store, timestampMs(ctx.block.time));
  await trackHistoricalInfo(k, ctx);
}

export async function endBlock(k: StakingKeeper, ctx: Context): Promise<EndBlockResult> {
  const validatorUpdates = await applyValidatorSetUpdates(k, ctx);
  await completeMatured(k, ctx);
  return { validatorUpdates };
}

/**
 * The SDK's TrackHistoricalInfo: this height's header (what FinalizeBlock tells the app) and bonded
 * set, kept for `historical_entries` heights; older entries are deleted, all of them if the param
 * was lowered.
 */
async function trackHistoricalInfo(k: StakingKeeper, ctx: Context): Promise<void> {
  const { historicalEntries } = await k.params(ctx.store);
  const height = ctx.block.height;
  const keepFrom = height - BigInt(historicalEntries);
  const stale: bigint[] = [];
  for await (const [h] of keys.historicalInfo.entries(ctx.store)) {
    if (h > keepFrom) break;
    stale.push(h);
  }
  for (const h of stale) keys.historicalInfo.delete(ctx.store, h);
  if (historicalEntries === 0) return;
  const valset: Validator[] = [];
  for await (const [operator] of keys.lastValidatorPowers.entries(ctx.store)) {
    const v = await k.validator(ctx.store, operator);
    if (v !== undefined) valset.push(v);
  }
  keys.historicalInfo.set(ctx.store, height, {
    header: {
      version: { block: 11n, app: 0n },
      chainId: ctx.block.chainId,
      height,
      time: { seconds: ctx.block.time.seconds, nanos: ctx.block.time.nanos },
      lastBlockId: { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } },
      lastCommitHash: new Uint8Array(),
      dataHash: new Uint8Array(),
      validatorsHash: new Uint8Array(),
      nextValidatorsHash: new Uint8Array(),
      consensusHash: new Uint8Array(),
      appHash: new Uint8Array(),
      lastResultsHash: new Uint8Array(),
      evidenceHash: new Uint8Array(),
      proposerAddress: ctx.block.consensus?.proposerAddress ?? new Uint8Array(),
    },
    valset,
  });
}
