// Every 64-bit integer must survive encode → decode in the types we store and return: the int64,
// uint64 and sint64 writers of cosmjs-types (as patched by cosmjs-int64.ts) and the @bufbuild writer
// behind our generated code, over both full ranges, with the bytes the protobuf spec defines.
import { BinaryWriter as BufWriter, BinaryReader as BufReader } from '@bufbuild/protobuf/wire';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { UnbondingDelegation } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Params as ReceiptsParams } from './gen/cairn/receipts/v1/types.ts';
import { varint64 } from './cosmjs-int64.ts';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

// The word and byte boundaries where varint lengths change (every power of two and its neighbours),
// where the old writer went wrong; fast-check adds values from the whole range on every run.
function boundaries(signed: boolean): bigint[] {
  const lo = signed ? INT64_MIN : 0n;
  const hi = signed ? INT64_MAX : UINT64_MAX;
  const out: bigint[] = [];
  for (let bit = 0n; bit <= 64n; bit++) {
    for (const d of [-1n, 0n, 1n]) for (const v of [(1n << bit) + d, -(1n << bit) + d]) if (v >= lo && v <= hi) out.push(v);
  }
  return out;
}

const int64s = fc.oneof(fc.constantFrom(...boundaries(true)), fc.bigInt(INT64_MIN, INT64_MAX));
const uint64s = fc.oneof(fc.constantFrom(...boundaries(false)), fc.bigInt(0n, UINT64_MAX));
const RUNS = { numRuns: 5000 };

describe('64-bit integers round-trip through every writer we encode state with', () => {
  it('cosmjs-types int64 and sint64 over the full signed range, with the spec bytes', () => {
    fc.assert(fc.property(int64s, (v) => {
      const bytes = new BinaryWriter().int64(v).sint64(v).finish();
      const reader = new BinaryReader(bytes);
      expect(reader.int64()).toBe(v);
      expect(reader.sint64()).toBe(v);
      expect(reader.pos).toBe(bytes.length);
      expect(bytes.subarray(0, varint64(BigInt.asUintN(64, v)).length)).toEqual(varint64(BigInt.asUintN(64, v)));
    }), RUNS);
  });

  it('cosmjs-types uint64 over the full unsigned range', () => {
    fc.assert(fc.property(uint64s, (v) => {
      const bytes = new BinaryWriter().uint64(v).finish();
      expect(new BinaryReader(bytes).uint64()).toBe(v);
      expect(bytes).toEqual(varint64(v));
    }), RUNS);
  });

  it('the generated (@bufbuild) writer over both full ranges', () => {
    fc.assert(fc.property(int64s, (v) => {
      const reader = new BufReader(new BufWriter().int64(v).sint64(v).finish());
      expect([reader.int64(), reader.sint64()]).toEqual([v, v]);
    }), RUNS);
    fc.assert(fc.property(uint64s, (v) => {
      expect(new BufReader(new BufWriter().uint64(v).finish()).uint64()).toBe(v);
    }), RUNS);
  });

  it('stored types with 64-bit fields: a Timestamp after 2038, an unbonding entry, receipts params', () => {
    for (const seconds of [2n ** 31n, 2n ** 31n + 5n, 2n ** 32n - 1n, 253402300799n]) {
      expect(Timestamp.decode(Timestamp.encode({ seconds, nanos: 1 }).finish()).seconds).toBe(seconds);
      const ubd = {
        delegatorAddress: 'a',
        validatorAddress: 'b',
        entries: [{ creationHeight: seconds, completionTime: { seconds, nanos: 7 }, initialBalance: '1', balance: '1', unbondingId: seconds, unbondingOnHoldRefCount: -seconds }],
      };
      expect(UnbondingDelegation.decode(UnbondingDelegation.encode(ubd).finish())).toEqual(ubd);
    }
    const params = ReceiptsParams.fromPartial({ epochBlocks: UINT64_MAX, disputeWindowBlocks: 2n ** 31n });
    expect(ReceiptsParams.decode(ReceiptsParams.encode(params).finish())).toEqual(params);
  });

  it('refuses values outside 64 bits instead of truncating them', () => {
    expect(() => new BinaryWriter().uint64(UINT64_MAX + 1n)).toThrow(RangeError);
    expect(() => new BinaryWriter().int64(INT64_MIN - 1n)).toThrow(RangeError);
  });
});
