// A proven fault: slash the operator's bond through the registry by the SPEC table's fraction, pay
// challenger_reward_bps of it to whoever proved it (never to the operator itself), burn the rest,
// then jail or tombstone; for a batch, reject it: unlock its escrow and refund open request bonds.
import { formatCoins } from '../../core/framework/coins.ts';
import type { Context } from '../../core/framework/context.ts';
import { u64Key } from '../../core/framework/collections.ts';
import { type Batch, BatchStatus, ChallengeKind, type Fault, FaultKind, SettlementMode } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { EVENTS, hex } from './events.ts';
import type { ReceiptsKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { faultPolicy } from './params.ts';
import { payWaitingWithdrawals } from './withdrawals.ts';

export interface FaultInput {
  readonly kind: FaultKind;
  readonly detail: string;
  /** Bech32 of whoever proved it; "" when the chain found it by itself. */
  readonly prover: string;
  readonly evidenceHash: Uint8Array;
}

/** Punishes `operator` (bech32) for one fault through the registry's punishOperator, and records the fault. */
export async function punish(k: ReceiptsKeeper, ctx: Context, operator: string, f: FaultInput): Promise<Fault> {
  const p = await k.params(ctx.store);
  const policy = faultPolicy(p, f.kind);
  const { slashed, reward, jailedUntil } = await k.registry.punishOperator(ctx, ctx.addresses.decode(operator), {
    bps: policy.bps,
    reason: policy.reason,
    then: policy.then,
    jailBlocks: p.jailBlocks,
    ...(f.prover === '' ? {} : { prover: ctx.addresses.decode(f.prover) }),
    rewardBps: p.challengerRewardBps,
    via: keys.PENALTY_ACCOUNT,
    evidence: { hash: f.evidenceHash, log: k.evidenceLog },
  });
  const coin = slashed[0];
  const denom = coin?.denom ?? (await k.registry.params(ctx.store)).minOperatorBond!.denom;
  const fault: Fault = {
    kind: f.kind,
    detail: f.detail,
    prover: f.prover,
    slashed: { denom, amount: (coin?.amount ?? 0n).toString() },
    reward: { denom, amount: reward.toString() },
    height: ctx.block.height,
    evidenceHash: f.evidenceHash,
    tombstoned: policy.then === 'tombstone',
    jailedUntil,
  };
  ctx.events.emit(EVENTS.fault, {
    operator,
    kind: policy.reason,
    detail: f.detail,
    prover: f.prover,
    slashed: formatCoins(slashed),
    reward: `${reward}${denom}`,
    evidence: hex(f.evidenceHash),
  });
  return fault;
}

/** Punishes the batch's operator and rejects the batch. Returns the stored batch. */
export async function faultBatch(k: ReceiptsKeeper, ctx: Context, batch: Batch, f: FaultInput): Promise<Batch> {
  const fault = await punish(k, ctx, batch.operator, f);
  return rejectBatch(k, ctx, batch, fault);
}

/** Rejects a pending batch: escrow back to available, open request bonds back to their requesters. */
export async function rejectBatch(k: ReceiptsKeeper, ctx: Context, batch: Batch, fault: Fault): Promise<Batch> {
  if (batch.status !== BatchStatus.BATCH_STATUS_PENDING) throw new Error(`batch ${batch.id} is not pending`);
  const payer = ctx.addresses.decode(batch.payer);
  if (batch.mode === SettlementMode.SETTLEMENT_MODE_ESCROW) {
    await k.unlock(ctx, payer, batch.payer, BigInt(batch.amount!.amount));
    await payWaitingWithdrawals(k, ctx, payer);
  }
  const next: Batch = { ...batch, status: BatchStatus.BATCH_STATUS_REJECTED, fault, settledHeight: ctx.block.height, openRequests: 0 };
  const open = [];
  for await (const [, r] of keys.requests.entries(ctx.store, { subPrefix: u64Key.encode(batch.id) })) open.push(r);
  for (const r of open) {
    await k.sendFromEscrow(ctx, ctx.addresses.decode(r.requester), { denom: r.bond!.denom, amount: BigInt(r.bond!.amount) });
    keys.requests.delete(ctx.store, [r.batchId, r.index]);
    await markRequest(ctx, batch.id, r.index, 'refunded');
  }
  k.setBatch(ctx.store, next, batch.status);
  ctx.events.emit(EVENTS.rejectBatch, { batch_id: batch.id.toString(), operator: batch.operator, payer: batch.payer, fault: String(fault.kind), refunded: batch.mode === SettlementMode.SETTLEMENT_MODE_ESCROW ? `${batch.amount!.amount}${batch.amount!.denom}` : '0' });
  return next;
}

/** Sets the outcome of the open request record for `index`. */
export async function markRequest(ctx: Context, batchId: bigint, index: bigint, outcome: string): Promise<void> {
  for await (const [[, seq], c] of keys.challenges.entries(ctx.store, { subPrefix: u64Key.encode(batchId) })) {
    if (c.kind === ChallengeKind.CHALLENGE_KIND_REQUEST && c.index === index && c.outcome === 'open') {
      keys.challenges.set(ctx.store, [batchId, seq], { ...c, outcome });
      return;
    }
  }
}

