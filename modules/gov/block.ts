// gov's end block (x/gov/abci.go), in deadline order then id order:
//  1. proposals whose deposit period ended without reaching min_deposit are deleted with their
//     votes, and their deposits refunded (or burned if burn_proposal_deposit_prevote);
//  2. proposals whose voting period ended are tallied; deposits are refunded, or burned on a
//     quorum miss (burn_vote_quorum) or a veto (burn_vote_veto); a passed proposal's messages run
//     one after another on a branch of the state, as the gov account, and the branch is written
//     only if every one succeeds — otherwise the proposal is FAILED with the error as failed_reason
//     and nothing they did remains. Votes are deleted once counted, as in the SDK.
import { ProposalStatus } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Context } from '../../core/framework/context.ts';
import { AppError } from '../../core/framework/errors.ts';
import { EventSink } from '../../core/framework/events.ts';
import { timestampMs } from '../../core/framework/time.ts';
import { branch } from '../../core/store/branch.ts';
import type { GovKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { tally } from './tally.ts';

/** Queue entries whose deadline is at or before the block time (the SDK's inclusive PrefixUntil range). */
async function due(queue: typeof keys.activeQueue, ctx: Context): Promise<[bigint, bigint][]> {
  const now = timestampMs(ctx.block.time);
  const list: [bigint, bigint][] = [];
  for await (const [[endMs, id]] of queue.entries(ctx.store)) {
    if (endMs > now) break;
    list.push([endMs, id]);
  }
  return list;
}

export async function endBlock(k: GovKeeper, ctx: Context): Promise<void> {
  for (const [endMs, id] of await due(keys.inactiveQueue, ctx)) {
    keys.inactiveQueue.delete(ctx.store, [endMs, id]);
    keys.proposals.delete(ctx.store, id);
    await k.deleteVotes(ctx.store, id);
    const params = await k.params(ctx.store);
    if (params.burnProposalDepositPrevote) await k.deleteAndBurnDeposits(ctx, id);
    else await k.refundAndDeleteDeposits(ctx, id);
    ctx.events.emit('inactive_proposal', { proposal_id: String(id), proposal_result: 'proposal_dropped' });
  }

  for (const [endMs, id] of await due(keys.activeQueue, ctx)) {
    const proposal = await k.proposal(ctx.store, id);
    const params = await k.params(ctx.store);
    const result = await tally(ctx.store, k.staking, params, proposal);
    await k.deleteVotes(ctx.store, id);
    if (result.burnDeposits) await k.deleteAndBurnDeposits(ctx, id);
    else await k.refundAndDeleteDeposits(ctx, id);
    keys.activeQueue.delete(ctx.store, [endMs, id]);
    let tag: string;
    let log: string;
    if (result.passes) {
      const failure = await execute(k, ctx, proposal.messages);
      if (failure === undefined) {
        proposal.status = ProposalStatus.PROPOSAL_STATUS_PASSED;
        tag = 'proposal_passed';
        log = 'passed';
      } else {
        proposal.status = ProposalStatus.PROPOSAL_STATUS_FAILED;
        proposal.failedReason = failure.reason;
        tag = 'proposal_failed';
        log = `passed, but msg ${failure.index} (${failure.typeUrl}) failed on execution: ${failure.reason}`;
      }
    } else {
      proposal.status = ProposalStatus.PROPOSAL_STATUS_REJECTED;
      proposal.failedReason = 'proposal did not get enough votes to pass';
      tag = 'proposal_rejected';
      log = 'rejected';
    }
    proposal.finalTallyResult = result.result;
    keys.proposals.set(ctx.store, id, proposal);
    ctx.events.emit('active_proposal', { proposal_id: String(id), proposal_result: tag, proposal_log: log });
  }
}

interface Failure {
  readonly index: number;
  readonly typeUrl: string;
  readonly reason: string;
}

/** Runs the messages on a branch written back only if all succeed; returns the first failure. */
async function execute(k: GovKeeper, ctx: Context, messages: readonly { typeUrl: string; value: Uint8Array }[]): Promise<Failure | undefined> {
  const cache = branch(ctx.store);
  const events = new EventSink();
  for (const [index, any] of messages.entries()) {
    try {
      const handler = k.router.get(any.typeUrl);
      if (handler === undefined) throw new Error(`no handler for ${any.typeUrl}`);
      const msg: unknown = handler.decode(any.value);
      const msgCtx: Context = { ...ctx, store: cache, events };
      handler.validate(msg, msgCtx);
      await handler.execute(msg, msgCtx);
    } catch (err) {
      // An unexpected (non-AppError) failure is recorded by its message too: the chain stays up.
      return { index, typeUrl: any.typeUrl, reason: err instanceof AppError ? err.message : `internal error: ${(err as Error).message}` };
    }
  }
  cache.write();
  ctx.events.append(events.events);
  return undefined;
}
