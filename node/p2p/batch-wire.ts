// A gossiped batch read at the protobuf wire level, for the forwarding path: the validator needs the
// envelope's header fields and the Merkle-sum root of the receipts, not 10,000 decoded Receipt
// objects. Each receipt's leaf is the hash of its bytes as sent, which equals the hash of its
// re-encoding (what buildBatch hashes) only when those bytes are the encoder's own output; so a
// receipt is taken only in that canonical form (fields in ascending order, each once, none empty or
// zero, minimal varints, valid UTF-8), which is exactly what sealBatch writes. Anything else is
// refused rather than judged differently from buildBatch.
import { isUtf8 } from 'node:buffer';
import { U64_MAX, compareBytes, parseU128, toHex } from '../../sdk/bytes.ts';
import { sha256Binary } from '../../sdk/hash.ts';
import { LEAF_PREFIX, sumRootOfLeaves } from '../../sdk/receipts/merkle.ts';
import { RECEIPT_ID_LENGTH } from '../../sdk/receipts/receipt.ts';

export class WireError extends Error {
  override readonly name = 'WireError';
}

const VARINT = 0;
const LEN = 2;

class Reader {
  pos: number;
  readonly end: number;
  readonly buf: Uint8Array;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** A varint as a bigint; `minimal` refuses padded encodings (a trailing 0x00 group). */
  varint(minimal: boolean): bigint {
    // Up to seven groups (49 bits) fit a number exactly; only longer varints take bigints.
    const start = this.pos;
    let small = 0;
    for (let i = 0; i < 7 && this.pos < this.end; i++) {
      const b = this.buf[this.pos++]!;
      small += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (minimal && i > 0 && b === 0) throw new WireError('padded varint');
        return BigInt(small);
      }
    }
    this.pos = start;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) {
        if (minimal && i > 0 && b === 0) throw new WireError('padded varint');
        if (result > U64_MAX) throw new WireError('varint beyond 64 bits');
        return result;
      }
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** A varint below 2^28 (tags and lengths) as a number, without bigints. */
  small(minimal: boolean): number {
    let result = 0;
    for (let i = 0; i < 4; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (minimal && i > 0 && b === 0) throw new WireError('padded varint');
        return result;
      }
    }
    throw new WireError('a tag or length of 2^28 or more');
  }

  /** A length-delimited field's bytes, as a view into the buffer. */
  bytes(minimal: boolean): Uint8Array {
    const n = this.small(minimal);
    if (this.pos + n > this.end) throw new WireError('length past the end');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === VARINT) this.varint(false);
    else if (wireType === LEN) this.bytes(false);
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else throw new WireError(`wire type ${wireType}`);
    if (this.pos > this.end) throw new WireError('field past the end');
  }
}

// As the generated decoders read strings: a leading byte-order mark is kept, not dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function text(b: Uint8Array): string {
  try {
    return utf8.decode(b);
  } catch {
    throw new WireError('a string is not UTF-8');
  }
}

/** The fields of a SignedBody carrying a batch, with the receipts as their encoded bytes. */
export interface WireBatchBody {
  readonly chainId: string;
  readonly operator: string;
  readonly signerKey: Uint8Array;
  readonly height: bigint;
  /** undefined when the body carries no batch (it is an attestation set or nothing). */
  readonly batch: { readonly root: Uint8Array; readonly receipts: readonly Uint8Array[] } | undefined;
  readonly hasAttestations: boolean;
}

/**
 * Reads an Envelope's body and signature and the SignedBody's fields without decoding receipts. A
 * field that decoding would merge or overwrite (seen twice) is refused, so what is judged here is
 * what a full decode of the same bytes gives.
 */
