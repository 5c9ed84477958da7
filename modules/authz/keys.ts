// authz state layout under "authz/": grants by (granter, grantee, message type URL), addresses
// length-prefixed, so a granter's grants and a (granter, grantee) pair's grants are prefix scans;
// and the expiry queue, by expiration time, that the begin block prunes.
import { Grant } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import { Map, concat, lastStringKey, lengthPrefixedBytes, marker, pairKey, protoCodec } from '../../core/framework/collections.ts';

export const MODULE = 'authz';
const PREFIX = new TextEncoder().encode('authz/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);

const lp = lengthPrefixedBytes;
const lpLength = (b: Uint8Array): number => 1 + (b[0] ?? 0);

/** (granter, (grantee, msg type URL)) → Grant (the authorization and its expiration). */
export const grants = new Map(key(0x01), pairKey(lp, pairKey(lp, lastStringKey, lpLength), lpLength), protoCodec(Grant));

/** The key prefix of every grant of `granter` (to `grantee`, when given). */
export function grantsPrefix(granter: Uint8Array, grantee?: Uint8Array): Uint8Array {
  return concat(grants.prefix, lp.encode(granter), grantee === undefined ? new Uint8Array() : lp.encode(grantee));
}

/** An expiration as a key part: seconds (u64) then nanos (u32), big-endian, so keys sort by time. */
export const timeKey = {
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

/** (expiration, (granter, (grantee, msg type URL))) → marker: the grants to delete once their time has come. */
export const expiryQueue = new Map(key(0x02), pairKey(timeKey, pairKey(lp, pairKey(lp, lastStringKey, lpLength), lpLength), () => 12), marker);
