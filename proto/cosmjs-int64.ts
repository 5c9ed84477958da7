// cosmjs-types 0.11 (the latest release) mis-encodes every int64/uint64/sint64 whose low 32 bits have
// the top bit set, e.g. any value in [2^31, 2^32): `int64FromString` returns the low word as a signed
// 32-bit number, `int64Length` then sees a negative word and reserves ONE byte, and `writeVarint64`
// writes five into that slot, overwriting what follows. The result cannot be decoded ("index out of
// range") — a Timestamp after January 2038 or an unbonding completion time estimated from a late
// genesis is enough to corrupt state and halt the chain.
//
// This module replaces those three writer methods with a bigint varint encoder that writes exactly
// the bytes the protobuf spec defines for every value in the int64/uint64 ranges (round-trip tested
// over both full ranges in cosmjs-int64.test.ts). It is imported for its effect by the store codec
// and by the client registry, so every process that encodes Cosmos types (node, CLI, tests) loads it
// before its first encode. cosmjs-types declares `uint64` as an instance field copied from
// `prototype.int64` at construction, so patching the prototype covers every writer made afterwards.
import { BinaryWriter } from 'cosmjs-types/binary';
import { MAX_SAFE_BIGINT, uvarintLength, writeUvarint } from './wire.ts';

const TWO_64 = 1n << 64n;

/** The protobuf varint of a 64-bit value given as its two's-complement unsigned form. */
export function varint64(unsigned: bigint): Uint8Array {
  if (unsigned < 0n || unsigned >= TWO_64) throw new RangeError(`varint64 out of range: ${unsigned}`);
  const out: number[] = [];
  let v = unsigned;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

function toBigInt(value: bigint | number | string): bigint {
  const v = BigInt(value);
  if (v < -(1n << 63n) || v >= TWO_64) throw new RangeError(`64-bit integer out of range: ${v}`);
  return v;
}

// Values up to 2^53 (every sequence, account number, gas figure and time on chain) are written with
// exact number arithmetic, straight into the output: varint64's arrays were ~2 % of what a bank send
// allocates. Larger ones take varint64's bytes.
function varintLength(unsigned: bigint): number {
  return unsigned > MAX_SAFE_BIGINT ? varint64(unsigned).length : uvarintLength(Number(unsigned));
}

function writeVarint(unsigned: bigint, buf: Uint8Array, pos: number): void {
  if (unsigned > MAX_SAFE_BIGINT) buf.set(varint64(unsigned), pos);
  else writeUvarint(Number(unsigned), buf, pos);
}

interface PushingWriter {
  _push(fn: (val: bigint, buf: Uint8Array, pos: number) => void, len: number, val: bigint): BinaryWriter;
}

function pushVarint(writer: BinaryWriter, unsigned: bigint): BinaryWriter {
  return (writer as unknown as PushingWriter)._push(writeVarint, varintLength(unsigned), unsigned);
}

const proto = BinaryWriter.prototype as unknown as Record<'int64' | 'uint64' | 'sint64', (value: bigint | number | string) => BinaryWriter>;
proto.int64 = function int64(this: BinaryWriter, value) {
  return pushVarint(this, BigInt.asUintN(64, toBigInt(value)));
};
proto.uint64 = proto.int64;
proto.sint64 = function sint64(this: BinaryWriter, value) {
  const v = BigInt.asIntN(64, toBigInt(value));
  return pushVarint(this, BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)));
};
