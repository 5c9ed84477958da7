// distribution state layout under "distribution/": the F1 records per validator (current period and
// its rewards, historical cumulative reward ratios by period, outstanding rewards, commission, slash
// events) and per delegation (starting info), the community pool, withdraw addresses.
import {
  DelegatorStartingInfo,
  FeePool,
  Params,
  ValidatorAccumulatedCommission,
  ValidatorCurrentRewards,
  ValidatorHistoricalRewards,
  ValidatorOutstandingRewards,
  ValidatorSlashEvent,
} from 'cosmjs-types/cosmos/distribution/v1beta1/distribution';
import { type Codec, Item, Map, lengthPrefixedBytes, pairKey, protoCodec, u64Key } from '../../core/framework/collections.ts';

/** A protobuf value behind a one-byte tag, so that an empty message (no rewards yet) is storable. */
function boxed<T>(type: Parameters<typeof protoCodec<T>>[0]): Codec<T> {
  const inner = protoCodec(type);
  return {
    encode: (v) => Uint8Array.of(1, ...inner.encode(v)),
    decode: (b) => inner.decode(b.subarray(1)),
  };
}

export const MODULE = 'distribution';

const PREFIX = new TextEncoder().encode('distribution/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);
const lp = lengthPrefixedBytes;
const lpLength = (b: Uint8Array): number => 1 + (b[0] ?? 0);
const raw = { encode: (v: Uint8Array) => v, decode: (b: Uint8Array) => b };

export const params = new Item(key(0x01), boxed(Params));
export const feePool = new Item(key(0x02), boxed(FeePool));
/** delegator → withdraw address (absent: the delegator itself). */
export const withdrawAddrs = new Map(key(0x03), lp, raw);
export const outstanding = new Map(key(0x10), lp, boxed(ValidatorOutstandingRewards));
export const commission = new Map(key(0x11), lp, boxed(ValidatorAccumulatedCommission));
export const currentRewards = new Map(key(0x12), lp, boxed(ValidatorCurrentRewards));
/** (operator, period) → cumulative reward ratio up to that period, with a reference count. */
export const historicalRewards = new Map(key(0x13), pairKey(lp, u64Key, lpLength), boxed(ValidatorHistoricalRewards));
/** (operator, delegator) → where the delegation's reward accounting starts. */
export const startingInfo = new Map(key(0x14), pairKey(lp, lp, lpLength), boxed(DelegatorStartingInfo));
/** (operator, (height, period)) → the fraction slashed then. */
export const slashEvents = new Map(key(0x15), pairKey(lp, pairKey(u64Key, u64Key, () => 8), lpLength), boxed(ValidatorSlashEvent));
