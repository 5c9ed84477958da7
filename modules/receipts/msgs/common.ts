// Shared by the message handlers: address and coin checks.
import type { AddressCodec } from '../../../core/framework/address.ts';
import type { Amount } from '../../../core/framework/coins.ts';
import { validateDenom } from '../../../core/framework/coins.ts';
import type { RegisteredError } from '../../../core/framework/errors.ts';
import { ErrInvalidAddress } from '../../../core/framework/sdk-errors.ts';
import type { Coin } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { parseU128 } from '../../../sdk/bytes.ts';
import { ErrInvalidAmount } from '../errors.ts';

export function decodeAddress(codec: AddressCodec, address: string, role: string): Uint8Array {
  try {
    return codec.decode(address);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`invalid ${role} address: ${(e as Error).message}`);
  }
}

/** A u128 amount written as a decimal string. */
export function parseAmountText(text: string, what: string, error: RegisteredError = ErrInvalidAmount): bigint {
  try {
    return parseU128(text, what);
  } catch (e) {
    throw error.wrap((e as Error).message);
  }
}

/** A positive coin with a u128 amount. */
export function parseCoin(coin: Coin | undefined, what: string, error: RegisteredError = ErrInvalidAmount): Amount {
  if (coin === undefined) throw error.wrap(`${what} is missing`);
  try {
    validateDenom(coin.denom);
  } catch (e) {
    throw error.wrap(`${what}: ${(e as Error).message}`);
  }
  const amount = parseAmountText(coin.amount, what, error);
  if (amount === 0n) throw error.wrap(`${what} must be positive`);
  return { denom: coin.denom, amount };
}
