// Settlement by the operator gateway itself: co-signed receipts become batches, batches get the
// payer's signature, are published, submitted, their sample revealed, every RequestReceipt answered,
// and followed to finalization. Each step ends in a state written to the store, and each tick starts
// from the store, so a gateway killed at any moment resumes where it was:
//
//   cut ─► awaiting_signature ─(payer POSTs its signature)─► signed ─(publish, submit)─► submitted
//   ─(sample revealed)─► revealed ─(dispute window over)─► finalized | faulted;  expired: the
//   payer did not sign before the epoch's batch window closed.
//
// - A batch is cut per (payer, model, adapter, epoch) once it has `batchSize` receipts, its oldest
//   is `batchAgeMs` old, or its epoch is over (no receipt joins it any more, and the chain accepts it
//   only max_batch_age_epochs longer). The batch and its receipts' marks are one atomic write.
// - Only receipts that finished before the latest block are taken (the chain wants finished_at
//   before the submission block's time); receipts the chain would judge outside their epoch's window
//   are dropped, never submitted: a dropped receipt is unpaid, a submitted one would be fraud.
// - Two lanes, each serial: `follow` reveals, answers and follows submitted batches; `progress` cuts,
//   expires and submits. Revealing has a deadline, so it never waits behind a publish or a submission
//   (their transactions still take turns, since they share the account's sequence).
// - Before submitting a signed batch the gateway looks for its root on chain, so a submission
//   whose result was lost to a crash is found, not repeated (the chain refuses a second copy anyway).
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { MsgSubmitBatch } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { type Batch as ChainBatch, BatchStatus, type DataRequest } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { type Batch, batchTerms, buildBatch, inclusionProof } from '../../../sdk/receipts/batch.ts';
import { verifyBatchSignature } from '../../../sdk/receipts/batch-signature.ts';
import { receiptsMsgs } from '../../../sdk/receipts/messages.ts';
import type { Logger } from '../../log.ts';
import type { OperatorChain } from './chain.ts';
import type { OperatorMetrics } from './metrics.ts';
import type { BatchRecord, GatewayStore } from './store.ts';

export interface ChainTip {
  readonly height: bigint;
  /** Unix seconds of the latest block. */
  readonly time: bigint;
}

export interface SettlementChain extends OperatorChain {
  tip(): Promise<ChainTip>;
  /** The id of this operator's batch with `root` (of that payer and epoch), if the chain has one. */
  findBatch(payer: string, epoch: bigint, root: Uint8Array): Promise<bigint | undefined>;
  batch(id: bigint): Promise<{ batch: ChainBatch; requests: readonly DataRequest[] }>;
}

export interface TxOutcome {
  readonly code: number;
  readonly log: string;
  readonly events: readonly { readonly type: string; readonly attributes: readonly { readonly key: string; readonly value: string }[] }[];
}

export interface SettlementDeps {
  readonly chainId: string;
  readonly operator: string;
  readonly store: GatewayStore;
  readonly chain: SettlementChain;
  /** Signs with the operator's account key and waits for the block. */
  readonly submit: (msgs: EncodeObject[]) => Promise<TxOutcome>;
  /** Gossips the batch to the network (the watchers); may throw (then submission goes on). */
  readonly publish: (batch: Batch, height: bigint) => Promise<void>;
  readonly metrics: OperatorMetrics;
  readonly logger: Logger;
  readonly batchSize: number;
  readonly batchAgeMs: number;
  readonly now?: () => number;
}

const FINAL = new Set(['finalized', 'faulted', 'expired']);

export function isFinal(b: BatchRecord): boolean {
  return FINAL.has(b.state);
}

const attr = (r: TxOutcome, type: string, key: string): string | undefined => r.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;

export class BatchSignatureError extends Error {
  override readonly name = 'BatchSignatureError';
}

export class Settlement {
  readonly #d: SettlementDeps;
  readonly #now: () => number;
  /** Built batches by root, so proofs are not rebuilt every tick. */
  readonly #built = new Map<string, Batch>();
  /** Open RequestReceipts per batch root, as last seen on chain. */
  readonly openRequests = new Map<string, number>();

  constructor(deps: SettlementDeps) {
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * Reveals every sampled or requested leaf and follows each submitted batch to its end. These duties
   * have deadlines (a sampled leaf not revealed in time is fraud), so they run in their own lane and
   * never wait behind publishing or submitting. Passes of a lane never overlap.
   */
  readonly follow = serially(async () => {
    const due = (await this.#d.store.batches()).filter((b) => b.state === 'submitted' || b.state === 'revealed');
    for (const b of due) await this.#step(b, () => this.#followBatch(b));
  });

  /** Cuts what is due, expires what can no longer be submitted, and submits at most one signed batch (publishing can wait on peers). */
  readonly progress = serially(async () => {
    const tip = await this.#d.chain.tip();
    await this.cut(tip);
    let submitted = false;
    for (const b of await this.#d.store.batches()) {
      if (b.state !== 'awaiting_signature' && b.state !== 'signed') continue;
      if (b.state === 'signed') {
        if (submitted) continue;
        submitted = true;
      }
      await this.#step(b, () => this.#progressBatch(b, tip));
    }
  });

  /** One pass of each lane, following first. */
  async tick(): Promise<void> {
    await this.follow();
    await this.progress();
  }

  async #step(b: BatchRecord, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (e) {
      this.#d.logger.warn('settlement step failed; retried next pass', { root: b.root, state: b.state, error: (e as Error).message });
      await this.#d.store.updateBatch(b.root, { lastError: (e as Error).message });
    }
  }

