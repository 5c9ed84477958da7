// Who may change the Cosmos modules' params (auth, bank, staking, slashing, distribution): one
// account, fixed when the app is built, as the SDK's app wiring hands each keeper its authority. On a
// real chain it is the gov module account, the same account Cairn's own modules default their
// params.authority to, so every param changes by governance.
import { type AddressCodec, moduleAddress } from './address.ts';
import { AppError, registerError } from './errors.ts';
import { ErrInvalidRequest } from './sdk-errors.ts';

export const GOV_MODULE = 'gov';

/** The gov module account: the default params authority of every module. */
export function govAccount(): Uint8Array {
  return moduleAddress(GOV_MODULE);
}

// x/gov/types/errors.go: the code each SDK module's UpdateParams refuses any other signer with. The
// gov codespace's other codes belong with a gov module; this one is shared by every module.
export const ErrInvalidSigner = registerError(GOV_MODULE, 13, 'expected gov account as only signer for proposal message');

/** Throws ErrInvalidSigner unless `signer` (a MsgUpdateParams' authority) is `authority`. */
export function requireAuthority(addresses: AddressCodec, authority: Uint8Array, signer: string): void {
  const expected = addresses.encode(authority);
  if (signer !== expected) throw ErrInvalidSigner.wrap(`invalid authority; expected ${expected}, got ${signer}`);
}

/**
 * Runs a module's params check (the one its genesis runs) on a MsgUpdateParams' set. The SDK's
 * Params.Validate errors are unregistered (code 1, log hidden); Cairn answers sdk/18 "invalid
 * request" with the check's own words, so the proposer can see which field is wrong.
 */
export function checkNewParams(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof AppError) throw err; // already a registered code (e.g. an unparsable decimal)
    throw ErrInvalidRequest.wrap(`invalid params: ${(err as Error).message}`);
  }
}
