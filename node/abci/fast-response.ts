// The two responses sent for every tx, CheckTx and FinalizeBlock, framed without cosmjs-types' writer.
//
// cosmjs-types' BinaryWriter builds a linked list with one object per field, nested message and
// length prefix, and copies it into the output at the end (and proto/cosmjs-int64.ts's fix makes each
// int64 a bigint varint in its own array). For a FinalizeBlock of 2,000 bank sends (ten events each)
// that is ~10^6 objects alive until the block's response is finished, so the collector copies them
// between generations: ~40 µs of CPU per tx on the app's one thread, after FinalizeBlock itself had
// returned (part of the chain bench's "outside the calls"). Here the bytes are written in one pass
// into a reused scratch buffer: a nested message gets one byte for its length, moved up in the rare
// case it needs more. The same bytes, field for field in cosmjs-types' order and with its rules for
// default values (proved against it in fast-response.test.ts), so CometBFT sees nothing new.
import { utf8Write } from 'cosmjs-types/utf8';
import {
  ValidatorUpdate,
  type Event,
  type ExecTxResult,
  type ResponseCheckTx,
  type ResponseFinalizeBlock,
} from 'cosmjs-types/tendermint/abci/types';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
// cosmjs-types' own int64 writer mis-encodes [2^31, 2^32); the updates below go through the fixed one.
import '../../proto/cosmjs-int64.ts';
import { MAX_SAFE_BIGINT, uvarintLength, writeUvarint } from '../../proto/wire.ts';

// Tags (field number << 3 | wire type 2): Response.check_tx = 9, Response.finalize_block = 21.
const TAG_RESPONSE_CHECK_TX = 74;
const TAG_RESPONSE_FINALIZE_BLOCK = 170;

/** The scratch buffer kept between responses; a larger one (a big block's) is let go after use. */
const KEPT_SCRATCH_BYTES = 1 << 20;

// One encode runs at a time: nothing here awaits.
let buf = new Uint8Array(64 * 1024);
let pos = 0;

/** `{ checkTx: res }` as a length-prefixed Response frame. */
export function encodeCheckTxFrame(res: ResponseCheckTx): Uint8Array {
  return frame(() => {
    const at = begin(TAG_RESPONSE_CHECK_TX);
    writeTxResult(res);
    end(at);
  });
}

/** `{ finalizeBlock: res }` as a length-prefixed Response frame. */
export function encodeFinalizeBlockFrame(res: ResponseFinalizeBlock): Uint8Array {
  return frame(() => {
    const at = begin(TAG_RESPONSE_FINALIZE_BLOCK);
    writeEvents(10, res.events);
    for (const r of res.txResults) {
      const result = begin(18);
      writeTxResult(r);
      end(result);
    }
    // Validator and consensus param updates are rare and small: cosmjs-types encodes those.
    for (const v of res.validatorUpdates) writeBytes(26, ValidatorUpdate.encode(v).finish());
    if (res.consensusParamUpdates !== undefined) writeBytes(34, ConsensusParams.encode(res.consensusParamUpdates).finish());
    if (res.appHash.length !== 0) writeBytes(42, res.appHash);
    end(at);
  });
}

/** Runs `write` into the scratch buffer and returns its bytes behind their uvarint length. */
function frame(write: () => void): Uint8Array {
  pos = 0;
  try {
    write();
    const out = new Uint8Array(uvarintLength(pos) + pos);
    out.set(buf.subarray(0, pos), writeUvarint(pos, out, 0));
    return out;
  } finally {
    if (buf.length > KEPT_SCRATCH_BYTES) buf = new Uint8Array(64 * 1024);
  }
}

function ensure(bytes: number): void {
  if (pos + bytes <= buf.length) return;
  const bigger = new Uint8Array(Math.max(buf.length * 2, pos + bytes));
  bigger.set(buf.subarray(0, pos));
  buf = bigger;
}

/** Starts a nested message: its tag (one or two bytes) and one byte kept for its length. */
function begin(tag: number): number {
  ensure(3);
  if (tag >= 0x80) {
    buf[pos++] = (tag & 0x7f) | 0x80;
    buf[pos++] = tag >>> 7;
  } else {
    buf[pos++] = tag;
  }
  return pos++;
}

/** Ends the nested message begun at `at`: writes its length, moving its body up if that takes more than a byte. */
function end(at: number): void {
  const length = pos - at - 1;
  if (length < 0x80) {
    buf[at] = length;
    return;
  }
  const extra = uvarintLength(length) - 1;
  ensure(extra);
  buf.copyWithin(at + 1 + extra, at + 1, pos);
  pos += extra;
  writeUvarint(length, buf, at);
}

// ResponseCheckTx's fields 1–8 are ExecTxResult's (v0.38): one writer for both.
function writeTxResult(r: ResponseCheckTx | ExecTxResult): void {
  if (r.code !== 0) {
    ensure(6);
    buf[pos++] = 8;
    pos = writeUvarint(r.code >>> 0, buf, pos);
  }
  if (r.data.length !== 0) writeBytes(18, r.data);
  if (r.log !== '') writeString(26, r.log);
  if (r.info !== '') writeString(34, r.info);
  if (r.gasWanted !== 0n) writeInt64(40, r.gasWanted);
  if (r.gasUsed !== 0n) writeInt64(48, r.gasUsed);
  writeEvents(58, r.events);
  if (r.codespace !== '') writeString(66, r.codespace);
}

function writeEvents(tag: number, events: readonly Event[]): void {
  for (const e of events) {
    const event = begin(tag);
    if (e.type !== '') writeString(10, e.type);
    for (const a of e.attributes) {
      const attribute = begin(18);
      if (a.key !== '') writeString(10, a.key);
      if (a.value !== '') writeString(18, a.value);
      if (a.index === true) {
        ensure(2);
        buf[pos++] = 24;
        buf[pos++] = 1;
      }
      end(attribute);
    }
    end(event);
  }
}

function writeString(tag: number, s: string): void {
  const n = s.length;
  ensure(6 + 3 * n);
  buf[pos++] = tag;
  // ASCII (nearly every string here) is written as it is read; anything else by cosmjs-types' own
  // UTF-8 writer (lone surrogates included), its length then put in front like a nested message's.
  let i = 0;
  const lengthAt = pos;
  pos = writeUvarint(n, buf, pos);
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    buf[pos + i] = c;
  }
  if (i === n) {
    pos += n;
    return;
  }
  pos = lengthAt + 1;
  const written = utf8Write(s, buf, pos);
  pos += written;
  end(lengthAt);
}

function writeBytes(tag: number, b: Uint8Array): void {
  ensure(6 + b.length);
  buf[pos++] = tag;
  pos = writeUvarint(b.length, buf, pos);
  buf.set(b, pos);
  pos += b.length;
}

// int64 as protobuf writes it (and proto/cosmjs-int64.ts): a negative value is its 64-bit two's
// complement (ten bytes); outside [-2^63, 2^64) is refused.
function writeInt64(tag: number, v: bigint): void {
  ensure(11);
  buf[pos++] = tag;
  if (v >= 0n && v <= MAX_SAFE_BIGINT) {
    pos = writeUvarint(Number(v), buf, pos);
    return;
  }
  if (v < -(1n << 63n) || v >= 1n << 64n) throw new RangeError(`64-bit integer out of range: ${v}`);
  let u = BigInt.asUintN(64, v);
  while (u >= 0x80n) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
}
