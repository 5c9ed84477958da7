// The operator gateway's own LevelDB: every receipt it signed (before the response leaves), whether
// the payer co-signed it and which batch took it, and every batch it cut with its settlement state.
// A receipt is written before it is returned and a batch together with its receipts' batch marks
// (one atomic write), so that after a crash at any moment no signed receipt is lost and none is
// batched twice. Outside consensus state.
//
// Layout (keys are text):
//   r/<payer>/<id hex>  → ReceiptRecord (JSON; the receipt as base64 protobuf)
//   b/<root hex>        → BatchRecord (JSON)
import { mkdir } from 'node:fs/promises';
import { ClassicLevel } from '../../../core/store/level-reads.ts';
import { Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { toHex } from '../../../sdk/bytes.ts';

/** awaiting_signature → signed → submitted → revealed → finalized | faulted; expired: never signed in time. */
export type BatchState = 'awaiting_signature' | 'signed' | 'submitted' | 'revealed' | 'finalized' | 'faulted' | 'expired';
export const BATCH_STATES: readonly BatchState[] = ['awaiting_signature', 'signed', 'submitted', 'revealed', 'finalized', 'faulted', 'expired'];

export interface ReceiptRecord {
  /** base64 of the receipt's protobuf (with the payer's signature once co-signed). */
  readonly receipt: string;
  readonly amount: string;
  readonly cosigned: boolean;
  /** Hex root of the batch that took it. */
  readonly batch?: string;
  /** Why it will never be batched (outside its epoch's window …): it no longer counts as credit. */
  readonly dropped?: string;
  /** Unix ms when it was signed. */
  readonly signedAt: number;
}

export interface BatchRecord {
  readonly root: string;
  readonly payer: string;
  readonly modelId: string;
  readonly adapterId: string;
  readonly epoch: string;
  readonly count: string;
  readonly units: string;
  readonly amount: string;
  /** Hex receipt ids in leaf order. */
  readonly receiptIds: readonly string[];
  readonly state: BatchState;
  readonly createdAt: number;
  readonly payerKey?: string;
  readonly payerSignature?: string;
  /** The chain's batch id once submitted. */
  readonly batchId?: string;
  /** Leaves revealed so far (sampled or requested). */
  readonly revealed?: readonly string[];
  /** What the operator was paid at finalization, or the fault. */
  readonly operatorAmount?: string;
  readonly fault?: string;
  readonly lastError?: string | undefined;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();
const json = (v: unknown): Uint8Array => utf8.encode(JSON.stringify(v));

export const receiptKey = (payer: string, id: Uint8Array | string): string => `r/${payer}/${typeof id === 'string' ? id : toHex(id)}`;
const batchKey = (root: string): string => `b/${root}`;

export function decodeStoredReceipt(rec: ReceiptRecord): Receipt {
  return Receipt.decode(Buffer.from(rec.receipt, 'base64'));
}

export class GatewayStore {
  readonly #db: ClassicLevel<string, Uint8Array>;
  readonly #path: string;
  /** payer → sum of amounts signed and not co-signed (nor dropped): its used credit. */
  readonly #owed = new Map<string, bigint>();

  constructor(path: string) {
    this.#path = path;
    this.#db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
  }

  async open(): Promise<void> {
    await mkdir(this.#path, { recursive: true });
    await this.#db.open();
    for await (const [, v] of this.#db.iterator({ gte: 'r/', lt: 'r0' })) {
      const rec = JSON.parse(text.decode(v)) as ReceiptRecord;
      if (!rec.cosigned && rec.dropped === undefined) this.#addOwed(decodeStoredReceipt(rec).payer, BigInt(rec.amount));
    }
  }

  async close(): Promise<void> {
    await this.#db.close();
  }

  #addOwed(payer: string, delta: bigint): void {
    const next = (this.#owed.get(payer) ?? 0n) + delta;
    if (next === 0n) this.#owed.delete(payer);
    else this.#owed.set(payer, next);
  }

  /** What `payer` owes in receipts it has not co-signed. */
  owed(payer: string): bigint {
    return this.#owed.get(payer) ?? 0n;
  }

  owedByPayer(): ReadonlyMap<string, bigint> {
    return this.#owed;
  }

  async getReceipt(payer: string, id: string): Promise<ReceiptRecord | undefined> {
    const v = await this.#db.get(receiptKey(payer, id));
    return v === undefined ? undefined : (JSON.parse(text.decode(v)) as ReceiptRecord);
  }

  async hasReceipt(payer: string, id: Uint8Array): Promise<boolean> {
    return (await this.#db.get(receiptKey(payer, id))) !== undefined;
  }

  /** Records a receipt the operator just signed; it counts against the payer's credit until co-signed. */
  async putSigned(r: Receipt, now = Date.now()): Promise<void> {
    const rec: ReceiptRecord = { receipt: Buffer.from(Receipt.encode(r).finish()).toString('base64'), amount: r.amount, cosigned: false, signedAt: now };
    // Not fsync'd: a write LevelDB has taken survives the process being killed (the OS holds it);
    // only a power loss could drop the last few, and an fsync per request would halve throughput.
    await this.#db.put(receiptKey(r.payer, r.id), json(rec));
    this.#addOwed(r.payer, BigInt(r.amount));
  }

  /** Stores the payer's co-signed receipt; returns false if it was already co-signed. */
  async putCosigned(payer: string, id: string, r: Receipt): Promise<boolean> {
    const old = await this.getReceipt(payer, id);
    if (old === undefined || old.cosigned) return false;
    const rec: ReceiptRecord = { ...old, receipt: Buffer.from(Receipt.encode(r).finish()).toString('base64'), cosigned: true };
    await this.#db.put(receiptKey(payer, id), json(rec));
    if (old.dropped === undefined) this.#addOwed(payer, -BigInt(old.amount));
    return true;
  }

  async drop(payer: string, id: string, reason: string): Promise<void> {
    const old = await this.getReceipt(payer, id);
    if (old === undefined || old.dropped !== undefined || old.batch !== undefined) return;
    await this.#db.put(receiptKey(payer, id), json({ ...old, dropped: reason }));
    if (!old.cosigned) this.#addOwed(payer, -BigInt(old.amount));
  }

  /** Co-signed receipts no batch took yet (nor dropped). */
  async *unbatched(): AsyncGenerator<{ id: string; record: ReceiptRecord; receipt: Receipt }> {
    for await (const [k, v] of this.#db.iterator({ gte: 'r/', lt: 'r0' })) {
      const record = JSON.parse(text.decode(v)) as ReceiptRecord;
      if (!record.cosigned || record.batch !== undefined || record.dropped !== undefined) continue;
      yield { id: k.slice(k.lastIndexOf('/') + 1), record, receipt: decodeStoredReceipt(record) };
    }
  }

  /** Writes the batch and marks its receipts as taken by it, in one atomic write. */
  async putNewBatch(batch: BatchRecord): Promise<void> {
    const ops: { type: 'put'; key: string; value: Uint8Array }[] = [{ type: 'put', key: batchKey(batch.root), value: json(batch) }];
    for (const id of batch.receiptIds) {
      const rec = await this.getReceipt(batch.payer, id);
      if (rec === undefined || rec.batch !== undefined) throw new Error(`receipt ${id} is unknown or already batched`);
      ops.push({ type: 'put', key: receiptKey(batch.payer, id), value: json({ ...rec, batch: batch.root }) });
    }
    await this.#db.batch(ops, { sync: true });
  }

  async getBatch(root: string): Promise<BatchRecord | undefined> {
    const v = await this.#db.get(batchKey(root));
    return v === undefined ? undefined : (JSON.parse(text.decode(v)) as BatchRecord);
  }

  async updateBatch(root: string, change: Partial<BatchRecord>): Promise<BatchRecord> {
    const old = await this.getBatch(root);
    if (old === undefined) throw new Error(`no batch ${root}`);
    const next = { ...old, ...change };
    await this.#db.put(batchKey(root), json(next), { sync: true });
    return next;
  }

  async batches(): Promise<BatchRecord[]> {
    const out: BatchRecord[] = [];
    for await (const [, v] of this.#db.iterator({ gte: 'b/', lt: 'b0' })) out.push(JSON.parse(text.decode(v)) as BatchRecord);
    return out;
  }

  /** The batch's receipts, in leaf order. */
  async batchReceipts(b: BatchRecord): Promise<Receipt[]> {
    const out: Receipt[] = [];
    for (const id of b.receiptIds) {
      const rec = await this.getReceipt(b.payer, id);
      if (rec === undefined) throw new Error(`receipt ${id} of batch ${b.root} is missing from the store`);
      out.push(decodeStoredReceipt(rec));
    }
    return out;
  }
}
