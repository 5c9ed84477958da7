// Slashing's block hook: at the start of each block, every vote on the previous block slides its
// validator's signing window (jailing one that missed too many), each piece of misbehaviour CometBFT
// reports is punished, and evidence records past max_evidence_age are pruned.
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import type { Context } from '../../core/framework/context.ts';
import type { SlashingKeeper } from './keeper.ts';

export async function beginBlock(k: SlashingKeeper, ctx: Context): Promise<void> {
  const consensus = ctx.block.consensus;
  if (consensus === undefined) return;
  const params = await k.params(ctx.store);
  for (const vote of consensus.lastCommit.votes) {
    await k.handleSignature(ctx, params, vote.validator.address, vote.validator.power, vote.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_ABSENT);
  }
  for (const m of consensus.misbehavior) await k.handleEvidence(ctx, params, m);
  await k.pruneEvidence(ctx.store, ctx.block.height, params.maxEvidenceAgeBlocks);
}
