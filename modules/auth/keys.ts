// auth state layout. One byte per collection; addresses are length-prefixed.
import { Params } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { Item, Map, lengthPrefixedBytes, protoCodec, u64Key } from '../../core/framework/collections.ts';

const utf8 = new TextEncoder();

export const MODULE = 'auth';
/** The module account that collects tx fees until distribution pays them out. */
export const FEE_COLLECTOR = 'fee_collector';
export const PREFIX = utf8.encode('auth/');

const key = (b: number): Uint8Array => Uint8Array.of(...PREFIX, b);

/** How an account is stored: the Any (BaseAccount, ModuleAccount or a vesting account), exactly what the Account query returns. */
export const accountCodec = protoCodec(Any);
export const accounts = new Map(key(0x01), lengthPrefixedBytes, accountCodec);
export const nextAccountNumber = new Item(key(0x02), {
  encode: (v: bigint) => u64Key.encode(v),
  decode: (b: Uint8Array) => u64Key.decode(b),
});
export const params = new Item(key(0x03), protoCodec(Params), { keepDecoded: true });
export const bech32Prefix = new Item(key(0x04), {
  encode: (v: string) => utf8.encode(v),
  decode: (b: Uint8Array) => new TextDecoder().decode(b),
});
