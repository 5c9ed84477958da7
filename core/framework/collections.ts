// Typed views over a module's key prefix. Keys are big-endian or length-prefixed so that byte order
// is logical order and no two collections can collide (each module declares its prefixes in keys.ts).
// Loaded for its effect: every 64-bit integer that cosmjs-types encodes round-trips.
import '../../proto/cosmjs-int64.ts';
import '../../proto/cosmjs-alloc.ts';
import '../../proto/cosmjs-utf8.ts';
import { isAscii, writeLatin1 } from '../../proto/wire.ts';
import { EMPTY, concatBytes, equalBytes, toKeyString } from '../store/bytes.ts';
import { StoreCorruptionError } from '../store/errors.ts';
import type { KVRead, KVStore } from '../store/types.ts';

export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
  /**
   * Key codecs: the length of encode(value), or undefined when it is not known without encoding it.
   * With writeAt, a state key is built in one array with its prefix (every state read and write
   * builds one; each Uint8Array is ~150 bytes of garbage, whatever its length).
   */
  sizeOf?(value: T): number | undefined;
  /** Writes encode(value) into `out` at `offset`, where sizeOf(value) bytes are free. */
  writeAt?(value: T, out: Uint8Array, offset: number): void;
}

/** `prefix ‖ encode(value)`, in one array when the codec can tell its size. */
function encodeAfter<T>(codec: Codec<T>, prefix: Uint8Array, value: T): Uint8Array {
  const size = codec.writeAt === undefined ? undefined : codec.sizeOf?.(value);
  if (size === undefined) return concatBytes(prefix, codec.encode(value));
  const out = new Uint8Array(prefix.length + size);
  out.set(prefix);
  codec.writeAt!(value, out, prefix.length);
  return out;
}

interface ProtoType<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

// A message whose fields are all defaults encodes to no bytes, but the store has no empty values
// (absence means "no value"). Such a message is stored as the single byte 0x00, which no protobuf
// message encodes to (field number 0 does not exist).
const EMPTY_MESSAGE = Uint8Array.of(0);

/**
 * A protobuf type stored as its canonical bytes. Every write is checked to decode, so an encoder
 * fault (see proto/cosmjs-int64.ts) fails the write that would have stored it instead of leaving
 * state that every later read, and so the chain, chokes on. (Decoding costs about half an encode;
 * comparing a re-encoding too would double the cost of every write for no failure seen.) A read
 * that does not decode is the store's fault, not the caller's: it throws StoreCorruptionError.
 */
