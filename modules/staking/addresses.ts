// Validator identities: operator addresses (bech32 "<prefix>valoper1…" over the operator account's
// bytes) and consensus keys (ed25519; the consensus address is sha256(pubkey)[:20], as in CometBFT).
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { CONSENSUS_PUBKEY_TYPE_URL } from '../../sdk/staking/messages.ts';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { toBech32 } from '@cosmjs/encoding';
import { type AddressCodec, BECH32_LIMIT, decodeBech32 } from '../../core/framework/address.ts';
import { sha256 } from '../../core/crypto/hash.ts';
import { ErrInvalidAddress, ErrInvalidPubKey } from '../../core/framework/sdk-errors.ts';
import { ErrEmptyValidatorAddr, ErrValidatorPubKeyTypeNotSupported } from './errors.ts';


export function decodeValoper(addresses: AddressCodec, address: string): Uint8Array {
  if (address === '') throw ErrEmptyValidatorAddr.wrap('validator address is required');
  try {
    return addresses.decode(address, addresses.validatorPrefix);
  } catch (err) {
    throw ErrInvalidAddress.wrap(`invalid validator address: ${(err as Error).message}`);
  }
}

export function encodeValoper(addresses: AddressCodec, bytes: Uint8Array): string {
  return addresses.encode(bytes, addresses.validatorPrefix);
}

export function decodeAccount(addresses: AddressCodec, address: string, role: string): Uint8Array {
  try {
    return addresses.decode(address);
  } catch (err) {
    throw ErrInvalidAddress.wrap(`invalid ${role} address: ${(err as Error).message}`);
  }
}

/** The 32 raw bytes of an ed25519 consensus key given as `Any{/cosmos.crypto.ed25519.PubKey}`. */
export function consensusKeyBytes(any: Any | undefined): Uint8Array {
  if (any === undefined) throw ErrInvalidPubKey.wrap('empty validator public key');
  if (any.typeUrl !== CONSENSUS_PUBKEY_TYPE_URL) {
    throw ErrValidatorPubKeyTypeNotSupported.wrap(`got ${any.typeUrl || '(empty type)'}, expected ${CONSENSUS_PUBKEY_TYPE_URL}`);
  }
  let key: Uint8Array;
  try {
    key = Ed25519PubKey.decode(any.value).key;
  } catch {
    throw ErrInvalidPubKey.wrap('malformed ed25519 public key');
  }
  if (key.length !== 32) throw ErrInvalidPubKey.wrap(`an ed25519 public key has 32 bytes, got ${key.length}`);
  return key;
}

export function ed25519Any(key: Uint8Array): Any {
  return { typeUrl: CONSENSUS_PUBKEY_TYPE_URL, value: Ed25519PubKey.encode({ key }).finish() };
}

/** CometBFT's validator address for an ed25519 key: the first 20 bytes of sha256(pubkey). */
export function consensusAddress(key: Uint8Array): Uint8Array {
  return sha256(key).subarray(0, 20);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

/** "cairnvaloper1…" → "cairn1…" over the same bytes: the account that signs for a validator. */
export function valoperToAccount(valoper: string): string {
  try {
    const { prefix, data } = decodeBech32(valoper);
    if (!prefix.endsWith('valoper')) return valoper;
    return toBech32(prefix.slice(0, -'valoper'.length), data, BECH32_LIMIT);
  } catch {
    // validate() reports the bad address with its own error before any signer is checked.
    return valoper;
  }
}
