// The wire contract between a payer's gateway (`cairn payer serve`) and an operator's gateway
// (`cairn operator serve`). Both speak OpenAI's HTTP API to their own side; between them the
// request carries the payer's authorisation and the response carries the operator's receipt.
//
// 1. Request (payer gateway → operator gateway): the OpenAI request body, unchanged, plus
//    REQUEST_HEADERS. The payer key signs requestSignBytes(), which binds the chain, the operator
//    (a signed request cannot be replayed to another operator), the payer, the receipt id the
//    receipt will carry, the time and the body's sha256. The operator refuses a key its payer has
//    not authorised on chain (or revoked), a time more than MAX_REQUEST_SKEW_SECONDS off, a receipt
//    id it has already used for this payer, and a payer over its credit limit.
// 2. Response: a plain response carries RECEIPT_HEADER; a stream ends with an SSE event named
//    RECEIPT_EVENT, sent after the usage chunk and before `data: [DONE]`. Either holds
//    encodeReceipt() of the receipt the operator signed (payer_key set, payer_signature empty).
//    request_hash = sha256(request body bytes); response_hash = sha256(response body bytes) for a
//    plain response, sha256(every stream byte before the receipt event) for a stream.
// 3. Co-signature (payer gateway → operator gateway): POST COSIGN_PATH with a CosignRequest once
//    the payer has checked a receipt. Until then its amount counts against the payer's credit.
// 4. Batch consent (payer gateway polls): GET PENDING_BATCHES_PATH?payer=<address> lists the
//    batches waiting for the payer's signature; the payer rebuilds each from receipts it co-signed
//    itself, signs the totals (signBatchAsPayer) and POSTs a BatchSignature to batchSignaturePath().
//    A payer signs each receipt id into at most one batch.
// Errors on every path are OpenAI-shaped: `{ "error": { "message", "type", "code" } }`.
import { Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { concatBytes, i64, lp, utf8Bytes } from '../bytes.ts';
import { ED25519_KEY_LENGTH, type Ed25519Signer, verifyEd25519 } from '../ed25519.ts';
import { sha256 } from '../hash.ts';
import { addressBytes } from '../receipts/receipt.ts';

export const REQUEST_DOMAIN = 'cairn/gateway-request/v1';
export const MAX_REQUEST_SKEW_SECONDS = 60;

/** Header names, lower-case as node:http reports them. Binary values are lower-case hex. */
export const REQUEST_HEADERS = {
  payer: 'cairn-payer',
  payerKey: 'cairn-payer-key',
  receiptId: 'cairn-receipt-id',
  time: 'cairn-request-time',
  signature: 'cairn-request-signature',
} as const;
export const RECEIPT_HEADER = 'cairn-receipt';
export const RECEIPT_EVENT = 'cairn-receipt';

export const COSIGN_PATH = '/cairn/v1/receipts/cosign';
export const PENDING_BATCHES_PATH = '/cairn/v1/batches/pending';
export const batchSignaturePath = (rootHex: string): string => `/cairn/v1/batches/${rootHex}/signature`;

export interface RequestAuth {
  readonly chainId: string;
  readonly operator: string;
  readonly payer: string;
  readonly receiptId: Uint8Array;
  /** Unix seconds. */
  readonly time: bigint;
  readonly bodyHash: Uint8Array;
}

export function requestSignBytes(a: RequestAuth): Uint8Array {
  return concatBytes(
    utf8Bytes(REQUEST_DOMAIN),
    lp(utf8Bytes(a.chainId)),
    lp(addressBytes(a.operator, 'operator')),
    lp(addressBytes(a.payer, 'payer')),
    lp(a.receiptId),
    i64(a.time),
    lp(a.bodyHash),
  );
}

/** The headers a payer gateway adds to `body` for `operator`. */
export function signRequest(chainId: string, operator: string, payer: string, receiptId: Uint8Array, time: bigint, body: Uint8Array, signer: Ed25519Signer): Record<string, string> {
  const signature = signer.sign(requestSignBytes({ chainId, operator, payer, receiptId, time, bodyHash: sha256(body) }));
  return {
    [REQUEST_HEADERS.payer]: payer,
    [REQUEST_HEADERS.payerKey]: Buffer.from(signer.publicKey).toString('hex'),
    [REQUEST_HEADERS.receiptId]: Buffer.from(receiptId).toString('hex'),
    [REQUEST_HEADERS.time]: time.toString(),
    [REQUEST_HEADERS.signature]: Buffer.from(signature).toString('hex'),
  };
}

export interface VerifiedRequest {
  readonly payer: string;
  readonly payerKey: Uint8Array;
  readonly receiptId: Uint8Array;
  readonly time: bigint;
}

/** Why a request's authorisation is refused: the text goes back to the payer as the error message. */
export class RequestAuthError extends Error {
  override readonly name = 'RequestAuthError';
}

const HEX = /^[0-9a-f]*$/;

function hexHeader(headers: Readonly<Record<string, string | string[] | undefined>>, name: string, length: number): Uint8Array {
  const value = headers[name];
  if (typeof value !== 'string') throw new RequestAuthError(`header ${name} is missing`);
  if (value.length !== length * 2 || !HEX.test(value)) throw new RequestAuthError(`header ${name} must be ${length} bytes of lower-case hex`);
  return new Uint8Array(Buffer.from(value, 'hex'));
}

/**
 * Checks the signature and the time of a request to `operator` and returns who signed it. Whether
 * the key is authorised for the payer, and whether the id is fresh, are the caller's checks (they
 * need chain state and the operator's store).
 */
export function verifyRequest(chainId: string, operator: string, headers: Readonly<Record<string, string | string[] | undefined>>, body: Uint8Array, nowSeconds: bigint): VerifiedRequest {
  const payer = headers[REQUEST_HEADERS.payer];
  if (typeof payer !== 'string' || payer === '') throw new RequestAuthError(`header ${REQUEST_HEADERS.payer} is missing`);
  const payerKey = hexHeader(headers, REQUEST_HEADERS.payerKey, ED25519_KEY_LENGTH);
  const receiptId = hexHeader(headers, REQUEST_HEADERS.receiptId, 32);
  const signature = hexHeader(headers, REQUEST_HEADERS.signature, 64);
  const timeText = headers[REQUEST_HEADERS.time];
  if (typeof timeText !== 'string' || !/^[0-9]{1,12}$/.test(timeText)) throw new RequestAuthError(`header ${REQUEST_HEADERS.time} must be unix seconds`);
  const time = BigInt(timeText);
  const skew = time > nowSeconds ? time - nowSeconds : nowSeconds - time;
  if (skew > BigInt(MAX_REQUEST_SKEW_SECONDS)) throw new RequestAuthError(`request time ${time} is ${skew} s from this gateway's clock (at most ${MAX_REQUEST_SKEW_SECONDS} s): check the payer's clock`);
  let bytes: Uint8Array;
  try {
    bytes = requestSignBytes({ chainId, operator, payer, receiptId, time, bodyHash: sha256(body) });
  } catch (e) {
    throw new RequestAuthError((e as Error).message);
  }
  if (!verifyEd25519(payerKey, bytes, signature)) throw new RequestAuthError(`the request signature does not verify with payer key ${toHexText(payerKey)} (signed for another chain, operator or body?)`);
  return { payer, payerKey, receiptId, time };
}

function toHexText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** A receipt as carried in RECEIPT_HEADER or a RECEIPT_EVENT's data: base64 of its protobuf bytes. */
export function encodeReceipt(r: Receipt): string {
  return Buffer.from(Receipt.encode(r).finish()).toString('base64');
}

/** Throws a RangeError (or the decoder's error) for text that is not a receipt. */
export function decodeReceipt(text: string): Receipt {
  if (text.length > 4096 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new RangeError('a receipt is at most 4 KiB of base64');
  return Receipt.decode(Buffer.from(text, 'base64'));
}

/** POST COSIGN_PATH: the payer's signatures over receipts it checked. */
export interface CosignRequest {
  readonly payer: string;
  /** Receipt id (hex) and the payer's signature over that receipt's sign-bytes (hex). */
  readonly signatures: readonly { readonly id: string; readonly payerSignature: string }[];
}

/** One entry of GET PENDING_BATCHES_PATH's `{ "batches": [...] }`. */
export interface PendingBatch {
  /** Hex; the batch's Merkle-sum root. */
  readonly root: string;
  readonly chainId: string;
  readonly operator: string;
  readonly payer: string;
  readonly modelId: string;
  readonly adapterId: string;
  readonly epoch: string;
  readonly mode: 'escrow' | 'offchain';
  readonly count: string;
  readonly units: string;
  readonly amount: string;
  /** Hex receipt ids, in leaf order. */
  readonly receiptIds: readonly string[];
}

/** POST batchSignaturePath(root). */
export interface BatchSignature {
  readonly payerKey: string;
  readonly payerSignature: string;
}

/** OpenAI's error body. */
export function openAiError(message: string, type: string, code: string): { error: { message: string; type: string; code: string } } {
  return { error: { message, type, code } };
}

/** The name `/v1/models` and a request's `model` use for an offer: the model id, `@adapter` when one. */
export function offerName(modelId: string, adapterId: string): string {
  return adapterId === '' ? modelId : `${modelId}@${adapterId}`;
}

export function parseOfferName(name: string): { modelId: string; adapterId: string } {
  const at = name.lastIndexOf('@');
  return at <= 0 ? { modelId: name, adapterId: '' } : { modelId: name.slice(0, at), adapterId: name.slice(at + 1) };
}