export function protoCodec<T>(type: ProtoType<T>): Codec<T> {
  const decode = (b: Uint8Array): T => type.decode(b.length === 1 && b[0] === 0 ? new Uint8Array() : b);
  return {
    encode: (v) => {
      const raw = type.encode(v).finish();
      const bytes = raw.length === 0 ? EMPTY_MESSAGE : raw;
      try {
        decode(bytes);
      } catch (err) {
        throw new Error(`refusing to store a value that does not decode back: ${(err as Error).message}`, { cause: err });
      }
      return bytes;
    },
    decode: (b) => {
      try {
        return decode(b);
      } catch (err) {
        throw new StoreCorruptionError(`stored value does not decode: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

// Amounts and denoms are ASCII, whose UTF-8 is one byte per char. TextEncoder returns each result in
// a new ArrayBuffer outside V8's heap (~1 KiB of the collector's work per balance write, two to four
// writes per bank send per pass), so ASCII is copied by hand into a small on-heap array instead; any
// other string, and any other bytes, take the encoder's and decoder's path as before.
function utf8Bytes(s: string): Uint8Array {
  if (!isAscii(s)) return utf8.encode(s);
  const out = new Uint8Array(s.length);
  writeLatin1(s, out, 0);
  return out;
}

function utf8Text(b: Uint8Array): string {
  for (let i = 0; i < b.length; i++) if ((b[i] as number) > 0x7f) return fromUtf8.decode(b);
  return toKeyString(b);
}

/** Non-negative integer amounts stored as decimal strings, as the SDK stores math.Int. */
export const uintValue: Codec<bigint> = {
  encode: (v) => {
    if (v < 0n) throw new RangeError('negative amount cannot be stored');
    return utf8Bytes(v.toString());
  },
  decode: (b) => BigInt(utf8Text(b)),
};

export const u64Key: Codec<bigint> = {
  encode: (v) => {
    if (v < 0n || v >= 2n ** 64n) throw new RangeError(`u64 key out of range: ${v}`);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, v);
    return out;
  },
  decode: (b) => new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0),
};

/** Bytes preceded by their length (one byte), like the SDK's address.MustLengthPrefix. */
export const lengthPrefixedBytes: Codec<Uint8Array> = {
  encode: (v) => encodeAfter(lengthPrefixedBytes, EMPTY, v),
  decode: (b) => b.subarray(1, 1 + (b[0] ?? 0)),
  sizeOf: (v) => {
    if (v.length > 255) throw new RangeError('length-prefixed key component longer than 255 bytes');
    return 1 + v.length;
  },
  writeAt: (v, out, offset) => {
    out[offset] = v.length;
    out.set(v, offset + 1);
  },
};

/** A string as the last component of a key: raw UTF-8, so keys sort by the string. */
export const lastStringKey: Codec<string> = {
  encode: utf8Bytes,
  decode: utf8Text,
  // ASCII's UTF-8 is its char codes; other strings go through the encoder.
  sizeOf: (v) => (isAscii(v) ? v.length : undefined),
  writeAt: (v, out, offset) => void writeLatin1(v, out, offset),
};

/** Byte concatenation for building keys (the store's own helper, re-exported for modules). */
/** A present/absent marker for index entries (the store refuses empty values). */
export const marker: Codec<true> = { encode: () => Uint8Array.of(1), decode: () => true };

/** A u64 value, big-endian as the keys. */
export const u64Value: Codec<bigint> = u64Key;

export const concat = concatBytes;

/** Freezes a decoded value and everything in it but its byte arrays (which cannot be frozen). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/** A single value under a fixed key. */
export class Item<T> {
  readonly key: Uint8Array;
  readonly #codec: Codec<T>;
  // `keepDecoded`, for items every tx reads (the params): decoding a protobuf message per tx and pass
  // was ~3 % of what a bank send allocates. Decoding is pure in the bytes, so the last stored bytes
  // keep their decoded value; values are frozen, kept or not, so no reader can change one for the next.
  readonly #keep: boolean;
  #last: { readonly bytes: Uint8Array; readonly value: T } | undefined;

  constructor(key: Uint8Array, codec: Codec<T>, opts: { readonly keepDecoded?: boolean } = {}) {
    this.key = key;
    this.#codec = codec;
    this.#keep = opts.keepDecoded === true;
  }

  get(store: KVRead): Promise<T | undefined> {
    // No async frame (see GasKVStore.get), a throw still a rejection.
    try {
      return store.get(this.key).then((raw) => (raw === undefined ? undefined : this.#decoded(raw)));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #decoded(raw: Uint8Array): T {
    if (!this.#keep) return this.#codec.decode(raw);
    const last = this.#last;
    if (last !== undefined && equalBytes(last.bytes, raw)) return last.value;
    const value = deepFreeze(this.#codec.decode(raw));
    this.#last = { bytes: raw.slice(), value };
    return value;
  }

  set(store: KVStore, value: T): void {
    store.set(this.key, this.#codec.encode(value));
  }
}

/** Values under `prefix || encode(key)`. */
export class Map<K, V> {
  readonly prefix: Uint8Array;
  readonly #key: Codec<K>;
  readonly #value: Codec<V>;

  constructor(prefix: Uint8Array, key: Codec<K>, value: Codec<V>) {
    this.prefix = prefix;
    this.#key = key;
    this.#value = value;
  }

  storeKey(key: K): Uint8Array {
    return encodeAfter(this.#key, this.prefix, key);
  }

  get(store: KVRead, key: K): Promise<V | undefined> {
    // No async frame (see GasKVStore.get), a throw still a rejection.
    try {
      return this.getAt(store, this.storeKey(key));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  set(store: KVStore, key: K, value: V): void {
    this.setAt(store, this.storeKey(key), value);
  }

  delete(store: KVStore, key: K): void {
    store.delete(this.storeKey(key));
  }

  // By a state key from storeKey(): a caller that reads an entry and then writes it (a balance
  // update) builds the key once. The store copies keys it keeps, so one key serves both.
  getAt(store: KVRead, storeKey: Uint8Array): Promise<V | undefined> {
    return store.get(storeKey).then((raw) => (raw === undefined ? undefined : this.#value.decode(raw)));
  }

  setAt(store: KVStore, storeKey: Uint8Array, value: V): void {
    store.set(storeKey, this.#value.encode(value));
  }

  /** Entries in key order; `subPrefix` narrows to keys whose encoding starts with it. */
  async *entries(
    store: KVRead,
    opts: { subPrefix?: Uint8Array; start?: Uint8Array; reverse?: boolean; limit?: number } = {},
  ): AsyncIterable<[K, V]> {
    const prefix = opts.subPrefix === undefined ? this.prefix : concat(this.prefix, opts.subPrefix);
    const range = {
      prefix,
      ...(opts.start === undefined ? {} : { start: concat(this.prefix, opts.start) }),
      ...(opts.reverse === undefined ? {} : { reverse: opts.reverse }),
      ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    };
    for await (const [k, v] of store.iterate(range)) {
      yield [this.#key.decode(k.subarray(this.prefix.length)), this.#value.decode(v)];
    }
  }
}

/** Composite key: a length-prefixed first part, then the second part as-is. */
export function pairKey<A, B>(first: Codec<A>, second: Codec<B>, firstLength: (bytes: Uint8Array) => number): Codec<[A, B]> {
  return {
    encode: ([a, b]) => encodeAfter(second, first.encode(a), b),
    sizeOf: ([a, b]) => {
      if (first.writeAt === undefined || second.writeAt === undefined) return undefined;
      const n = first.sizeOf?.(a);
      const m = n === undefined ? undefined : second.sizeOf?.(b);
      return n === undefined || m === undefined ? undefined : n + m;
    },
    writeAt: ([a, b], out, offset) => {
      first.writeAt!(a, out, offset);
      second.writeAt!(b, out, offset + first.sizeOf!(a)!);
    },
    decode: (bytes) => {
      const n = firstLength(bytes);
      return [first.decode(bytes.subarray(0, n)), second.decode(bytes.subarray(n))];
    },
  };
}
