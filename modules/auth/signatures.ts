// Account keys and signature verification, as SDK 0.50 does them: secp256k1 keys, and
// LegacyAminoPubKey threshold multisig keys (k of n, nested allowed) whose signature is a
// MultiSignature with a CompactBitArray saying which keys signed. Each signature names its sign
// mode: SIGN_MODE_DIRECT (the SignDoc) or SIGN_MODE_LEGACY_AMINO_JSON (the StdSignDoc that Ledger and
// CosmJS's amino signers sign, sign-bytes.ts). Every failure is the SDK's: a bad key sdk/8, a bad or
// missing signature sdk/4, another sign mode sdk/37.
import { pubkeyToRawAddress } from '@cosmjs/amino';
import { decodePubkey } from '@cosmjs/proto-signing';
import { LegacyAminoPubKey } from 'cosmjs-types/cosmos/crypto/multisig/keys';
import { CompactBitArray, MultiSignature } from 'cosmjs-types/cosmos/crypto/multisig/v1beta1/multisig';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { ModeInfo } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { AUTH_TYPE_URLS } from '../../sdk/auth/messages.ts';
import { sha256 } from '../../core/crypto/hash.ts';
import { pubkeyToAddress } from '../../core/crypto/address.ts';
import { VerifiedSecp256k1 } from '../../core/crypto/secp256k1.ts';
import { ErrInvalidPubKey, ErrNotSupported, ErrTxDecode, ErrUnauthorized } from '../../core/framework/sdk-errors.ts';
import { sameBytes } from '../../core/tx/unknown-fields.ts';

/**
 * Signatures CheckTx found valid, so FinalizeBlock does not run libsecp256k1 again on the same bytes
 * (VerifiedSecp256k1 keeps only valid answers, keyed by the exact bytes verified). 20,000 entries
 * (~4 MiB) cover a full default mempool and more than ten seconds of blocks at 1,500 tx/s.
 */
const verified = new VerifiedSecp256k1(20_000);

export const MULTISIG_PUBKEY_TYPE_URL = '/cosmos.crypto.multisig.LegacyAminoPubKey';

/** A decoded account key, with the Any it came from (what the account stores). */
export type AccountPubKey =
  | { readonly kind: 'secp256k1'; readonly key: Uint8Array; readonly any: Any }
  | { readonly kind: 'multisig'; readonly threshold: number; readonly keys: readonly AccountPubKey[]; readonly any: Any };

/** The sign bytes of a sign mode, for the account being verified. */
export type SignBytesOf = (mode: SignMode) => Uint8Array;

/** Decodes an account key Any. @throws ErrInvalidPubKey (sdk/8). */
export function decodeAccountPubKey(any: Any, what: string): AccountPubKey {
  if (any.typeUrl === AUTH_TYPE_URLS.Secp256k1PubKey) {
    let key: Uint8Array;
    try {
      key = Secp256k1PubKey.decode(any.value).key;
    } catch {
      throw ErrInvalidPubKey.wrap(`malformed secp256k1 pubkey for ${what}`);
    }
    if (key.length !== 33) throw ErrInvalidPubKey.wrap(`secp256k1 pubkey must be 33 bytes, got ${key.length}`);
    return { kind: 'secp256k1', key, any };
  }
  if (any.typeUrl === MULTISIG_PUBKEY_TYPE_URL) {
    let multisig: LegacyAminoPubKey;
    try {
      multisig = LegacyAminoPubKey.decode(any.value);
    } catch {
      throw ErrInvalidPubKey.wrap(`malformed multisig pubkey for ${what}`);
    }
    const keys = multisig.publicKeys.map((k) => decodeAccountPubKey(k, what));
    // The SDK's NewLegacyAminoPubKey refuses these; a decoded key is not checked there, but a
    // threshold of 0 would let an empty signature pass.
    if (multisig.threshold < 1 || multisig.threshold > keys.length) {
      throw ErrInvalidPubKey.wrap(`multisig threshold ${multisig.threshold} must be between 1 and its ${keys.length} keys`);
    }
    return { kind: 'multisig', threshold: multisig.threshold, keys, any };
  }
  throw ErrInvalidPubKey.wrap(`unsupported pubkey type ${any.typeUrl} for ${what}; use ${AUTH_TYPE_URLS.Secp256k1PubKey} or ${MULTISIG_PUBKEY_TYPE_URL}`);
}

/**
 * The account address of a key: RIPEMD-160(SHA-256(key)) for secp256k1; for a multisig the first
 * 20 bytes of SHA-256 of its amino encoding (tendermint/PubKeyMultisigThreshold), as the SDK and
 * CosmJS derive it.
 */
export function accountPubKeyAddress(pk: AccountPubKey): Uint8Array {
  if (pk.kind === 'secp256k1') return pubkeyToAddress(pk.key);
  try {
    return pubkeyToRawAddress(decodePubkey(pk.any));
  } catch (err) {
    throw ErrInvalidPubKey.wrap(`multisig pubkey has no amino encoding: ${(err as Error).message}`);
  }
}

