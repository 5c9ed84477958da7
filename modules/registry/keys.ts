// registry state layout. One prefix byte per collection under "registry/"; addresses and model ids
// that are followed by another key part are length-prefixed, so byte order is logical order and no
// two collections can overlap. Index values are a single 0x01 byte (the store refuses empty values).
import {
  Attestation,
  GpuCommitment,
  Model,
  Operator,
  Params,
  PayerKey,
  RetiredReceiptKey,
  ServeOffer,
  UnbondingEntry,
} from '../../proto/gen/cairn/registry/v1/types.ts';
import { type Codec, Item, Map, concat, lastStringKey, lengthPrefixedBytes, marker, pairKey, protoCodec, u64Key, u64Value } from '../../core/framework/collections.ts';

export const MODULE = 'registry';
/** The module account holding every bond and unbonding entry. */
export const BONDS_ACCOUNT = 'registry_bonds';

const PREFIX = new TextEncoder().encode('registry/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Raw bytes as the last key part (fixed-length keys such as ed25519 keys and attestation ids). */
export const rawKey: Codec<Uint8Array> = { encode: (v) => v, decode: (b) => b.slice() };
/** A string followed by more key parts: one length byte, then UTF-8. */
export const prefixedString: Codec<string> = {
  encode: (v) => lengthPrefixedBytes.encode(utf8.encode(v)),
  decode: (b) => fromUtf8.decode(lengthPrefixedBytes.decode(b)),
};
const lpLength = (b: Uint8Array): number => 1 + (b[0] ?? 0);
/** A marker value for index entries. */

/** Block time (unix seconds, i64 big-endian + u32 nanos) of the block this state belongs to. */
export interface StoredTime {
  readonly seconds: bigint;
  readonly nanos: number;
}
const timeCodec: Codec<StoredTime> = {
  encode: (t) => {
    const out = new Uint8Array(12);
    const view = new DataView(out.buffer);
    view.setBigInt64(0, t.seconds);
    view.setUint32(8, t.nanos);
    return out;
  },
  decode: (b) => {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { seconds: view.getBigInt64(0), nanos: view.getUint32(8) };
  },
};

export const params = new Item(key(0x01), protoCodec(Params));
export const blockTime = new Item(key(0x02), timeCodec);
/** address → Operator */
export const operators = new Map(key(0x03), lengthPrefixedBytes, protoCodec(Operator));
/** (address, GPU id) → GpuCommitment */
export const gpus = new Map(key(0x04), pairKey(lengthPrefixedBytes, lastStringKey, lpLength), protoCodec(GpuCommitment));
/** (address, retired key) → its validity window */
export const retiredKeys = new Map(key(0x05), pairKey(lengthPrefixedBytes, rawKey, lpLength), protoCodec(RetiredReceiptKey));
/** receipt key → operator address, for current and retired keys: a key belongs to one operator forever. */
export const receiptKeyOwners = new Map(key(0x06), rawKey, { encode: (v: Uint8Array) => v, decode: (b: Uint8Array) => b.slice() });
/** (address, entry id) → UnbondingEntry */
export const unbonding = new Map(key(0x07), pairKey(lengthPrefixedBytes, u64Key, lpLength), protoCodec(UnbondingEntry));
/** (completion height, address, entry id) → marker: the release queue, in height order. */
export const unbondingQueue = new Map(
  key(0x08),
  {
    encode: ([height, address, id]: readonly [bigint, Uint8Array, bigint]) =>
      concat(u64Key.encode(height), lengthPrefixedBytes.encode(address), u64Key.encode(id)),
    decode: (b: Uint8Array): [bigint, Uint8Array, bigint] => {
      const n = lpLength(b.subarray(8));
      return [u64Key.decode(b.subarray(0, 8)), lengthPrefixedBytes.decode(b.subarray(8)).slice(), u64Key.decode(b.subarray(8 + n))];
    },
  },
  marker,
);
export const nextUnbondingId = new Item(key(0x09), u64Value);
/** model id → Model */
export const models = new Map(key(0x0a), lastStringKey, protoCodec(Model));
/** content hash → model id: one registration per set of weights. */
export const contentHashes = new Map(key(0x0b), lastStringKey, { encode: (v: string) => utf8.encode(v), decode: (b: Uint8Array) => fromUtf8.decode(b) });
/** (base model id, adapter id) → marker */
export const adapters = new Map(key(0x0c), pairKey(prefixedString, lastStringKey, lpLength), marker);
/** (family id, version) → model id */
export const versions = new Map(key(0x0d), pairKey(prefixedString, u64Key, lpLength), {
  encode: (v: string) => utf8.encode(v),
  decode: (b: Uint8Array) => fromUtf8.decode(b),
});
/** (operator address, model id) → ServeOffer */
export const serves = new Map(key(0x0e), pairKey(lengthPrefixedBytes, lastStringKey, lpLength), protoCodec(ServeOffer));
/** (model id, operator address) → marker: who serves a model. */
export const servers = new Map(key(0x0f), pairKey(prefixedString, rawKey, lpLength), marker);
/** (payer address, ed25519 key) → PayerKey (revoked keys stay, so old receipts still verify). */
export const payerKeys = new Map(key(0x10), pairKey(lengthPrefixedBytes, rawKey, lpLength), protoCodec(PayerKey));
/** attestation id → Attestation (kept after expiry or replacement, as evidence). */
export const attestations = new Map(key(0x11), rawKey, protoCodec(Attestation));
/** (operator address, GPU id) → id of the GPU's current attestation */
export const currentAttestations = new Map(key(0x12), pairKey(lengthPrefixedBytes, lastStringKey, lpLength), {
  encode: (v: Uint8Array) => v,
  decode: (b: Uint8Array) => b.slice(),
});
/** sha256(attestation sign-bytes ‖ operator address) → marker: forged-attestation evidence already punished. */
export const forgedEvidence = new Map(key(0x13), rawKey, marker);

/** Every collection's prefix, for the collision test and the state-dump helpers. */
export const ALL_PREFIXES: readonly Uint8Array[] = [
  params.key,
  blockTime.key,
  operators.prefix,
  gpus.prefix,
  retiredKeys.prefix,
  receiptKeyOwners.prefix,
  unbonding.prefix,
  unbondingQueue.prefix,
  nextUnbondingId.key,
  models.prefix,
  contentHashes.prefix,
  adapters.prefix,
  versions.prefix,
  serves.prefix,
  servers.prefix,
  payerKeys.prefix,
  attestations.prefix,
  currentAttestations.prefix,
  forgedEvidence.prefix,
];
export const STATE_PREFIX = PREFIX;

/** The key prefix of everything an address owns in a (length-prefixed address, …) collection. */
export function addressPrefix(address: Uint8Array): Uint8Array {
  return lengthPrefixedBytes.encode(address);
}
