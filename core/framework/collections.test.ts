import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Map as StoreMap, lastStringKey, lengthPrefixedBytes, pairKey, protoCodec, u64Key, uintValue } from './collections.ts';
import { StoreCorruptionError } from '../store/errors.ts';
import { branch } from '../store/branch.ts';
import { CommitStore } from '../store/commit-store.ts';

const compare = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('state keys', () => {
  it('encode u64 keys so that byte order is numeric order', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (a, b) => {
        expect(Math.sign(compare(u64Key.encode(a), u64Key.encode(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(u64Key.decode(u64Key.encode(a))).toBe(a);
      }),
    );
  });

  it('round-trip (address, denom) pairs and keep one address\'s keys under its own prefix', () => {
    const key = pairKey(lengthPrefixedBytes, lastStringKey, (b) => 1 + (b[0] ?? 0));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.string({ minLength: 1 }), (a, b, denom) => {
        const encoded = key.encode([a, denom]);
        const [addr, d] = key.decode(encoded);
        expect(Buffer.from(addr).equals(Buffer.from(a))).toBe(true);
        expect(d).toBe(denom);
        // a different address never shares the first address's prefix
        if (!Buffer.from(a).equals(Buffer.from(b))) {
          const prefix = lengthPrefixedBytes.encode(a);
          expect(Buffer.from(key.encode([b, denom]).subarray(0, prefix.length)).equals(Buffer.from(prefix))).toBe(false);
        }
      }),
    );
  });

  it('build a map\'s state key as its prefix followed by the encoded key', () => {
    const key = pairKey(lengthPrefixedBytes, lastStringKey, (b) => 1 + (b[0] ?? 0));
    const byPair = new StoreMap(Uint8Array.of(7, 2), key, uintValue);
    const byString = new StoreMap(Uint8Array.of(7, 0), lastStringKey, uintValue);
    const byAddress = new StoreMap(Uint8Array.of(7, 1), lengthPrefixedBytes, uintValue);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 255 }), fc.string({ unit: 'binary' }), (address, denom) => {
        const utf8 = Buffer.from(denom, 'utf8');
        const lp = Buffer.concat([Buffer.of(address.length), address]);
        expect(Buffer.from(byPair.storeKey([address, denom])).equals(Buffer.concat([Buffer.of(7, 2), lp, utf8]))).toBe(true);
        expect(Buffer.from(key.encode([address, denom])).equals(Buffer.concat([lp, utf8]))).toBe(true);
        expect(Buffer.from(byString.storeKey(denom)).equals(Buffer.concat([Buffer.of(7, 0), utf8]))).toBe(true);
        expect(Buffer.from(byAddress.storeKey(address)).equals(Buffer.concat([Buffer.of(7, 1), lp]))).toBe(true);
      }),
    );
    expect(() => byAddress.storeKey(new Uint8Array(256))).toThrow(RangeError);
  });

  it('store strings and amounts as their UTF-8, whatever the characters', () => {
    const utf8 = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.bigInt({ min: 0n, max: 2n ** 256n }), (text, amount) => {
        expect(Buffer.from(lastStringKey.encode(text)).equals(Buffer.from(utf8.encode(text)))).toBe(true);
        expect(lastStringKey.decode(utf8.encode(text))).toBe(new TextDecoder().decode(utf8.encode(text)));
        expect(Buffer.from(uintValue.encode(amount)).toString()).toBe(amount.toString());
        expect(uintValue.decode(uintValue.encode(amount))).toBe(amount);
      }),
    );
    expect(() => lastStringKey.decode(Uint8Array.of(0x61, 0xff))).toThrow();
  });

  it('iterate a typed map in key order and only within its prefix', async () => {
    const store = await CommitStore.memory();
    const s = branch(store.working);
    const m = new StoreMap(Uint8Array.of(1), u64Key, uintValue);
    const other = new StoreMap(Uint8Array.of(2), u64Key, uintValue);
    for (const n of [5n, 1n, 300n, 2n ** 40n]) m.set(s, n, n * 2n);
    other.set(s, 3n, 9n);
    const seen: bigint[] = [];
    for await (const [k, v] of m.entries(s)) {
      expect(v).toBe(k * 2n);
      seen.push(k);
    }
    expect(seen).toEqual([1n, 5n, 300n, 2n ** 40n]);
  });
});

describe('stored protobuf values', () => {
  // A type whose encoder writes what its decoder cannot read back, as cosmjs-types 0.11 did for
  // int64s in [2^31, 2^32) before proto/cosmjs-int64.ts.
  const broken = {
    encode: (v: { n: number }) => ({ finish: () => Uint8Array.from(v.n > 1 ? [0x08, 0xff] : [0x08, v.n]) }),
    decode: (b: Uint8Array) => {
      if (b.length > 1 && b[1]! > 0x7f) throw new RangeError('index out of range');
      return { n: b[1] ?? 0 };
    },
  };

  it('refuses to write a value that does not decode back, so corrupt state is never stored', () => {
    const codec = protoCodec(broken);
    expect(codec.decode(codec.encode({ n: 1 }))).toEqual({ n: 1 });
    expect(() => codec.encode({ n: 2 })).toThrow(/does not decode back: index out of range/);
  });

  it('reports stored bytes that do not decode as store corruption', () => {
    expect(() => protoCodec(broken).decode(Uint8Array.from([0x08, 0xff]))).toThrow(StoreCorruptionError);
  });
});
