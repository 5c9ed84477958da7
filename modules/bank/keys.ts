// bank state layout: balances by (length-prefixed address, denom), supply by denom, metadata by denom.
import { Metadata, Params } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { Item, Map, lastStringKey, lengthPrefixedBytes, pairKey, protoCodec, uintValue } from '../../core/framework/collections.ts';

export const MODULE = 'bank';
const PREFIX = new TextEncoder().encode('bank/');
const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);

export const supply = new Map(key(0x00), lastStringKey, uintValue);
export const denomMetadata = new Map(key(0x01), lastStringKey, protoCodec(Metadata));
export const balances = new Map(key(0x02), pairKey(lengthPrefixedBytes, lastStringKey, (b) => 1 + (b[0] ?? 0)), uintValue);
export const params = new Item(key(0x05), protoCodec(Params), { keepDecoded: true });
