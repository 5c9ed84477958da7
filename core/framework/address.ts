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

// @scure/base 2 rejects CosmJS's default limit (Infinity); 90 is bech32's own maximum length.
export const BECH32_LIMIT = 90;

export class AddressCodec {
  readonly prefix: string;

  constructor(prefix: string) {
    if (!/^[a-z]{1,20}$/.test(prefix)) throw new RangeError(`invalid bech32 prefix "${prefix}"`);
    this.prefix = prefix;
  }

  get validatorPrefix(): string {
    return `${this.prefix}valoper`;
  }

  encode(bytes: Uint8Array, prefix: string = this.prefix): string {
    return toBech32(prefix, bytes);
  }

  /**
   * Decodes an account address, rejecting any spelling but the canonical lower-case one, other
   * prefixes, and lengths other than 20 or 32 bytes.
   */
  decode(address: string, prefix: string = this.prefix): Uint8Array {
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

/**
 * A bech32 string's prefix and bytes, for its canonical (lower-case) spelling only. An upper-case
 * spelling is refused with the text to use instead; mixed case is invalid bech32 anyway.
 */
export function decodeBech32(text: string): { prefix: string; data: Uint8Array } {
  const decoded = fromBech32(text, BECH32_LIMIT);
  if (text !== text.toLowerCase()) throw new Error(`upper-case spelling; write it as ${text.toLowerCase()}`);
  return decoded;
}

/** The SDK's legacy module account address: the first 20 bytes of sha256(module name). */
export function moduleAddress(name: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(name).digest().subarray(0, 20));
}
