// From a stream of signed receipts to a batch: one (operator, payer, model, adapter, epoch), sorted
// by receipt id with no duplicates, committed by a Merkle-sum tree; proofs and the submit message.
import type { MsgSubmitBatch } from '../../proto/gen/cairn/receipts/v1/tx.ts';
import { type InclusionProof, type Receipt, SettlementMode } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { U128_MAX, compareBytes, concatBytes, lp, toHex, utf8Bytes } from '../bytes.ts';
import { leafHash, receiptLeafAndEncoding, type SumValue, SumTree } from './merkle.ts';
import { RECEIPT_ID_LENGTH, ReceiptFormatError } from './receipt.ts';

/** 'foreign': a receipt the payer asked to sign a batch of did not come from it (batch-signature.ts). */
export type BatchErrorKind = 'empty' | 'duplicate' | 'mixed' | 'malformed' | 'overflow' | 'foreign';

export class BatchError extends Error {
  override readonly name = 'BatchError';
  readonly kind: BatchErrorKind;

  constructor(kind: BatchErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

export interface BatchHeader {
  readonly chainId: string;
  readonly operator: string;
  readonly payer: string;
  readonly modelId: string;
  readonly adapterId: string;
  readonly epoch: bigint;
  readonly root: Uint8Array;
  readonly count: bigint;
  readonly units: bigint;
  readonly amount: bigint;
}

export interface Batch {
  readonly header: BatchHeader;
  /** Sorted by id; receipts[i] is leaf i. */
  readonly receipts: readonly Receipt[];
  readonly tree: SumTree;
}

const SAME_FIELDS = ['chainId', 'operator', 'payer', 'modelId', 'adapterId', 'epoch'] as const;

/** Builds the batch; throws BatchError for an empty, mixed or duplicated input or a malformed receipt. */
export function buildBatch(receipts: readonly Receipt[]): Batch {
  return buildBatchWithEncodings(receipts).batch;
}

/**
 * buildBatch, and each leaf's receipt as the protobuf bytes it hashed (encodings[i] is
 * Receipt.encode(batch.receipts[i])): for a caller that stores the receipts (the watcher).
 */
export function buildBatchWithEncodings(receipts: readonly Receipt[]): { readonly batch: Batch; readonly encodings: readonly Uint8Array[] } {
  if (receipts.length === 0) throw new BatchError('empty', 'a batch needs at least one receipt');
  const first = receipts[0]!;
  for (const r of receipts) {
    for (const f of SAME_FIELDS) {
      if (r[f] !== first[f]) throw new BatchError('mixed', `receipt ${toHex(r.id)} has ${f} ${String(r[f])}, the batch has ${String(first[f])}`);
    }
    if (r.id.length !== RECEIPT_ID_LENGTH) throw new BatchError('malformed', `receipt id ${toHex(r.id)} has ${r.id.length} bytes, not ${RECEIPT_ID_LENGTH}`);
  }
  const sorted = receipts.slice().sort((a, b) => compareBytes(a.id, b.id));
  for (let i = 1; i < sorted.length; i++) {
    if (compareBytes(sorted[i - 1]!.id, sorted[i]!.id) === 0) throw new BatchError('duplicate', `receipt id ${toHex(sorted[i]!.id)} appears twice`);
  }
  let units = 0n;
  const leaves: SumValue[] = [];
  const encodings: Uint8Array[] = [];
  for (const r of sorted) {
    units += r.unitsIn + r.unitsOut;
    try {
      const { leaf, encoding } = receiptLeafAndEncoding(r);
      leaves.push(leaf);
      encodings.push(encoding);
    } catch (e) {
      if (e instanceof ReceiptFormatError) throw new BatchError('malformed', `receipt ${toHex(r.id)}: ${e.message}`);
      throw e;
    }
  }
  if (units >= 2n ** 64n) throw new BatchError('overflow', `total units ${units} do not fit in 64 bits`);
  let tree: SumTree;
  try {
    tree = SumTree.build(leaves);
  } catch (e) {
    throw new BatchError('overflow', (e as Error).message);
  }
  const root = tree.root;
  if (root.amount > U128_MAX) throw new BatchError('overflow', 'total amount does not fit in 128 bits');
  const batch: Batch = {
    header: {
      chainId: first.chainId,
      operator: first.operator,
      payer: first.payer,
      modelId: first.modelId,
      adapterId: first.adapterId,
      epoch: first.epoch,
      root: root.hash,
      count: root.count,
      units,
      amount: root.amount,
    },
    receipts: sorted,
    tree,
  };
  return { batch, encodings };
}

/** Inclusion proof of leaf `index` (the receipt at batch.receipts[index]). */
export function inclusionProof(batch: Batch, index: number): InclusionProof {
  return batch.tree.proof(index);
}

/** The root a batch header commits to, as a SumValue (what proofs are verified against). */
export function batchRoot(header: Pick<BatchHeader, 'root' | 'amount' | 'count'>): SumValue {
  return { hash: header.root, amount: header.amount, count: header.count };
}

/** Root of the receipts' payment references (leaf = id, payment_ref; amount and count as the receipt's). */
export function paymentRefsRoot(batch: Batch): Uint8Array {
  const domain = utf8Bytes('cairn/payment-ref/v1');
  const leaves = batch.receipts.map((r, i) => ({ hash: leafHash(concatBytes(domain, lp(r.id), lp(r.paymentRef))), amount: batch.tree.levels[0]![i]!.amount, count: 1n }));
  return SumTree.build(leaves).root.hash;
}

/** The fields of a MsgSubmitBatch the payer signs (everything but the signature itself). */
export type BatchTerms = Omit<MsgSubmitBatch, 'payerKey' | 'payerSignature'>;

/**
 * The terms of a batch's MsgSubmitBatch; OFFCHAIN batches carry their payment-references root. The
 * chain takes them only with the payer's signature (batch-signature.ts signBatch / signBatchAsPayer).
 */
export function batchTerms(batch: Batch, mode: 'escrow' | 'offchain'): BatchTerms {
  const h = batch.header;
  return {
    chainId: h.chainId,
    operator: h.operator,
    payer: h.payer,
    modelId: h.modelId,
    adapterId: h.adapterId,
    epoch: h.epoch,
    root: h.root,
    count: h.count,
    units: h.units,
    amount: h.amount.toString(),
    mode: mode === 'escrow' ? SettlementMode.SETTLEMENT_MODE_ESCROW : SettlementMode.SETTLEMENT_MODE_OFFCHAIN,
    paymentRefsRoot: mode === 'offchain' ? paymentRefsRoot(batch) : new Uint8Array(),
  };
}
