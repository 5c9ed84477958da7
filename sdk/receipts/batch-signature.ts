// The payer's consent to a batch: an ed25519 signature, by one of the payer's authorised receipt
// keys, over the batch's totals. The chain refuses a MsgSubmitBatch without one, so nobody can lock a
// payer's escrow or bill it for receipts its own software did not sign; a payer signs only after
// rebuilding the Merkle-sum root from receipts it co-signed itself (signBatchAsPayer).
//
// Sign-bytes layout (integers big-endian; "lp" = u32 byte length, then the bytes):
//   "cairn/batch/v1"     14 ASCII bytes, the domain separator
//   lp chain_id          UTF-8
//   lp operator          raw address bytes
//   lp payer             raw address bytes
//   lp model_id          UTF-8
//   lp adapter_id        UTF-8, empty for none
//   u64 epoch
//   u32 mode             1 ESCROW, 2 OFFCHAIN
//   lp root              32 bytes
//   u64 count
//   u64 units
//   u128 amount          16 bytes
//   lp payment_refs_root 32 bytes for OFFCHAIN, empty for ESCROW
import type { MsgSubmitBatch } from '../../proto/gen/cairn/receipts/v1/tx.ts';
import { concatBytes, equalBytes, lp, parseU128, toHex, u128, u32, u64, utf8Bytes } from '../bytes.ts';
import { ED25519_KEY_LENGTH, ED25519_SIGNATURE_LENGTH, type Ed25519Signer, verifyEd25519 } from '../ed25519.ts';
import { type Batch, BatchError, type BatchTerms, batchTerms } from './batch.ts';
import { ReceiptFormatError, addressBytes, receiptSignBytes } from './receipt.ts';

export const BATCH_DOMAIN = 'cairn/batch/v1';
const DOMAIN_BYTES = utf8Bytes(BATCH_DOMAIN);

/** The batch sign-bytes; throws ReceiptFormatError for an address or amount that cannot be encoded. */
export function batchSignBytes(t: BatchTerms): Uint8Array {
  let amount: bigint;
  try {
    amount = parseU128(t.amount, 'amount');
  } catch (e) {
    throw new ReceiptFormatError((e as Error).message);
  }
  return concatBytes(
    DOMAIN_BYTES,
    lp(utf8Bytes(t.chainId)),
    lp(addressBytes(t.operator, 'operator')),
    lp(addressBytes(t.payer, 'payer')),
    lp(utf8Bytes(t.modelId)),
    lp(utf8Bytes(t.adapterId)),
    u64(t.epoch),
    u32(t.mode),
    lp(t.root),
    u64(t.count),
    u64(t.units),
    u128(amount),
    lp(t.paymentRefsRoot),
  );
}

/** The message with `signer`'s batch signature. Signs whatever it is given: payers use signBatchAsPayer. */
export function signBatch(msg: BatchTerms, signer: Ed25519Signer): MsgSubmitBatch {
  return { ...msg, payerKey: signer.publicKey, payerSignature: signer.sign(batchSignBytes(msg)) };
}

/** Whether the message's payer_signature verifies with its payer_key over its sign-bytes. Whether the key is the payer's is the chain's check. */
export function verifyBatchSignature(msg: MsgSubmitBatch): boolean {
  if (msg.payerKey.length !== ED25519_KEY_LENGTH || msg.payerSignature.length !== ED25519_SIGNATURE_LENGTH) return false;
  let bytes: Uint8Array;
  try {
    bytes = batchSignBytes(msg);
  } catch {
    return false;
  }
  return verifyEd25519(msg.payerKey, bytes, msg.payerSignature);
}

/**
 * The payer's side: signs the MsgSubmitBatch of `batch` only if every receipt in it carries this
 * key's valid payer signature (the batch's root, count and totals were rebuilt from those receipts
 * by buildBatch). With `own` (the receipts the payer's software co-signed, by id), every receipt
 * must also be byte-for-byte one of them. Throws BatchError('foreign') otherwise.
 */
export function signBatchAsPayer(batch: Batch, mode: 'escrow' | 'offchain', signer: Ed25519Signer, own?: ReadonlyMap<string, Uint8Array>): MsgSubmitBatch {
  for (const r of batch.receipts) {
    const id = toHex(r.id);
    if (!equalBytes(r.payerKey, signer.publicKey)) throw new BatchError('foreign', `receipt ${id} names payer key ${toHex(r.payerKey)}, not this key ${toHex(signer.publicKey)}`);
    const bytes = receiptSignBytes(r);
    if (r.payerSignature.length !== ED25519_SIGNATURE_LENGTH || !verifyEd25519(signer.publicKey, bytes, r.payerSignature)) throw new BatchError('foreign', `receipt ${id} does not carry this key's payer signature`);
    if (own !== undefined) {
      const mine = own.get(id);
      if (mine === undefined) throw new BatchError('foreign', `receipt ${id} is not among the receipts this payer signed`);
      if (!equalBytes(mine, bytes)) throw new BatchError('foreign', `receipt ${id} differs from the one this payer signed`);
    }
  }
  return signBatch(batchTerms(batch, mode), signer);
}

/** `receipts` by id (hex) → their sign-bytes: the `own` argument of signBatchAsPayer. */
export function signedLedger(receipts: Iterable<Parameters<typeof receiptSignBytes>[0]>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const r of receipts) out.set(toHex(r.id), receiptSignBytes(r));
  return out;
}
