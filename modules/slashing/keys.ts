// slashing state layout under "slashing/": signing records per consensus address, the missed-block
// bits of each one's sliding window, and the evidence already acted on (by height and hash, so old
// entries can be dropped once evidence that old would be ignored anyway).
import { Params, ValidatorSigningInfo } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import { Item, Map, lengthPrefixedBytes, marker, pairKey, protoCodec, u64Key, u64Value } from '../../core/framework/collections.ts';

export const MODULE = 'slashing';

const PREFIX = new TextEncoder().encode('slashing/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);
const lp = lengthPrefixedBytes;
const raw = { encode: (v: Uint8Array) => v, decode: (b: Uint8Array) => b };

export const params = new Item(key(0x01), protoCodec(Params));
/** Evidence older than this many blocks is ignored (CometBFT's own default max_age_num_blocks). */
export const maxEvidenceAge = new Item(key(0x02), u64Value);
/** consensus address → signing record (start height, window offset, missed count, jail, tombstone). */
export const signingInfos = new Map(key(0x10), lp, protoCodec(ValidatorSigningInfo));
/** (consensus address, index in the window) → present if that block was missed. */
export const missedBlocks = new Map(key(0x11), pairKey(lp, u64Key, (b) => 1 + (b[0] ?? 0)), marker);
/** (evidence height, sha256 of the Misbehavior) → present once handled. */
export const processedEvidence = new Map(key(0x12), pairKey(u64Key, raw, () => 8), marker);
