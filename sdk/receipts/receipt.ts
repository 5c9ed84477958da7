// Receipts: the canonical sign-bytes both parties sign, signing, and the checks anyone can run
// without chain state (structure, amount = units × price, both signatures against given keys).
//
// Sign-bytes layout (integers big-endian; "lp" = u32 byte length, then the bytes):
//   "cairn/receipt/v1"   16 ASCII bytes, the domain separator
//   lp chain_id          UTF-8
//   lp id                32 bytes
//   lp operator          raw address bytes (the bech32 data, not its text; only the lower-case
//   lp payer             raw address bytes    spelling is accepted, so one receipt has one encoding)
//   lp model_id          UTF-8
//   lp adapter_id        UTF-8, empty for none
//   u64 epoch
//   u64 units_in
//   u64 units_out
//   u128 unit_price      16 bytes
//   u128 amount          16 bytes
//   lp payment_ref
//   lp attestation_id
//   i64 started_at       unix seconds
//   i64 finished_at      unix seconds
//   lp request_hash
//   lp response_hash
//   lp payer_key         the payer's ed25519 public key
// The payer and the operator each sign exactly these bytes with pure Ed25519.
import { decodeBech32 } from '../../core/framework/address.ts';
import { LruCache } from '../../core/lru-cache.ts';
import type { Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { I64_MAX, I64_MIN, U128_MAX, U64_MAX, parseU128, utf8Bytes } from '../bytes.ts';
import { ED25519_KEY_LENGTH, ED25519_SIGNATURE_LENGTH, type Ed25519Signer, verifyEd25519 } from '../ed25519.ts';

export const RECEIPT_DOMAIN = 'cairn/receipt/v1';
export const RECEIPT_ID_LENGTH = 32;
export const HASH_LENGTH = 32;
export const MAX_PAYMENT_REF_LENGTH = 64;
export const MAX_ID_TEXT_LENGTH = 128;

export type { Receipt };

/** A receipt that cannot even be encoded (bad address, amount that is not a u128 …). */
export class ReceiptFormatError extends Error {
  override readonly name = 'ReceiptFormatError';
}

const DOMAIN_BYTES = utf8Bytes(RECEIPT_DOMAIN);
const addressCache = new LruCache<Uint8Array>(1024);

/**
 * Raw bytes of a bech32 address (any prefix) in its lower-case spelling; cached, since a batch
 * repeats two addresses. The upper-case spelling of the same bytes is refused: the chain compares a
 * receipt's addresses with its batch's as text, and the leaf hash covers the text.
 */
export function addressBytes(address: string, what = 'address'): Uint8Array {
  const cached = addressCache.get(address);
  if (cached !== undefined) return cached;
  let data: Uint8Array;
  try {
    data = decodeBech32(address).data;
  } catch (e) {
    throw new ReceiptFormatError(`${what} "${address}" is not a bech32 address: ${(e as Error).message}`);
  }
  addressCache.set(address, data);
  return data;
}

const textCache = new LruCache<Uint8Array>(1024);

/**
 * UTF-8 bytes of a receipt's chain id, model or adapter id; cached, since a batch repeats them (only
 * the lengths a valid receipt may have, so that malformed receipts cannot fill the cache).
 */
function textBytes(text: string): Uint8Array {
  const cached = textCache.get(text);
  if (cached !== undefined) return cached;
  const bytes = utf8Bytes(text);
  if (text.length <= MAX_ID_TEXT_LENGTH) textCache.set(text, bytes);
  return bytes;
}

function amountField(text: string, what: string): bigint {
  try {
    return parseU128(text, what);
  } catch (e) {
    throw new ReceiptFormatError((e as Error).message);
  }
}

/** (units_in + units_out) × unit_price; throws ReceiptFormatError if that does not fit in 128 bits. */
export function expectedAmount(r: Receipt): bigint {
  const amount = (r.unitsIn + r.unitsOut) * amountField(r.unitPrice, 'unit_price');
  if (amount > U128_MAX) throw new ReceiptFormatError(`(units_in + units_out) × unit_price = ${amount} does not fit in 128 bits`);
  return amount;
}

/** The receipt's amount field as a number; throws ReceiptFormatError when it is not a u128. */
export function receiptAmount(r: Receipt): bigint {
  return amountField(r.amount, 'amount');
}

export function receiptSignBytes(r: Receipt): Uint8Array {
  try {
    // The fields are checked (and fail) in layout order, then written into one buffer: a watcher
    // builds these bytes for 10,000 receipts a batch, and a buffer, a view and a copy per field
    // cost more than the rest of the judgement.
    const chainId = textBytes(r.chainId);
    const operator = addressBytes(r.operator, 'operator');
    const payer = addressBytes(r.payer, 'payer');
    const modelId = textBytes(r.modelId);
    const adapterId = textBytes(r.adapterId);
    for (const n of [r.epoch, r.unitsIn, r.unitsOut]) if (n < 0n || n > U64_MAX) throw new RangeError(`${n} is not a u64`);
    const unitPrice = amountField(r.unitPrice, 'unit_price');
    const amount = amountField(r.amount, 'amount');
    for (const n of [r.startedAt, r.finishedAt]) if (n < I64_MIN || n > I64_MAX) throw new RangeError(`${n} is not an i64`);
    const head = [chainId, r.id, operator, payer, modelId, adapterId];
    const tail = [r.requestHash, r.responseHash, r.payerKey];
    let size = DOMAIN_BYTES.length + 3 * 8 + 2 * 16 + 4 + r.paymentRef.length + 4 + r.attestationId.length + 2 * 8;
    for (const b of head) size += 4 + b.length;
    for (const b of tail) size += 4 + b.length;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    out.set(DOMAIN_BYTES);
    let o = DOMAIN_BYTES.length;
    const lp = (b: Uint8Array): void => {
      view.setUint32(o, b.length);
      out.set(b, o + 4);
      o += 4 + b.length;
    };
    for (const b of head) lp(b);
    for (const n of [r.epoch, r.unitsIn, r.unitsOut]) {
      view.setBigUint64(o, n);
      o += 8;
    }
    for (const n of [unitPrice, amount]) {
      view.setBigUint64(o, n >> 64n);
      view.setBigUint64(o + 8, n & U64_MAX);
      o += 16;
    }
    lp(r.paymentRef);
    lp(r.attestationId);
    view.setBigInt64(o, r.startedAt);
    view.setBigInt64(o + 8, r.finishedAt);
    o += 16;
    for (const b of tail) lp(b);
    return out;
  } catch (e) {
    if (e instanceof ReceiptFormatError) throw e;
    throw new ReceiptFormatError((e as Error).message);
  }
}

export type ReceiptRole = 'payer' | 'operator';

/** verifyEd25519's contract: false for a malformed key or signature as for a wrong one. */
export type SignatureVerifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/**
 * Returns the receipt with `role`'s signature set. The payer signs first or second, it does not
 * matter: both sign the same bytes, which include the payer's key (set it before either signs).
 */
export function signReceipt(r: Receipt, role: ReceiptRole, signer: Ed25519Signer): Receipt {
  if (role === 'payer' && (r.payerKey.length !== ED25519_KEY_LENGTH || !sameBytes(r.payerKey, signer.publicKey))) {
    throw new ReceiptFormatError('payer_key must be the signing payer key');
  }
  const signature = signer.sign(receiptSignBytes(r));
  return role === 'payer' ? { ...r, payerSignature: signature } : { ...r, operatorSignature: signature };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Problems that make the receipt invalid regardless of chain state, in field order; empty when
 * there are none. `operatorKey` is the operator's receipt key valid when the receipt was signed;
 * `signBytes`, receiptSignBytes(r) when the caller built them already (they are built here otherwise).
 */
export function receiptProblems(r: Receipt, opts: { operatorKey?: Uint8Array; chainId?: string; verify?: SignatureVerifier; signBytes?: Uint8Array } = {}): string[] {
  const verify = opts.verify ?? verifyEd25519;
  const problems: string[] = [];
  if (opts.chainId !== undefined && r.chainId !== opts.chainId) problems.push(`chain_id is "${r.chainId}", not "${opts.chainId}"`);
  if (r.id.length !== RECEIPT_ID_LENGTH) problems.push(`id has ${r.id.length} bytes, not ${RECEIPT_ID_LENGTH}`);
  if (r.modelId === '' || r.modelId.length > MAX_ID_TEXT_LENGTH) problems.push('model_id is empty or too long');
  if (r.adapterId.length > MAX_ID_TEXT_LENGTH) problems.push('adapter_id is too long');
  if (r.paymentRef.length > MAX_PAYMENT_REF_LENGTH) problems.push(`payment_ref has ${r.paymentRef.length} bytes; at most ${MAX_PAYMENT_REF_LENGTH}`);
  if (r.attestationId.length !== 0 && r.attestationId.length !== HASH_LENGTH) problems.push('attestation_id must be empty or 32 bytes');
  if (r.requestHash.length !== HASH_LENGTH) problems.push('request_hash must be 32 bytes');
  if (r.responseHash.length !== HASH_LENGTH) problems.push('response_hash must be 32 bytes');
  if (r.startedAt < 0n || r.finishedAt < r.startedAt) problems.push(`times are out of order: started_at ${r.startedAt}, finished_at ${r.finishedAt}`);
  let signBytes: Uint8Array | undefined;
  try {
    signBytes = opts.signBytes ?? receiptSignBytes(r);
    const expected = expectedAmount(r);
    const amount = receiptAmount(r);
    if (amount !== expected) problems.push(`amount ${amount} is not (units_in + units_out) × unit_price = ${expected}`);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (r.payerKey.length !== ED25519_KEY_LENGTH) problems.push('payer_key must be a 32-byte ed25519 key');
  if (r.payerSignature.length !== ED25519_SIGNATURE_LENGTH) problems.push('payer_signature must be 64 bytes');
  if (r.operatorSignature.length !== ED25519_SIGNATURE_LENGTH) problems.push('operator_signature must be 64 bytes');
  if (signBytes !== undefined) {
    if (r.payerKey.length === ED25519_KEY_LENGTH && r.payerSignature.length === ED25519_SIGNATURE_LENGTH && !verify(r.payerKey, signBytes, r.payerSignature)) {
      problems.push('payer_signature does not verify with payer_key');
    }
    if (opts.operatorKey !== undefined && r.operatorSignature.length === ED25519_SIGNATURE_LENGTH && !verify(opts.operatorKey, signBytes, r.operatorSignature)) {
      problems.push('operator_signature does not verify with the operator key');
    }
  }
  return problems;
}

export interface ReceiptVerdict {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

/** receiptProblems as a verdict. Whether the keys were authorised at that time is the chain's check. */
export function verifyReceipt(r: Receipt, opts: { operatorKey: Uint8Array; chainId?: string }): ReceiptVerdict {
  const problems = receiptProblems(r, opts);
  return { ok: problems.length === 0, problems };
}