export function readEnvelope(bytes: Uint8Array): { body: Uint8Array; signature: Uint8Array } {
  const r = new Reader(bytes);
  let body: Uint8Array = new Uint8Array();
  let signature: Uint8Array = new Uint8Array();
  const seen = new Set<number>();
  while (r.pos < r.end) {
    const tag = r.small(false);
    const field = tag >>> 3;
    if ((field === 1 || field === 2) && (tag & 7) === LEN) {
      if (seen.has(field)) throw new WireError(`envelope field ${field} twice`);
      seen.add(field);
      if (field === 1) body = r.bytes(false);
      else signature = r.bytes(false);
    } else r.skip(tag & 7);
  }
  return { body, signature };
}

export function readBatchBody(body: Uint8Array): WireBatchBody {
  const r = new Reader(body);
  let chainId = '';
  let operator = '';
  let signerKey: Uint8Array = new Uint8Array();
  let height = 0n;
  let batch: WireBatchBody['batch'];
  let hasAttestations = false;
  const seen = new Set<number>();
  while (r.pos < r.end) {
    const tag = r.small(false);
    const field = tag >>> 3;
    const type = tag & 7;
    const known = (field >= 1 && field <= 3 && type === LEN) || (field === 4 && type === VARINT) || ((field === 10 || field === 11) && type === LEN);
    if (!known) {
      r.skip(type);
      continue;
    }
    if (seen.has(field)) throw new WireError(`body field ${field} twice`);
    seen.add(field);
    if (field === 1) chainId = text(r.bytes(false));
    else if (field === 2) operator = text(r.bytes(false));
    else if (field === 3) signerKey = r.bytes(false);
    else if (field === 4) height = r.varint(false);
    else if (field === 10) batch = readReceiptBatch(r.bytes(false));
    else {
      r.bytes(false);
      hasAttestations = true;
    }
  }
  return { chainId, operator, signerKey, height, batch, hasAttestations };
}

function readReceiptBatch(bytes: Uint8Array): { root: Uint8Array; receipts: Uint8Array[] } {
  const r = new Reader(bytes);
  let root: Uint8Array = new Uint8Array();
  let rootSeen = false;
  const receipts: Uint8Array[] = [];
  while (r.pos < r.end) {
    const tag = r.small(false);
    if (tag === ((1 << 3) | LEN)) {
      if (rootSeen) throw new WireError('batch root twice');
      rootSeen = true;
      root = r.bytes(false);
    } else if (tag === ((2 << 3) | LEN)) receipts.push(r.bytes(false));
    else r.skip(tag & 7);
  }
  return { root, receipts };
}

// Receipt fields by number (cairn/receipts/v1/types.proto): 's' string, 'b' bytes, 'v' 64-bit varint.
const RECEIPT_FIELDS: Readonly<Record<number, 's' | 'b' | 'v'>> = {
  1: 's', // chain_id
  2: 'b', // id
  3: 's', // operator
  4: 's', // payer
  5: 's', // model_id
  6: 's', // adapter_id
  7: 'v', // epoch
  8: 'v', // units_in
  9: 'v', // units_out
  10: 's', // unit_price
  11: 's', // amount
  12: 'b', // payment_ref
  13: 'b', // attestation_id
  14: 'v', // started_at (int64: a negative one is ten bytes, as the encoder writes it)
  15: 'v', // finished_at
  16: 'b', // request_hash
  17: 'b', // response_hash
  18: 'b', // payer_key
  19: 'b', // payer_signature
  20: 'b', // operator_signature
};
const F_CHAIN = 1;
const F_ID = 2;
const F_OPERATOR = 3;
const F_UNITS_IN = 8;
const F_UNITS_OUT = 9;
const F_AMOUNT = 11;
/** The fields every receipt of a batch shares (buildBatch's SAME_FIELDS): chain, operator, payer, model, adapter, epoch. */
const SHARED = [1, 3, 4, 5, 6, 7];
/** SHARED's index of a field number, -1 for the others. */
const SHARED_SLOT = Array.from({ length: 21 }, (_, f) => SHARED.indexOf(f));

/** The first receipt of a batch: the shared fields every other receipt must repeat byte for byte. */
interface FirstReceipt {
  readonly bytes: Uint8Array;
  /** Where each shared field's value lies in `bytes` (start, end; 0, 0 when absent), in SHARED order. */
  readonly shared: Uint32Array;
}