  async cut(tip: ChainTip): Promise<BatchRecord[]> {
    const { store, chain, logger } = this.#d;
    const [epoch, params] = await Promise.all([chain.epoch(), chain.params()]);
    const groups = new Map<string, { epoch: bigint; items: { id: string; receipt: Batch['receipts'][number]; signedAt: number }[] }>();
    for await (const u of store.unbatched()) {
      const r = u.receipt;
      const key = JSON.stringify([r.payer, r.modelId, r.adapterId, r.epoch.toString()]);
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { epoch: r.epoch, items: [] }));
      g.items.push({ id: u.id, receipt: r, signedAt: u.record.signedAt });
    }
    const cut: BatchRecord[] = [];
    const max = Math.min(this.#d.batchSize, Number(params.maxBatchCount));
    for (const g of groups.values()) {
      const payer = g.items[0]!.receipt.payer;
      const drop = async (items: typeof g.items, reason: string): Promise<void> => {
        for (const i of items) await store.drop(payer, i.id, reason);
        logger.warn('receipts dropped: they can never be submitted', { payer, count: items.length, reason });
      };
      if (g.epoch + params.maxBatchAgeEpochs < epoch.epoch) {
        await drop(g.items, `epoch ${g.epoch} is closed for batches`);
        continue;
      }
      let items = g.items;
      if (g.epoch + 1n === epoch.epoch) {
        const late = items.filter((i) => i.receipt.finishedAt >= epoch.startTime);
        if (late.length > 0) await drop(late, `finished after epoch ${g.epoch} ended`);
        items = items.filter((i) => i.receipt.finishedAt < epoch.startTime);
      }
      items = items.filter((i) => i.receipt.finishedAt < tip.time).sort((a, b) => a.signedAt - b.signedAt);
      if (items.length === 0) continue;
      const due = items.length >= max || this.#now() - items[0]!.signedAt >= this.#d.batchAgeMs || g.epoch < epoch.epoch;
      if (!due) continue;
      for (let i = 0; i < items.length; i += max) {
        const batch = buildBatch(items.slice(i, i + max).map((x) => x.receipt));
        const h = batch.header;
        const record: BatchRecord = {
          root: Buffer.from(h.root).toString('hex'),
          payer: h.payer,
          modelId: h.modelId,
          adapterId: h.adapterId,
          epoch: h.epoch.toString(),
          count: h.count.toString(),
          units: h.units.toString(),
          amount: h.amount.toString(),
          receiptIds: batch.receipts.map((r) => Buffer.from(r.id).toString('hex')),
          state: 'awaiting_signature',
          createdAt: this.#now(),
        };
        await store.putNewBatch(record);
        this.#built.set(record.root, batch);
        cut.push(record);
        logger.info('batch cut, awaiting the payer’s signature', { root: record.root, payer: h.payer, model: h.modelId, epoch: record.epoch, count: record.count, amount: record.amount });
      }
    }
    return cut;
  }

  /** The payer's batch signature (POST batchSignaturePath): checked against the batch's terms, then stored. */
  async acceptSignature(root: string, payerKey: Uint8Array, payerSignature: Uint8Array): Promise<BatchRecord> {
    const { store, chain } = this.#d;
    const b = await store.getBatch(root);
    if (b === undefined) throw new BatchSignatureError(`no batch ${root} here`);
    if (b.state !== 'awaiting_signature') {
      if (b.payerSignature === Buffer.from(payerSignature).toString('hex')) return b;
      throw new BatchSignatureError(`batch ${root} is ${b.state}, not awaiting a signature`);
    }
    const msg = await this.submitMsg(b, payerKey, payerSignature);
    if (!verifyBatchSignature(msg)) throw new BatchSignatureError(`the signature does not verify with key ${Buffer.from(payerKey).toString('hex')} over batch ${root}'s terms`);
    if ((await chain.payerKey(b.payer, payerKey)) !== 'authorised') throw new BatchSignatureError(`key ${Buffer.from(payerKey).toString('hex')} is not an authorised key of payer ${b.payer}`);
    return store.updateBatch(root, { state: 'signed', payerKey: Buffer.from(payerKey).toString('hex'), payerSignature: Buffer.from(payerSignature).toString('hex') });
  }

  async built(b: BatchRecord): Promise<Batch> {
    let batch = this.#built.get(b.root);
    if (batch === undefined) {
      batch = buildBatch(await this.#d.store.batchReceipts(b));
      if (Buffer.from(batch.header.root).toString('hex') !== b.root) throw new Error(`the stored receipts of batch ${b.root} rebuild another root`);
      this.#built.set(b.root, batch);
    }
    return batch;
  }

  async submitMsg(b: BatchRecord, payerKey: Uint8Array, payerSignature: Uint8Array): Promise<MsgSubmitBatch> {
    return { ...batchTerms(await this.built(b), 'escrow'), chainId: this.#d.chainId, payerKey, payerSignature };
  }

  async #progressBatch(b: BatchRecord, tip: ChainTip): Promise<void> {
    const { store, chain, logger } = this.#d;
    const [params, epoch] = await Promise.all([chain.params(), chain.epoch()]);
    if (BigInt(b.epoch) + params.maxBatchAgeEpochs < epoch.epoch) {
      await store.updateBatch(b.root, { state: 'expired', fault: `epoch ${b.epoch} closed for batches before it was ${b.state === 'signed' ? 'submitted' : 'signed by the payer'}` });
      logger.warn('batch expired unsubmitted', { root: b.root, state: b.state });
      return;
    }
    if (b.state === 'awaiting_signature') return;
    const found = await chain.findBatch(b.payer, BigInt(b.epoch), Buffer.from(b.root, 'hex'));
    if (found !== undefined) {
      await store.updateBatch(b.root, { state: 'submitted', batchId: found.toString() });
      return;
    }
    const batch = await this.built(b);
    try {
      await this.#d.publish(batch, tip.height);
    } catch (e) {
      logger.warn('publishing the batch failed; submitting anyway (watchers will ask for leaves)', { root: b.root, error: (e as Error).message });
    }
    const msg = await this.submitMsg(b, Buffer.from(b.payerKey!, 'hex'), Buffer.from(b.payerSignature!, 'hex'));
    const r = await this.#d.submit([receiptsMsgs.MsgSubmitBatch(msg)]);
    if (r.code !== 0) throw new Error(`MsgSubmitBatch failed: code ${r.code}: ${r.log}`);
    const id = attr(r, 'batch_submitted', 'batch_id');
    if (id === undefined) throw new Error('MsgSubmitBatch succeeded without a batch_submitted event');
    await store.updateBatch(b.root, { state: 'submitted', batchId: id, lastError: undefined });
    logger.info('batch submitted', { root: b.root, batchId: id, count: b.count, amount: b.amount });
  }

  async #followBatch(b: BatchRecord): Promise<void> {
    const { store, chain, logger } = this.#d;
    const { batch: onChain, requests } = await chain.batch(BigInt(b.batchId!));
    this.openRequests.set(b.root, requests.length);
    if (onChain.status === BatchStatus.BATCH_STATUS_FINALIZED) {
      const paid = onChain.split?.operatorAmount ?? '0';
      await store.updateBatch(b.root, { state: 'finalized', operatorAmount: paid });
      this.#d.metrics.earnings.inc(Number(paid));
      this.#built.delete(b.root);
      logger.info('batch finalized', { root: b.root, batchId: b.batchId, paid });
      return;
    }
    if (onChain.status === BatchStatus.BATCH_STATUS_REJECTED) {
      await store.updateBatch(b.root, { state: 'faulted', fault: onChain.fault?.detail ?? 'rejected' });
      this.#built.delete(b.root);
      logger.error('batch rejected on chain', { root: b.root, batchId: b.batchId, fault: onChain.fault?.detail });
      return;
    }
    const wanted = new Set<bigint>();
    if (onChain.sampleDrawn) for (const s of onChain.sample) if (!s.revealed) wanted.add(s.index);
    for (const q of requests) wanted.add(q.index);
    if (wanted.size > 0) {
      const batch = await this.built(b);
      const indices = [...wanted].sort((x, y) => (x < y ? -1 : 1));
      const msgs = indices.map((i) => receiptsMsgs.MsgRevealReceipt({ sender: this.#d.operator, batchId: BigInt(b.batchId!), receipt: batch.receipts[Number(i)]!, proof: inclusionProof(batch, Number(i)) }));
      const r = await this.#d.submit(msgs);
      if (r.code !== 0) throw new Error(`revealing leaves ${indices.join(', ')} failed: code ${r.code}: ${r.log}`);
      await store.updateBatch(b.root, { revealed: [...(b.revealed ?? []), ...indices.map(String)] });
      logger.info('leaves revealed', { root: b.root, batchId: b.batchId, leaves: indices.join(','), requested: requests.length });
    }
    if (b.state === 'submitted' && onChain.sampleDrawn) await store.updateBatch(b.root, { state: 'revealed' });
  }
}

/** `pass` made serial: a call starts after the one before it ended, whether that failed or not. */
function serially(pass: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  return () => {
    const run = running.then(pass);
    running = run.catch(() => undefined);
    return run;
  };
}
