// A BaseAccount's stored bytes (its Any) in one pass, for the account write of every tx's ante.
// cosmjs-types' writer made an object per field, a fork for the nested key and a second message for
// the Any around it (~1 KiB of garbage a write, three writes a bank send). This writes the same bytes
// as `Any.encode({ typeUrl, value: BaseAccount.encode(base).finish() })` with the project's writer
// patches, for the accounts it takes: ASCII strings (cosmjs-types writes a lone surrogate unlike
// TextEncoder) and numbers up to 2^53 − 1. For any other it answers undefined and the caller uses the
// generic codec. base-account-bytes.test.ts compares both over random accounts.
import type { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { AUTH_TYPE_URLS } from '../../sdk/auth/messages.ts';
import { MAX_SAFE_BIGINT, isAscii, uvarintLength, writeLatin1, writeUvarint } from '../../proto/wire.ts';

const BASE_ACCOUNT_URL = AUTH_TYPE_URLS.BaseAccount;

/** A length-delimited field's size: tag, length varint, content. */
function fieldLength(contentLength: number): number {
  return 1 + uvarintLength(contentLength) + contentLength;
}

/** The Any of `base` as stored, or undefined if it is outside what this encoder takes. */
export function encodeBaseAccountAny(base: BaseAccount): Uint8Array | undefined {
  const { address, pubKey, accountNumber, sequence } = base;
  if (accountNumber < 0n || accountNumber > MAX_SAFE_BIGINT || sequence < 0n || sequence > MAX_SAFE_BIGINT) return undefined;
  if (!isAscii(address) || (pubKey !== undefined && !isAscii(pubKey.typeUrl))) return undefined;
  const number = Number(accountNumber);
  const seq = Number(sequence);
  // Fields at their default value are left out, as cosmjs-types does (a key Any is written even empty).
  const keyLength = pubKey === undefined ? 0 : (pubKey.typeUrl === '' ? 0 : fieldLength(pubKey.typeUrl.length)) + (pubKey.value.length === 0 ? 0 : fieldLength(pubKey.value.length));
  const inner =
    (address === '' ? 0 : fieldLength(address.length)) +
    (pubKey === undefined ? 0 : fieldLength(keyLength)) +
    (number === 0 ? 0 : 1 + uvarintLength(number)) +
    (seq === 0 ? 0 : 1 + uvarintLength(seq));
  const out = new Uint8Array(fieldLength(BASE_ACCOUNT_URL.length) + (inner === 0 ? 0 : fieldLength(inner)));
  let pos = 0;
  out[pos++] = 0x0a;
  pos = writeUvarint(BASE_ACCOUNT_URL.length, out, pos);
  pos = writeLatin1(BASE_ACCOUNT_URL, out, pos);
  if (inner === 0) return out;
  out[pos++] = 0x12;
  pos = writeUvarint(inner, out, pos);
  if (address !== '') {
    out[pos++] = 0x0a;
    pos = writeUvarint(address.length, out, pos);
    pos = writeLatin1(address, out, pos);
  }
  if (pubKey !== undefined) {
    out[pos++] = 0x12;
    pos = writeUvarint(keyLength, out, pos);
    if (pubKey.typeUrl !== '') {
      out[pos++] = 0x0a;
      pos = writeUvarint(pubKey.typeUrl.length, out, pos);
      pos = writeLatin1(pubKey.typeUrl, out, pos);
    }
    if (pubKey.value.length !== 0) {
      out[pos++] = 0x12;
      pos = writeUvarint(pubKey.value.length, out, pos);
      out.set(pubKey.value, pos);
      pos += pubKey.value.length;
    }
  }
  if (number !== 0) {
    out[pos++] = 0x18;
    pos = writeUvarint(number, out, pos);
  }
  if (seq !== 0) {
    out[pos++] = 0x20;
    writeUvarint(seq, out, pos);
  }
  return out;
}