/** How many keys a key stands for (the SDK counts multisig members against tx_sig_limit). */
export function countSubKeys(pk: AccountPubKey): number {
  return pk.kind === 'secp256k1' ? 1 : pk.keys.reduce((n, k) => n + countSubKeys(k), 0);
}

/** The number of bits a CompactBitArray holds (the SDK's Count). */
function bitCount(bits: CompactBitArray): number {
  return bits.extraBitsStored === 0 ? bits.elems.length * 8 : (bits.elems.length - 1) * 8 + bits.extraBitsStored;
}

function bitSet(bits: CompactBitArray, i: number): boolean {
  return ((bits.elems[i >> 3] ?? 0) & (1 << (7 - (i % 8)))) !== 0;
}

/**
 * The number of single signatures a signature carries: what the SDK charges verification gas for
 * (a multisig pays for each key whose bit is set). Refuses a mode info that does not fit the key.
 */
export function signatureCount(pk: AccountPubKey, modeInfo: ModeInfo | undefined): number {
  if (pk.kind === 'secp256k1' || modeInfo?.multi === undefined) return 1;
  const bits = modeInfo.multi.bitarray ?? CompactBitArray.fromPartial({});
  let n = 0;
  let sig = 0;
  for (let i = 0; i < Math.min(bitCount(bits), pk.keys.length); i++) {
    if (!bitSet(bits, i)) continue;
    n += signatureCount(pk.keys[i]!, modeInfo.multi.modeInfos[sig++]);
  }
  return n;
}

/** Verifies `signature` over the sign bytes its mode names. @throws the SDK's error for each failure. */
export function verifyAccountSignature(pk: AccountPubKey, modeInfo: ModeInfo | undefined, signature: Uint8Array, signBytesOf: SignBytesOf): void {
  if (modeInfo?.multi !== undefined) {
    if (pk.kind !== 'multisig') throw ErrUnauthorized.wrap('a multisig signature needs a multisig key');
    verifyMultisignature(pk, modeInfo.multi, signature, signBytesOf);
    return;
  }
  const mode = modeInfo?.single?.mode;
  if (pk.kind === 'multisig') throw ErrUnauthorized.wrap('a multisig key needs a multisig signature (mode_info.multi)');
  if (mode !== SignMode.SIGN_MODE_DIRECT && mode !== SignMode.SIGN_MODE_LEGACY_AMINO_JSON) {
    throw ErrNotSupported.wrap(`sign mode ${mode ?? 'none'} is not supported; sign with SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON`);
  }
  if (!verified.verify(pk.key, sha256(signBytesOf(mode)), signature)) throw ErrUnauthorized.wrap('signature does not verify');
}

/** The SDK's LegacyAminoPubKey.VerifyMultisignature, in its order of checks. */
function verifyMultisignature(pk: AccountPubKey & { kind: 'multisig' }, multi: ModeInfo['multi'] & object, signature: Uint8Array, signBytesOf: SignBytesOf): void {
  let sigs: Uint8Array[];
  try {
    const decoded = MultiSignature.decode(signature);
    if (!sameBytes(MultiSignature.encode(decoded).finish(), signature)) throw new Error('not the canonical encoding');
    sigs = decoded.signatures;
  } catch (err) {
    throw ErrTxDecode.wrap(`malformed multisignature: ${(err as Error).message}`);
  }
  if (multi.modeInfos.length !== sigs.length) {
    throw ErrUnauthorized.wrap(`multisignature has ${sigs.length} signatures but ${multi.modeInfos.length} mode infos`);
  }
  const bits = multi.bitarray ?? CompactBitArray.fromPartial({});
  const size = bitCount(bits);
  if (bits.extraBitsStored > 7 || size !== pk.keys.length) throw ErrUnauthorized.wrap(`bit array size is incorrect, expecting: ${pk.keys.length}`);
  if (sigs.length < pk.threshold || sigs.length > size) throw ErrUnauthorized.wrap(`signature size is incorrect ${sigs.length}`);
  let set = 0;
  for (let i = 0; i < size; i++) if (bitSet(bits, i)) set++;
  if (set < pk.threshold) throw ErrUnauthorized.wrap(`not enough signatures set, have ${set}, expected ${pk.threshold}`);
  if (set !== sigs.length) throw ErrUnauthorized.wrap(`bit array marks ${set} signers but ${sigs.length} signatures are given`);
  let next = 0;
  for (let i = 0; i < size; i++) {
    if (!bitSet(bits, i)) continue;
    try {
      verifyAccountSignature(pk.keys[i]!, multi.modeInfos[next], sigs[next]!, signBytesOf);
    } catch (err) {
      if (ErrUnauthorized.is(err)) throw ErrUnauthorized.wrap(`unable to verify signature at index ${i}`);
      throw err;
    }
    next++;
  }
}
