// Bech32 addresses. The prefix is chain configuration (from genesis), not a constant, so every
// module encodes and decodes through the codec it is handed.
//
// One address has one text: the lower-case form bech32 encoders emit. Bech32 also decodes the
// all-upper-case form (BIP-173; mixed case is invalid) to the same bytes, and the Cosmos SDK accepts
// it because its state is keyed by bytes. Cairn's records keep addresses as text and compare them as
// text (a batch's operator, a challenge's operator …), so a second spelling of one address would be a
// second identity: it is refused here, where every message, query, genesis file and signed structure
// is decoded (docs/decisions.md, "One spelling per address").
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { createHash } from 'node:crypto';
import { ErrInvalidAddress } from './sdk-errors.ts';
import { toKeyString } from '../store/bytes.ts';

// @scure/base 2 rejects CosmJS's default limit (Infinity); 90 is bech32's own maximum length.
export const BECH32_LIMIT = 90;

/** Addresses (of the codec's own prefix) remembered per direction; past it the cache starts over (hot ones come back at once). */
const CACHED_ADDRESSES = 10_000;

export class AddressCodec {
  readonly prefix: string;
  // A bank send encodes and decodes its two addresses and the fee collector's ~30 times across
  // CheckTx, ReCheckTx and FinalizeBlock (events, keys, ensure): bech32 is pure, so its valid answers
  // are kept. Failures are not cached: they are computed, and thrown, every time.
  readonly #decoded = new Map<string, Uint8Array>();
  readonly #encoded = new Map<string, string>();

  constructor(prefix: string) {
    if (!/^[a-z]{1,20}$/.test(prefix)) throw new RangeError(`invalid bech32 prefix "${prefix}"`);
    this.prefix = prefix;
  }

  get validatorPrefix(): string {
    return `${this.prefix}valoper`;
  }

  encode(bytes: Uint8Array, prefix: string = this.prefix): string {
    if (prefix !== this.prefix) return toBech32(prefix, bytes);
    const key = toKeyString(bytes);
    let text = this.#encoded.get(key);
    if (text === undefined) {
      text = toBech32(prefix, bytes);
      remember(this.#encoded, key, text);
    }
    return text;
  }

  /**
   * Decodes an account address, rejecting any spelling but the canonical lower-case one, other
   * prefixes, and lengths other than 20 or 32 bytes.
   */
  decode(address: string, prefix: string = this.prefix): Uint8Array {
    if (prefix !== this.prefix) return this.#decodeUncached(address, prefix);
    const hit = this.#decoded.get(address);
    if (hit !== undefined) return hit.slice();
    const data = this.#decodeUncached(address, prefix);
    remember(this.#decoded, address, data.slice());
    return data;
  }

  #decodeUncached(address: string, prefix: string): Uint8Array {
    let decoded: { prefix: string; data: Uint8Array };
    try {
      decoded = decodeBech32(address);
    } catch (err) {
      throw ErrInvalidAddress.wrap(`invalid address "${address}": ${(err as Error).message}`);
    }
    if (decoded.prefix !== prefix) {
      throw ErrInvalidAddress.wrap(`invalid Bech32 prefix; expected ${prefix}, got ${decoded.prefix}`);
    }
    if (decoded.data.length !== 20 && decoded.data.length !== 32) {
      throw ErrInvalidAddress.wrap(`address "${address}" has ${decoded.data.length} bytes, expected 20 or 32`);
    }
    return decoded.data;
  }
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHED_ADDRESSES) cache.clear();
  cache.set(key, value);
}

/**
 * A bech32 string's prefix and bytes, for its canonical (lower-case) spelling only. An upper-case
 * spelling is refused with the text to use instead; mixed case is invalid bech32 anyway.
 */
export function decodeBech32(text: string): { prefix: string; data: Uint8Array } {
  const decoded = fromBech32(text, BECH32_LIMIT);
  if (text !== text.toLowerCase()) throw new Error(`upper-case spelling; write it as ${text.toLowerCase()}`);
  return decoded;
}

const moduleAddresses = new Map<string, Uint8Array>();

/** The SDK's legacy module account address: the first 20 bytes of sha256(module name). */
export function moduleAddress(name: string): Uint8Array {
  // Every fee payment names the fee collector: the few module names are hashed once each.
  let address = moduleAddresses.get(name);
  if (address === undefined) {
    address = new Uint8Array(createHash('sha256').update(name).digest().subarray(0, 20));
    if (moduleAddresses.size < 1_000) moduleAddresses.set(name, address);
  }
  return address.slice();
}
