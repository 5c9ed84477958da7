// feegrant state layout under "feegrant/": grants by (grantee, granter), both length-prefixed, so a
// grantee's allowances are one prefix scan (the Allowances query) as in the SDK.
import { Grant } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import { Map, lengthPrefixedBytes, pairKey, protoCodec } from '../../core/framework/collections.ts';

export const MODULE = 'feegrant';
const PREFIX = new TextEncoder().encode('feegrant/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);

const lpLength = (b: Uint8Array): number => 1 + (b[0] ?? 0);

/** (grantee, granter) → Grant (granter, grantee and the allowance as an Any). */
export const grants = new Map(key(0x00), pairKey(lengthPrefixedBytes, lengthPrefixedBytes, lpLength), protoCodec(Grant));
