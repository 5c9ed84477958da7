// Bech32 addresses. The prefix is chain configuration (from genesis), not a constant, so every
// module encodes and decodes through the codec it is handed.
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

  /** Decodes an account address, rejecting other prefixes and lengths other than 20 or 32 bytes. */
  decode(address: string, prefix: string = this.prefix): Uint8Array {
    let decoded: { prefix: string; data: Uint8Array };
    try {
      decoded = fromBech32(address, BECH32_LIMIT);
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

/** The SDK's legacy module account address: the first 20 bytes of sha256(module name). */
export function moduleAddress(name: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(name).digest().subarray(0, 20));
}
