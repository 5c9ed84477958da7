// authz state layout under "authz/": grants by (granter, grantee, message type URL), addresses
// length-prefixed, so a granter's grants and a (granter, grantee) pair's grants are prefix scans.
import { Grant } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import { Map, concat, lastStringKey, lengthPrefixedBytes, pairKey, protoCodec } from '../../core/framework/collections.ts';

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
