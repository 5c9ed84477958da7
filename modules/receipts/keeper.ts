// The receipts module's state operations: escrows, batches and their indexes, challenge records,
// evidence, epochs and the block-time index. Messages, block hooks, faults and queries go through
// here; every coin movement in or out of the escrow account is in this file, faults.ts, settle.ts
// or a message handler that names it, so "escrow account = what is owed" is easy to audit.
import type { Amount } from '../../core/framework/coins.ts';
import type { Context } from '../../core/framework/context.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import { type Batch, BatchStatus, type ChallengeRecord, type EpochInfo, type EpochRoots, type EpochUsage, type Escrow, type Params } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { concat, u64Key } from '../../core/framework/collections.ts';
import type { EvidenceLog } from '../registry/api.ts';
import type { ReceiptsBank, ReceiptsRegistry, ReceiptsRoyalty } from './deps.ts';
import { ErrBatchNotFound, ErrBatchNotPending, ErrDuplicateEvidence, ErrInsufficientEscrow, ErrWindowClosed } from './errors.ts';
import { hex } from './events.ts';
import * as keys from './keys.ts';

export class ReceiptsKeeper {
  readonly bank: ReceiptsBank;
  readonly registry: ReceiptsRegistry;
  readonly royalty: ReceiptsRoyalty;

  constructor(bank: ReceiptsBank, registry: ReceiptsRegistry, royalty: ReceiptsRoyalty) {
    this.bank = bank;
    this.registry = registry;
    this.royalty = royalty;
  }

  async params(store: KVRead): Promise<Params> {
    const p = await keys.params.get(store);
    if (p === undefined) throw new Error('receipts params are missing from state (genesis not initialised)');
    return p;
  }

  /** Escrow, batch amounts and reservations are in the registry's price denom (fixed at genesis). */
  async denom(store: KVRead): Promise<string> {
    return (await this.registry.params(store)).priceDenom;
  }

  // ---- epochs and time ----

  /** Epoch e is heights [e × epoch_blocks + 1, (e + 1) × epoch_blocks]. */
  epochOf(height: bigint, p: Params): bigint {
    return height <= 0n ? 0n : (height - 1n) / p.epochBlocks;
  }

  async epochInfo(store: KVRead, epoch: bigint): Promise<EpochInfo | undefined> {
    return keys.epochs.get(store, epoch);
  }

  /** The height of the last recorded block whose time (whole seconds) is at or before `t`. */
  async heightAt(store: KVRead, t: bigint): Promise<bigint | undefined> {
    if (t < 0n) return undefined;
    const end = concat(keys.blockTimes.prefix, u64Key.encode(t + 1n > 2n ** 64n - 1n ? 2n ** 64n - 1n : t + 1n));
    for await (const [k] of store.iterate({ prefix: keys.blockTimes.prefix, end, reverse: true, limit: 1 })) {
      return u64Key.decode(k.subarray(keys.blockTimes.prefix.length + 8));
    }
    return undefined;
  }

  // ---- escrow ----

  async escrowOf(store: KVRead, payer: Uint8Array, bech32: string): Promise<Escrow> {
    return (await keys.escrows.get(store, payer)) ?? { payer: bech32, denom: await this.denom(store), available: '0', locked: '0' };
  }

  setEscrow(store: KVStore, payer: Uint8Array, e: Escrow): void {
    if (e.available === '0' && e.locked === '0') keys.escrows.delete(store, payer);
    else keys.escrows.set(store, payer, e);
  }

  /** Moves `amount` from available to locked; refuses when the payer has too little available. */
  async lock(ctx: Context, payer: Uint8Array, bech32: string, amount: bigint): Promise<void> {
    const e = await this.escrowOf(ctx.store, payer, bech32);
    if (BigInt(e.available) < amount) throw ErrInsufficientEscrow.wrap(`${bech32} has ${e.available}${e.denom} available; the batch needs ${amount}${e.denom}`);
    this.setEscrow(ctx.store, payer, { ...e, available: (BigInt(e.available) - amount).toString(), locked: (BigInt(e.locked) + amount).toString() });
  }

  /** Locked back to available (a rejected batch). */
  async unlock(ctx: Context, payer: Uint8Array, bech32: string, amount: bigint): Promise<void> {
    const e = await this.escrowOf(ctx.store, payer, bech32);
    this.setEscrow(ctx.store, payer, { ...e, available: (BigInt(e.available) + amount).toString(), locked: (BigInt(e.locked) - amount).toString() });
  }

