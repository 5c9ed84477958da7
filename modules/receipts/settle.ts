// End-of-block work, in this order: reveal deadlines (a sampled leaf not revealed in time is receipt
// fraud, a requested one a data-unavailable fault), batches whose dispute window ended (finalized through the
// royalty split, no transaction needed), escrow withdrawals that matured, reservations that ran
// their time, the epoch's roots on its last block, and pruning of the block-time index.
import { u64Key } from '../../core/framework/collections.ts';
import type { Context } from '../../core/framework/context.ts';
import { type Batch, BatchStatus, type DataRequest, FaultKind, ReservationStatus, SettlementMode } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { NO_ROYALTY } from '../royalty/api.ts';
import { epochReceiptsRoot } from './epoch-root.ts';
import { EVENTS, hex } from './events.ts';
import { unavailableEvidence } from '../../sdk/receipts/evidence.ts';
import { faultBatch, markRequest } from './faults.ts';
import type { ReceiptsKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { payWaitingWithdrawals } from './withdrawals.ts';

export async function due(queue: typeof keys.deadlines, ctx: Context, upTo: bigint): Promise<bigint[]> {
  const entries: [bigint, bigint][] = [];
  for await (const [[at, id]] of queue.entries(ctx.store)) {
    if (at > upTo) break;
    entries.push([at, id]);
  }
  const ids: bigint[] = [];
  for (const [at, id] of entries) {
    queue.delete(ctx.store, [at, id]);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

async function openRequests(ctx: Context, batchId: bigint): Promise<DataRequest[]> {
  const out: DataRequest[] = [];
  for await (const [, r] of keys.requests.entries(ctx.store, { subPrefix: u64Key.encode(batchId) })) out.push(r);
  return out;
}

export async function enforceDeadline(k: ReceiptsKeeper, ctx: Context, b: Batch): Promise<void> {
  const h = ctx.block.height;
  const missing = h >= b.revealDeadline ? b.sample.filter((s) => !s.revealed).map((s) => s.index) : [];
  if (missing.length > 0) {
    // Hiding a sampled leaf must never be cheaper than revealing a bad one: it is receipt fraud.
    await faultBatch(k, ctx, b, {
      kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD,
      detail: `unrevealed sample: sampled leaves ${missing.join(', ')} not revealed by height ${b.revealDeadline}`,
      prover: '',
      evidenceHash: unavailableEvidence(b.id, missing[0]!),
    });
    return;
  }
  const overdue = (await openRequests(ctx, b.id)).filter((r) => r.deadline <= h).sort((x, y) => (x.deadline !== y.deadline ? (x.deadline < y.deadline ? -1 : 1) : x.index < y.index ? -1 : 1));
  const first = overdue[0];
  if (first === undefined) return;
  await markRequest(ctx, b.id, first.index, 'fault');
  await faultBatch(k, ctx, b, {
    kind: FaultKind.FAULT_KIND_DATA_UNAVAILABLE,
    detail: `requested leaf ${first.index} not revealed by height ${first.deadline}`,
    prover: first.requester,
    evidenceHash: unavailableEvidence(b.id, first.index),
  });
}

export async function finalize(k: ReceiptsKeeper, ctx: Context, b: Batch): Promise<void> {
  const h = ctx.block.height;
  if (b.openRequests > 0) {
    // Open requests get their full reveal window; the batch settles once they are answered.
    const last = (await openRequests(ctx, b.id)).reduce((m, r) => (r.deadline > m ? r.deadline : m), h + 1n);
    keys.finalizeQueue.set(ctx.store, [last, b.id], true);
    return;
  }
  if (b.sample.some((s) => !s.revealed)) throw new Error(`batch ${b.id} reached finalization with unrevealed sampled leaves`);
  const p = await k.params(ctx.store);
  const epoch = k.epochOf(h, p);
  const total = BigInt(b.amount!.amount);
  const operator = ctx.addresses.decode(b.operator);
  const settlement = { fromModule: keys.ESCROW_ACCOUNT, denom: b.amount!.denom, total, operator, terms: b.terms!, epoch, batchId: b.id };
  let split;
  if (b.mode === SettlementMode.SETTLEMENT_MODE_ESCROW) {
    await k.spendLocked(ctx, ctx.addresses.decode(b.payer), b.payer, total);
    split = await k.royalty.settleEscrow(ctx, settlement);
    await payWaitingWithdrawals(k, ctx, ctx.addresses.decode(b.payer));
  } else {
    split = await k.royalty.recordOwed(ctx, { ...settlement, batchEpoch: b.epoch, paymentRefsRoot: b.paymentRefsRoot });
  }
  k.setBatch(ctx.store, { ...b, status: BatchStatus.BATCH_STATUS_FINALIZED, split, settledHeight: h }, b.status);
  keys.epochFinalized.set(ctx.store, [epoch, b.id], true);
  const used = (await keys.usage.get(ctx.store, [epoch, operator])) ?? { epoch, operator: b.operator, escrowAmount: '0', offchainAmount: '0', count: 0n, batches: 0n };
  const escrow = b.mode === SettlementMode.SETTLEMENT_MODE_ESCROW;
  keys.usage.set(ctx.store, [epoch, operator], {
    ...used,
    escrowAmount: escrow ? (BigInt(used.escrowAmount) + total).toString() : used.escrowAmount,
    offchainAmount: escrow ? used.offchainAmount : (BigInt(used.offchainAmount) + total).toString(),
    count: used.count + b.count,
    batches: used.batches + 1n,
  });
  ctx.events.emit(EVENTS.finalizeBatch, {
    batch_id: b.id.toString(),
    operator: b.operator,
    payer: b.payer,
    mode: escrow ? 'escrow' : 'offchain',
    amount: `${total}${b.amount!.denom}`,
    operator_amount: split.operatorAmount,
    epoch: epoch.toString(),
  });
}

export async function completeReservations(k: ReceiptsKeeper, ctx: Context): Promise<void> {
  const now = ctx.block.time.seconds;
  const ready: [bigint, bigint][] = [];
  for await (const [[at, id]] of keys.reservationEnds.entries(ctx.store)) {
    if (at > now) break;
    ready.push([at, id]);
  }
  const p = await k.params(ctx.store);
  for (const [at, id] of ready) {
    keys.reservationEnds.delete(ctx.store, [at, id]);
    const r = await keys.reservations.get(ctx.store, id);
    if (r === undefined || r.status !== ReservationStatus.RESERVATION_STATUS_ACTIVE) continue;
    const split = await k.royalty.settleEscrow(ctx, {
      fromModule: keys.ESCROW_ACCOUNT,
      denom: r.amount!.denom,
      total: BigInt(r.amount!.amount),
      operator: ctx.addresses.decode(r.operator),
      terms: NO_ROYALTY,
      epoch: k.epochOf(ctx.block.height, p),
    });
    keys.reservations.set(ctx.store, id, { ...r, status: ReservationStatus.RESERVATION_STATUS_COMPLETED, split });
    ctx.events.emit(EVENTS.completeReservation, { reservation_id: id.toString(), operator: r.operator, operator_amount: split.operatorAmount });
  }
}

/** On the last block of an epoch: its receipts root (batches finalized in it) and its royalty root. */
export async function closeEpoch(k: ReceiptsKeeper, ctx: Context, epoch: bigint): Promise<void> {
  const batches: Batch[] = [];
  const done: bigint[] = [];
  for await (const [[, id]] of keys.epochFinalized.entries(ctx.store, { subPrefix: u64Key.encode(epoch) })) {
    const b = await k.getBatch(ctx.store, id);
    if (b !== undefined) batches.push(b);
    done.push(id);
  }
  for (const id of done) keys.epochFinalized.delete(ctx.store, [epoch, id]);
  const root = epochReceiptsRoot(batches);
  const royalty = await k.royalty.closeEpoch(ctx, epoch);
  keys.epochRoots.set(ctx.store, epoch, {
    epoch,
    receiptsRoot: root.hash,
    batches: BigInt(batches.length),
    count: root.count,
    amount: root.amount.toString(),
    royaltyRoot: royalty.root,
    height: ctx.block.height,
  });
  ctx.events.emit(EVENTS.epochRoots, { epoch: epoch.toString(), receipts_root: hex(root.hash), royalty_root: hex(royalty.root), batches: String(batches.length), amount: root.amount.toString() });
}

/** Block times older than any receipt a pending or still submittable batch may hold are dropped. */
export async function pruneBlockTimes(k: ReceiptsKeeper, ctx: Context): Promise<void> {
  const p = await k.params(ctx.store);
  const h = ctx.block.height;
  const back = p.disputeWindowBlocks + p.revealWindow;
  const oldestEpoch = k.epochOf(h > back ? h - back : 1n, p) - p.maxBatchAgeEpochs - 1n;
  if (oldestEpoch <= 0n) return;
  const floor = (await k.epochInfo(ctx.store, oldestEpoch))?.startHeight;
  if (floor === undefined) return;
  const stale: [bigint, bigint][] = [];
  for await (const [[t, height]] of keys.blockTimes.entries(ctx.store, { limit: 64 })) {
    if (height >= floor) break;
    stale.push([t, height]);
  }
  for (const key of stale) keys.blockTimes.delete(ctx.store, key);
}
