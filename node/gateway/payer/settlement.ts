// The payer gateway's duties toward operators, in the background (gateway.ts relays the requests):
// - co-signatures go back to each operator in rounds, at most 500 at a time, from a queue that
//   mirrors the store's, so a restart delivers what a crash left undelivered;
// - the operators' pending batches are signed only when the gateway rebuilds them, byte for byte,
//   from receipts it co-signed itself, none of them already signed into another batch (marked on
//   disk before the signature leaves, so never twice across restarts); any other is refused and
//   recorded as the operator's misbehaviour;
// - the payer's escrow is topped up when it falls below a threshold, one deposit at a time.
// Each duty is a PeriodicTask (never two rounds at once): stopping aborts the calls to operators in
// flight and waits for the rounds, so none outlives the store, and a silent operator cannot hold a
// shutdown for its calls' 30-s deadline.
import type { Ed25519Signer } from '../../../sdk/ed25519.ts';
import { toHex } from '../../../sdk/bytes.ts';
import { type BatchSignature, COSIGN_PATH, type CosignRequest, PENDING_BATCHES_PATH, type PendingBatch, batchSignaturePath } from '../../../sdk/gateway/protocol.ts';
import { buildBatch } from '../../../sdk/receipts/batch.ts';
import { signBatchAsPayer, signedLedger } from '../../../sdk/receipts/batch-signature.ts';
import type { Receipt } from '../../../sdk/receipts/receipt.ts';
import type { Logger } from '../../log.ts';
import { PeriodicTask } from '../../periodic.ts';
import type { PayerChain } from './chain.ts';
import type { PayerMetrics } from './metrics.ts';
import type { Misbehaviour, PayerStore } from './store.ts';

export interface EscrowTopUp {
  /** Deposit when the available escrow falls below this. */
  readonly threshold: bigint;
  readonly amount: bigint;
  /** Sends MsgDepositEscrow with the payer's account key; resolves once it is in a block. */
  readonly deposit: (amount: bigint) => Promise<void>;
}

export interface PayerSettlementDeps {
  readonly chainId: string;
  readonly payer: string;
  readonly payerKey: Ed25519Signer;
  readonly chain: PayerChain;
  readonly store: PayerStore;
  readonly metrics: PayerMetrics;
  readonly logger: Logger;
  /** Also sign batches settled off chain (default: escrow only). */
  readonly allowOffchain: boolean;
  readonly escrow: EscrowTopUp | undefined;
  /** Records an operator's misbehaviour and sets it aside, as a failed request does. */
  readonly misbehaved: (m: Misbehaviour) => Promise<void>;
  readonly every: SettlementIntervals;
}

export interface SettlementIntervals {
  readonly cosignMs: number;
  readonly batchPollMs: number;
  readonly escrowCheckMs: number;
}

const MAX_COSIGNS_PER_ROUND = 500;
const OPERATOR_CALL_TIMEOUT_MS = 30_000;

/** A call to an operator ends at its deadline, or sooner when its round is stopped. */
const callSignal = (round: AbortSignal): AbortSignal => AbortSignal.any([round, AbortSignal.timeout(OPERATOR_CALL_TIMEOUT_MS)]);

export class PayerSettlement {
  readonly #d: PayerSettlementDeps;
  /** Co-signatures to deliver, by operator (mirrors the store's queue). */
  readonly #queue = new Map<string, Receipt[]>();
  /** Batch roots judged in this process's life: not judged (or reported) again. */
  readonly #judged = new Set<string>();
  readonly #cosign: PeriodicTask;
  readonly #poll: PeriodicTask;
  readonly #escrow: PeriodicTask;

  constructor(deps: PayerSettlementDeps) {
    this.#d = deps;
    const round = (name: string, job: (signal: AbortSignal) => Promise<void>, intervalMs: number, passAtStart = false): PeriodicTask =>
      new PeriodicTask({ name: `payer ${name}`, job, intervalMs, passAtStart, onError: (e) => deps.logger.warn(`${name} failed`, { err: e }) });
    this.#cosign = round('co-signature delivery', (signal) => this.#flush(signal), deps.every.cosignMs);
    this.#poll = round('batch poll', (signal) => this.#pollOnce(signal), deps.every.batchPollMs);
    this.#escrow = round('escrow check', () => this.#topUp(), deps.every.escrowCheckMs, true);
  }

