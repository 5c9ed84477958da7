// State the app itself owns (not a module): facts fixed at InitChain that a restarted node needs.
import { Item } from '../core/framework/collections.ts';

const utf8 = new TextEncoder();

export const chainId = new Item(utf8.encode('app/chain_id'), {
  encode: (v: string) => utf8.encode(v),
  decode: (b: Uint8Array) => new TextDecoder().decode(b),
});