  /** Locked coins leave the escrow (a finalized batch, paid out by the caller). */
  async spendLocked(ctx: Context, payer: Uint8Array, bech32: string, amount: bigint): Promise<void> {
    const e = await this.escrowOf(ctx.store, payer, bech32);
    if (BigInt(e.locked) < amount) throw new Error(`escrow of ${bech32} has ${e.locked} locked, cannot spend ${amount}`);
    this.setEscrow(ctx.store, payer, { ...e, locked: (BigInt(e.locked) - amount).toString() });
  }

  async sendFromEscrow(ctx: Context, to: Uint8Array, amount: Amount): Promise<void> {
    if (amount.amount > 0n) await this.bank.sendFromModule(ctx, keys.ESCROW_ACCOUNT, to, [amount]);
  }

  // ---- sequences ----

  async takeId(store: KVStore, seq: typeof keys.nextBatchId): Promise<bigint> {
    const id = (await seq.get(store)) ?? 1n;
    seq.set(store, id + 1n);
    return id;
  }

  // ---- batches ----

  async getBatch(store: KVRead, id: bigint): Promise<Batch | undefined> {
    return keys.batches.get(store, id);
  }

  async requireBatch(store: KVRead, id: bigint): Promise<Batch> {
    const b = await keys.batches.get(store, id);
    if (b === undefined) throw ErrBatchNotFound.wrap(`batch ${id}`);
    return b;
  }

  /** A batch that still takes challenges: pending and inside its dispute window. */
  async requireDisputable(ctx: Context, id: bigint): Promise<Batch> {
    const b = await this.requireBatch(ctx.store, id);
    if (b.status !== BatchStatus.BATCH_STATUS_PENDING) throw ErrBatchNotPending.wrap(`batch ${id} is ${statusName(b.status)}`);
    if (ctx.block.height > b.disputeEnd) throw ErrWindowClosed.wrap(`batch ${id}'s window ended at height ${b.disputeEnd}`);
    return b;
  }

  /** Writes the batch, moving its status index entry when the status changed. */
  setBatch(store: KVStore, b: Batch, previousStatus?: BatchStatus): void {
    if (previousStatus !== undefined && previousStatus !== b.status) keys.batchesByStatus.delete(store, [previousStatus, b.id]);
    keys.batchesByStatus.set(store, [b.status, b.id], true);
    keys.batches.set(store, b.id, b);
  }

  /** Indexes a new batch by root, payer signature, operator, payer and epoch (status is set by setBatch). */
  indexBatch(store: KVStore, b: Batch, operator: Uint8Array, payer: Uint8Array): void {
    keys.batchRoots.set(store, b.root, b.id);
    if (b.payerSignature.length > 0) keys.batchSignatures.set(store, b.payerSignature, b.id);
    keys.batchesByOperator.set(store, [operator, b.id], true);
    keys.batchesByPayer.set(store, [payer, b.id], true);
    keys.batchesByEpoch.set(store, [b.epoch, b.id], true);
  }

  /** Appends a challenge record to the batch's list (and bumps its counter, written by the caller). */
  addChallenge(store: KVStore, b: Batch, record: Omit<ChallengeRecord, 'batchId' | 'seq'>): Batch {
    const seq = b.challenges;
    keys.challenges.set(store, [b.id, seq], { ...record, batchId: b.id, seq });
    return { ...b, challenges: seq + 1 };
  }

  // ---- evidence ----

  async requireFreshEvidence(store: KVRead, hash: Uint8Array): Promise<void> {
    const at = await keys.evidence.get(store, hash);
    if (at !== undefined) throw ErrDuplicateEvidence.wrap(`evidence ${hex(hash)} was processed at height ${at}`);
  }

  /** Where the registry's punishOperator records each punished fault's evidence, with the height. */
  readonly evidenceLog: EvidenceLog = {
    record: (ctx, hash) => keys.evidence.set(ctx.store, hash, ctx.block.height),
  };

  // ---- reads for other modules (emission) ----

  /** What each operator's batches finalized in `epoch` added up to, in operator address order. */
  async epochUsage(store: KVRead, epoch: bigint): Promise<EpochUsage[]> {
    const out: EpochUsage[] = [];
    for await (const [, u] of keys.usage.entries(store, { subPrefix: u64Key.encode(epoch) })) out.push(u);
    return out;
  }

  /** The receipts and royalty roots stored on the epoch's last block. */
  async epochRootsOf(store: KVRead, epoch: bigint): Promise<EpochRoots | undefined> {
    return keys.epochRoots.get(store, epoch);
  }
}

export function statusName(s: BatchStatus): string {
  switch (s) {
    case BatchStatus.BATCH_STATUS_PENDING:
      return 'pending';
    case BatchStatus.BATCH_STATUS_FINALIZED:
      return 'finalized';
    case BatchStatus.BATCH_STATUS_REJECTED:
      return 'rejected';
    default:
      return 'unknown';
  }
}