  /** Restores the undelivered co-signatures from the (open) store, before any receipt is queued. */
  async load(): Promise<void> {
    for (const [operator, list] of await this.#d.store.undelivered()) this.#queue.set(operator, list);
  }

  /** Starts the rounds (the escrow check at once). */
  async start(): Promise<void> {
    await Promise.all([this.#cosign.start(), this.#poll.start(), this.#escrow.start()]);
  }

  /** Stops the rounds: calls to operators in flight are aborted, and the rounds and a deposit under way are waited for. */
  async stop(): Promise<void> {
    await Promise.all([this.#cosign.stop(), this.#poll.stop(), this.#escrow.stop()]);
  }

  /** Queues the co-signature of a receipt the store already holds. */
  queue(r: Receipt): void {
    const list = this.#queue.get(r.operator) ?? [];
    list.push(r);
    this.#queue.set(r.operator, list);
  }

  /** Sends queued co-signatures, at most 500 per operator per round; while a round runs, that round. */
  flushCosignatures(): Promise<void> {
    return this.#cosign.tick();
  }

  /** Asks every operator this gateway used for batches waiting for the payer's signature; while a round runs, that round. */
  pollBatches(): Promise<void> {
    return this.#poll.tick();
  }

  async #flush(signal: AbortSignal): Promise<void> {
    const bases = await this.#d.store.operators();
    for (const [operator, list] of this.#queue) {
      if (signal.aborted) return;
      const base = bases.get(operator);
      if (list.length === 0 || base === undefined) continue;
      const batch = list.slice(0, MAX_COSIGNS_PER_ROUND);
      const body: CosignRequest = { payer: this.#d.payer, signatures: batch.map((r) => ({ id: toHex(r.id), payerSignature: toHex(r.payerSignature) })) };
      let ok = false;
      try {
        const r = await fetch(base + COSIGN_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: callSignal(signal) });
        // A 4xx is the operator's final word on these (it took the others): sending them again
        // would block the queue behind them. A 5xx or no answer: they are sent again.
        ok = r.ok || (r.status >= 400 && r.status < 500);
        if (!r.ok) this.#d.logger.warn(ok ? 'co-signatures refused by the operator: not sent again' : 'co-signatures not taken', { operator, status: r.status, body: (await r.text()).slice(0, 300) });
      } catch (e) {
        if (!signal.aborted) this.#d.logger.warn('co-signatures not delivered', { operator, err: e as Error });
      }
      if (!ok) continue;
      await this.#d.store.delivered(operator, body.signatures.map((s) => s.id));
      list.splice(0, batch.length);
      this.#d.metrics.cosignsDelivered.inc(batch.length);
    }
  }

  async #pollOnce(signal: AbortSignal): Promise<void> {
    for (const [operator, base] of await this.#d.store.operators()) {
      if (signal.aborted) return;
      let batches: PendingBatch[];
      try {
        const r = await fetch(`${base}${PENDING_BATCHES_PATH}?payer=${encodeURIComponent(this.#d.payer)}`, { signal: callSignal(signal) });
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        batches = ((await r.json()) as { batches?: PendingBatch[] }).batches ?? [];
      } catch (e) {
        if (!signal.aborted) this.#d.logger.warn('pending batches not read', { operator, err: e as Error });
        continue;
      }
      for (const b of batches) {
        if (signal.aborted) return;
        if (this.#judged.has(b.root)) continue;
        const signature = await this.#judgeBatch(operator, b);
        if (signature === undefined) {
          this.#judged.add(b.root);
          continue;
        }
        try {
          const r = await fetch(base + batchSignaturePath(b.root), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signature), signal: callSignal(signal) });
          if (!r.ok) throw new Error(`HTTP ${r.status}: ${(await r.text()).slice(0, 300)}`);
          this.#judged.add(b.root);
          this.#d.logger.info('batch signed', { operator, root: b.root, count: b.count, amount: b.amount });
        } catch (e) {
          // Marked already: the same signature is sent again on the next poll.
          if (!signal.aborted) this.#d.logger.warn('batch signature not delivered', { operator, root: b.root, err: e as Error });
        }
      }
    }
  }

  /**
   * The signature of a pending batch when this gateway can rebuild it from receipts it co-signed,
   * none of them already signed into another batch; undefined (and a misbehaviour record) otherwise.
   * Each receipt is marked as signed into this root, on disk, before the signature is returned.
   */
  async #judgeBatch(operator: string, b: PendingBatch): Promise<BatchSignature | undefined> {
    const { store, metrics } = this.#d;
    const refuse = async (detail: string): Promise<undefined> => {
      metrics.batches.inc({ result: 'refused' });
      await this.#d.misbehaved({ at: Date.now(), operator, kind: 'batch', detail: `batch ${b.root}: ${detail}` });
      return undefined;
    };
    if (b.operator !== operator || b.payer !== this.#d.payer || b.chainId !== this.#d.chainId) return refuse('it is not a batch of this operator, payer and chain');
    if (b.mode !== 'escrow' && !(b.mode === 'offchain' && this.#d.allowOffchain)) return refuse(`settlement mode ${b.mode} is not accepted`);
    const ids = b.receiptIds.map((id) => id.toLowerCase());
    if (ids.length === 0 || ids.some((id) => !/^[0-9a-f]{64}$/.test(id))) return refuse('its receipt ids are malformed');
    const marks = await store.signedInto(ids);
    for (const [id, root] of marks) if (root !== b.root) return refuse(`receipt ${id} was already signed into batch ${root}`);
    const receipts: Receipt[] = [];
    for (const id of ids) {
      const r = await store.receipt(id);
      if (r === undefined) return refuse(`receipt ${id} was never co-signed by this gateway`);
      receipts.push(r);
    }
    let msg;
    try {
      const batch = buildBatch(receipts);
      const h = batch.header;
      const mismatch: string[] = [];
      if (toHex(h.root) !== b.root.toLowerCase()) mismatch.push(`root is ${toHex(h.root)}`);
      if (h.count.toString() !== b.count) mismatch.push(`count is ${h.count}`);
      if (h.units.toString() !== b.units) mismatch.push(`units are ${h.units}`);
      if (h.amount.toString() !== b.amount) mismatch.push(`amount is ${h.amount}`);
      if (h.modelId !== b.modelId || h.adapterId !== b.adapterId || h.epoch.toString() !== b.epoch) mismatch.push(`model, adapter, epoch are ${h.modelId}, ${h.adapterId}, ${h.epoch}`);
      if (mismatch.length > 0) return refuse(`rebuilt from its receipts, the ${mismatch.join(', ')}`);
      msg = signBatchAsPayer(batch, b.mode, this.#d.payerKey, signedLedger(receipts));
    } catch (e) {
      return refuse((e as Error).message);
    }
    await store.markSigned(ids, b.root);
    metrics.batches.inc({ result: 'signed' });
    return { payerKey: toHex(msg.payerKey), payerSignature: toHex(msg.payerSignature) };
  }

  /** Reads the available escrow and deposits when it is under the threshold (the round waits for the deposit). */
  async #topUp(): Promise<void> {
    const { chain, metrics, logger } = this.#d;
    const available = await chain.escrowAvailable(this.#d.payer);
    metrics.escrowAvailable.set(Number(available));
    const t = this.#d.escrow;
    if (t === undefined || available >= t.threshold) return;
    logger.info('escrow below threshold: depositing', { available, threshold: t.threshold, amount: t.amount });
    try {
      await t.deposit(t.amount);
      metrics.escrowTopUps.inc({ result: 'ok' });
    } catch (e) {
      metrics.escrowTopUps.inc({ result: 'failed' });
      logger.warn('escrow deposit failed', { err: e as Error });
    }
  }
}
