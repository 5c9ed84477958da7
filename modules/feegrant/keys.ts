// feegrant state layout under "feegrant/": grants by (grantee, granter), both length-prefixed, so a
// grantee's allowances are one prefix scan (the Allowances query) as in the SDK.
import { Grant } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import { Map, lengthPrefixedBytes, marker, pairKey, protoCodec } from '../../core/framework/collections.ts';

export const MODULE = 'feegrant';
const PREFIX = new TextEncoder().encode('feegrant/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);

const lpLength = (b: Uint8Array): number => 1 + (b[0] ?? 0);

/** (grantee, granter) → Grant (granter, grantee and the allowance as an Any). */
export const grants = new Map(key(0x00), pairKey(lengthPrefixedBytes, lengthPrefixedBytes, lpLength), protoCodec(Grant));

/** An expiration as a key part: seconds (u64) then nanos (u32), big-endian, so keys sort by time. */
const timeKey = {
  encode: (t: { seconds: bigint; nanos: number }): Uint8Array => {
    const out = new Uint8Array(12);
    const view = new DataView(out.buffer);
    view.setBigUint64(0, t.seconds);
    view.setUint32(8, t.nanos);
    return out;
  },
  decode: (b: Uint8Array): { seconds: bigint; nanos: number } => {
    const view = new DataView(b.buffer, b.byteOffset, 12);
    return { seconds: view.getBigUint64(0), nanos: view.getUint32(8) };
  },
};

/** (expiration, (grantee, granter)) → marker: allowances MsgPruneAllowances may delete once expired. */
export const expiryQueue = new Map(key(0x01), pairKey(timeKey, pairKey(lengthPrefixedBytes, lengthPrefixedBytes, lpLength), () => 12), marker);
