import type { AddressCodec } from '../../core/framework/address.ts';
import { ErrInvalidSigner } from './errors.ts';

/** The SDK 0.50's x/upgrade check, with its own code (upgrade/6) and words. */
export function requireUpgradeAuthority(addresses: AddressCodec, authority: Uint8Array, signer: string): void {
  const expected = addresses.encode(authority);
  if (signer !== expected) throw ErrInvalidSigner.wrap(`expected ${expected} got ${signer}`);
}