/**
 * What readReceipt found in the receipt it walked last: one record reused for all of them, since an
 * object (and a view for each field) per receipt, alive until the batch is judged, was most of what
 * the collector copied while a hop validated 10,000 of them.
 */
const walked = {
  idStart: 0,
  idEnd: 0,
  /** The amount when it was plain digits short enough for a number; else undefined and `amountText`. */
  amount: undefined as bigint | undefined,
  amountText: '',
  /** units_in + units_out: a number while both fit in seven varint groups, else a bigint. */
  units: 0 as number | bigint,
};

const SCRATCH = new Uint32Array(2 * SHARED.length);

class MixedError extends Error {}

/** Whether a[aStart, aEnd) and b[bStart, bEnd) hold the same bytes. */
function sameRange(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = aStart, j = bStart; i < aEnd; i++, j++) if (a[i] !== b[j]) return false;
  return true;
}

/** Byte order of a[aStart, aStart + n) and b[bStart, bStart + n), as compareBytes. */
function compareRange(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, n: number): number {
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i]! - b[bStart + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether bytes[start, end) is valid UTF-8; plain ASCII (every field of an honest receipt) is checked in place. */
function utf8At(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return isUtf8(bytes.subarray(start, end));
  return true;
}

/**
 * A decimal amount read in place when parseU128 would surely take it and a number holds it exactly
 * (digits only, no leading zero, at most 15 of them); undefined for anything else, which parseU128
 * then judges from the text.
 */
function shortDecimal(bytes: Uint8Array, start: number, end: number): bigint | undefined {
  const n = end - start;
  if (n > 15 || (n > 1 && bytes[start] === 0x30)) return undefined;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = bytes[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return BigInt(v);
}

/**
 * Walks one encoded receipt, refusing any form its re-encoding would not reproduce byte for byte,
 * and leaves what it read in `walked`. With `first`, the shared fields must be the first receipt's
 * bytes (then they are valid UTF-8 as those were), else MixedError; without it, the receipt is the
 * first and its shared fields' offsets go into `shared`. Fields are read in place (offsets,
 * numbers), not as views and bigints: this runs 10,000 times a batch on the forwarding path.
 */
function readReceipt(bytes: Uint8Array, first: FirstReceipt | undefined, shared: Uint32Array = SCRATCH): void {
  const end = bytes.length;
  let pos = 0;
  let present = 0;
  let idStart = 0;
  let idEnd = 0;
  let amount: bigint | undefined;
  let amountText = '';
  let units: number | bigint = 0;
  let last = 0;
  while (pos < end) {
    // The tag: a field number below 16 fits one byte, up to 20 two; a padded or longer tag is not the encoder's.
    let tag = bytes[pos++]!;
    if (tag & 0x80) {
      if (pos >= end) throw new WireError('truncated varint');
      const hi = bytes[pos++]!;
      if (hi & 0x80 || hi === 0) throw new WireError(hi === 0 ? 'padded varint' : `receipt tag of more than two bytes`);
      tag = (tag & 0x7f) | (hi << 7);
    }
    const field = tag >>> 3;
    const kind = RECEIPT_FIELDS[field];
    if (kind === undefined || field <= last) throw new WireError(`receipt field ${field} unknown, repeated or out of order`);
    last = field;
    let start: number;
    if (kind === 'v') {
      if ((tag & 7) !== VARINT) throw new WireError(`receipt field ${field} has wire type ${tag & 7}`);
      start = pos;
      let b: number;
      do {
        if (pos >= end) throw new WireError('truncated varint');
        if (pos - start === 10) throw new WireError('varint longer than 10 bytes');
        b = bytes[pos++]!;
      } while (b & 0x80);
      const n = pos - start;
      if (n > 1 && b === 0) throw new WireError('padded varint');
      if (n === 1 && b === 0) throw new WireError(`receipt field ${field} is an encoded zero`);
      if (n === 10 && b > 1) throw new WireError('varint beyond 64 bits');
      if (field === F_UNITS_IN || field === F_UNITS_OUT) {
        if (n <= 7 && typeof units === 'number') {
          let v = 0;
          for (let i = 0; i < n; i++) v += (bytes[start + i]! & 0x7f) * 2 ** (7 * i);
          units += v; // two values below 2^49: exact
        } else {
          const r = new Reader(bytes, start, pos);
          units = BigInt(units) + r.varint(true);
        }
      }
    } else {
      if ((tag & 7) !== LEN) throw new WireError(`receipt field ${field} has wire type ${tag & 7}`);
      // The length: minimal, below 2^28 (Reader.small's rule).
      let n = 0;
      for (let i = 0; ; i++) {
        if (i === 4) throw new WireError('a tag or length of 2^28 or more');
        if (pos >= end) throw new WireError('truncated varint');
        const b = bytes[pos++]!;
        n += (b & 0x7f) * 2 ** (7 * i);
        if ((b & 0x80) === 0) {
          if (i > 0 && b === 0) throw new WireError('padded varint');
          break;
        }
      }
      if (pos + n > end) throw new WireError('length past the end');
      if (n === 0) throw new WireError(`receipt field ${field} is encoded empty`);
      start = pos;
      pos += n;
      if (field === F_ID) {
        idStart = start;
        idEnd = pos;
      } else if (field === F_AMOUNT) {
        amount = shortDecimal(bytes, start, pos);
        if (amount === undefined) amountText = text(bytes.subarray(start, pos));
      }
    }
    const slot = SHARED_SLOT[field]!;
    if (slot >= 0) {
      present |= 1 << slot;
      shared[2 * slot] = start;
      shared[2 * slot + 1] = pos;
      if (first !== undefined && !sameRange(bytes, start, pos, first.bytes, first.shared[2 * slot]!, first.shared[2 * slot + 1]!)) {
        throw new MixedError(`a receipt differs from the first in field ${field}`);
      }
    }
    // The amount was decoded strictly above; a shared field equal to the first receipt's is valid.
    if (kind === 's' && field !== F_AMOUNT && (slot < 0 || first === undefined) && !utf8At(bytes, start, pos)) throw new WireError(`receipt field ${field} is not UTF-8`);
  }
  if (first !== undefined) {
    // A shared field the first receipt has and this one lacks (absent fields are empty).
    for (let slot = 0; slot < SHARED.length; slot++) {
      if ((present & (1 << slot)) === 0 && first.shared[2 * slot + 1]! > first.shared[2 * slot]!) throw new MixedError(`receipt ${toHex(bytes.subarray(idStart, idEnd))} differs from the first in field ${SHARED[slot]}`);
    }
  }
  walked.idStart = idStart;
  walked.idEnd = idEnd;
  walked.amount = amount;
  walked.amountText = amountText;
  walked.units = units;
}

/** The first receipt's value of a shared field, as text (empty when absent). */
function sharedText(r: FirstReceipt, field: number): string {
  const slot = SHARED_SLOT[field]!;
  return text(r.bytes.subarray(r.shared[2 * slot]!, r.shared[2 * slot + 1]!));
}

/** Why the receipts do not build the batch of `root` for `operator` on `chainId`; undefined when they do. */
export type RootProblem = { readonly reason: 'bad-batch' | 'root-mismatch'; readonly detail: string };

/**
 * Rebuilds the Merkle-sum root from encoded receipts with buildBatch's rules (one chain, operator,
 * payer, model, adapter and epoch; 32-byte ids, no duplicates; u128 amounts; total units below
 * 2^64) and compares it with `root`; also checks that the receipts are `operator`'s on `chainId`.
 */
export function rootProblem(receipts: readonly Uint8Array[], root: Uint8Array, operator: string, chainId: string): RootProblem | undefined {
  const bad = (detail: string): RootProblem => ({ reason: 'bad-batch', detail });
  const n = receipts.length;
  if (n === 0) return bad('a batch needs at least one receipt');
  const first: FirstReceipt = { bytes: receipts[0]!, shared: new Uint32Array(2 * SHARED.length) };
  // Per receipt, in the order sent: where its id starts, its amount, its leaf hash (a binary string,
  // sumRootOfLeaves). Batches are sealed sorted by id; only others are sorted after the walk.
  const idStarts = new Uint32Array(n);
  let amounts: bigint[] = new Array(n);
  let hashes: string[] = new Array(n);
  // Units summed as a number while the sum stays exact (below 2^53), then as a bigint.
  let units = 0n;
  let smallUnits = 0;
  let inOrder = true;
  // The leaf preimage (0x00 and the receipt's bytes) in one buffer, with a view per length seen.
  let scratch = new Uint8Array(1024);
  let views: Uint8Array[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const bytes = receipts[i]!;
      readReceipt(bytes, i === 0 ? undefined : first, i === 0 ? first.shared : SCRATCH);
      const { idStart, idEnd } = walked;
      if (idEnd - idStart !== RECEIPT_ID_LENGTH) return bad(`receipt id ${toHex(bytes.subarray(idStart, idEnd))} has ${idEnd - idStart} bytes, not ${RECEIPT_ID_LENGTH}`);
      idStarts[i] = idStart;
      if (i > 0 && inOrder && compareRange(receipts[i - 1]!, idStarts[i - 1]!, bytes, idStart, RECEIPT_ID_LENGTH) >= 0) inOrder = false;
      const u = walked.units;
      if (typeof u === 'bigint') units += u;
      else {
        smallUnits += u;
        if (smallUnits >= 2 ** 52) {
          units += BigInt(smallUnits);
          smallUnits = 0;
        }
      }
      let amount = walked.amount;
      if (amount === undefined) {
        try {
          amount = parseU128(walked.amountText, 'amount');
        } catch (e) {
          return bad(`receipt ${toHex(bytes.subarray(idStart, idEnd))}: ${(e as Error).message}`);
        }
      }
      amounts[i] = amount;
      const len = 1 + bytes.length;
      if (scratch.length < len) {
        scratch = new Uint8Array(2 * len);
        views = [];
      }
      scratch[0] = LEAF_PREFIX;
      scratch.set(bytes, 1);
      hashes[i] = sha256Binary((views[len] ??= scratch.subarray(0, len)));
    }
  } catch (e) {
    if (e instanceof MixedError) return bad(e.message);
    if (e instanceof WireError) return bad(`a receipt is not in canonical encoding: ${e.message}`);
    throw e;
  }
  units += BigInt(smallUnits);
  if (units >= 2n ** 64n) return bad(`total units ${units} do not fit in 64 bits`);
  if (sharedText(first, F_OPERATOR) !== operator || sharedText(first, F_CHAIN) !== chainId) {
    return bad(`receipts of another operator or chain in an envelope of ${operator}`);
  }
  if (!inOrder) {
    // As buildBatch: sorted by id, and a duplicate id (which made them "unsorted") refused.
    const idOf = (i: number): Uint8Array => receipts[i]!.subarray(idStarts[i]!, idStarts[i]! + RECEIPT_ID_LENGTH);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareBytes(idOf(a), idOf(b)));
    for (let k = 1; k < n; k++) if (compareBytes(idOf(order[k - 1]!), idOf(order[k]!)) === 0) return bad(`receipt id ${toHex(idOf(order[k]!))} appears twice`);
    hashes = order.map((i) => hashes[i]!);
    amounts = order.map((i) => amounts[i]!);
  }
  let built: { readonly hash: Uint8Array };
  try {
    built = sumRootOfLeaves(hashes, amounts);
  } catch (e) {
    return bad((e as Error).message);
  }
  if (compareBytes(built.hash, root) !== 0) return { reason: 'root-mismatch', detail: `root ${toHex(root)} is not the receipts' root ${toHex(built.hash)}` };
  return undefined;
}
