// The on-disk record of one key, and the encryption of its mnemonic.
//
// A record is versioned JSON: the public part (name, address, pubkey, algo, HD path) in clear so
// that `keys list` needs no passphrase, and the mnemonic either sealed with scrypt → AES-256-GCM
// (backend `file`) or in clear (backend `test`). The public fields are bound into the GCM tag as
// associated data, so editing them makes decryption fail instead of signing for a different key.
import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AUTH_TYPE_URLS } from '../auth/messages.ts';

export const RECORD_TYPE = 'cairn-key';
export const RECORD_VERSION = 1;
export const PUBKEY_TYPE = AUTH_TYPE_URLS.Secp256k1PubKey;

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** scrypt cost for new records: ~0.1 s and 32 MiB, the usual interactive setting. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

export interface SealedSecret {
  readonly encoding: 'scrypt-aes-256-gcm';
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly nonce: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export interface PlainSecret {
  readonly encoding: 'plaintext';
  readonly mnemonic: string;
}

export interface KeyRecord {
  readonly type: typeof RECORD_TYPE;
  readonly version: typeof RECORD_VERSION;
  readonly name: string;
  readonly address: string;
  readonly pubkey: { readonly type: typeof PUBKEY_TYPE; readonly key: string };
  readonly algo: 'secp256k1';
  readonly hdPath: string;
  readonly secret: SealedSecret | PlainSecret;
}

/** The public half of a record. */
export type KeyRecordHeader = Omit<KeyRecord, 'secret'>;

/** A record file that is not a Cairn key record, or one from a newer version. */
export class KeyRecordError extends Error {
  readonly exitCode = 1;
  override name = 'KeyRecordError';
}

/** The secret did not decrypt: wrong passphrase, or the file was edited. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

export async function seal(header: KeyRecordHeader, mnemonic: string, passphrase: string, params: ScryptParams): Promise<SealedSecret> {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const key = await deriveKey(passphrase, salt, params);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(associatedData(header));
  const ciphertext = Buffer.concat([cipher.update(mnemonic, 'utf8'), cipher.final()]);
  return {
    encoding: 'scrypt-aes-256-gcm',
    kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') },
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

export async function unseal(header: KeyRecordHeader, secret: SealedSecret, passphrase: string): Promise<string> {
  const key = await deriveKey(passphrase, Buffer.from(secret.kdf.salt, 'base64'), secret.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(secret.nonce, 'base64'));
  decipher.setAAD(associatedData(header));
  decipher.setAuthTag(Buffer.from(secret.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(secret.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('authentication tag mismatch');
  }
}

/** The passphrase check of a whole keyring: scrypt(passphrase, salt), compared in constant time. */
export interface PassphraseHash {
  readonly type: 'cairn-keyhash';
  readonly version: 1;
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly hash: string;
}

export async function hashPassphrase(passphrase: string, params: ScryptParams): Promise<PassphraseHash> {
  const salt = randomBytes(16);
  const hash = await deriveKey(passphrase, salt, params);
  return {
    type: 'cairn-keyhash',
    version: 1,
    kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') },
    hash: hash.toString('base64'),
  };
}

export async function verifyPassphrase(record: PassphraseHash, passphrase: string): Promise<boolean> {
  const expected = Buffer.from(record.hash, 'base64');
  const actual = await deriveKey(passphrase, Buffer.from(record.kdf.salt, 'base64'), record.kdf);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function parsePassphraseHash(text: string, file: string): PassphraseHash {
  const value = parseJson(text, file);
  if (!isObject(value) || value['type'] !== 'cairn-keyhash' || value['version'] !== 1 || typeof value['hash'] !== 'string') {
    throw new KeyRecordError(`${file} is not a Cairn keyring passphrase check: move it away, then add a key again`);
  }
  checkKdf(value['kdf'], file);
  return value as unknown as PassphraseHash;
}

/** Validates a record read from disk; every field is checked because the file may be hand-edited. */
export function parseKeyRecord(text: string, file: string): KeyRecord {
  const value = parseJson(text, file);
  const bad = (what: string): KeyRecordError =>
    new KeyRecordError(`${file} is not a valid Cairn key record (${what}): restore it from a backup or re-import the mnemonic`);
  if (!isObject(value) || value['type'] !== RECORD_TYPE) throw bad('not a cairn-key record');
  if (value['version'] !== RECORD_VERSION) {
    throw new KeyRecordError(`${file} is a key record of version ${String(value['version'])}; this cairn reads version ${RECORD_VERSION}: upgrade cairn`);
  }
  for (const field of ['name', 'address', 'hdPath'] as const) {
    if (typeof value[field] !== 'string') throw bad(`missing ${field}`);
  }
  if (value['algo'] !== 'secp256k1') throw bad('algo is not secp256k1');
  const pubkey = value['pubkey'];
  if (!isObject(pubkey) || pubkey['type'] !== PUBKEY_TYPE || typeof pubkey['key'] !== 'string') throw bad('bad pubkey');
  const secret = value['secret'];
  if (!isObject(secret)) throw bad('missing secret');
  if (secret['encoding'] === 'plaintext') {
    if (typeof secret['mnemonic'] !== 'string') throw bad('missing mnemonic');
  } else if (secret['encoding'] === 'scrypt-aes-256-gcm') {
    checkKdf(secret['kdf'], file);
    for (const field of ['nonce', 'ciphertext', 'tag'] as const) {
      if (typeof secret[field] !== 'string') throw bad(`missing secret.${field}`);
    }
  } else {
    throw bad(`unknown secret encoding ${String(secret['encoding'])}`);
  }
  return value as unknown as KeyRecord;
}

export function headerOf(record: KeyRecord): KeyRecordHeader {
  const { secret: _secret, ...header } = record;
  return header;
}

function associatedData(header: KeyRecordHeader): Buffer {
  return Buffer.from(
    [RECORD_TYPE, String(header.version), header.name, header.address, header.pubkey.key, header.algo, header.hdPath].join('\n'),
    'utf8',
  );
}

function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // node:crypto refuses scrypt above `maxmem` (32 MiB by default), which N=2^15, r=8 just reaches.
  const maxmem = 128 * params.N * params.r * params.p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFKC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

// Bounds keep a hand-edited file from making scrypt allocate gigabytes.
function checkKdf(kdf: unknown, file: string): void {
  const ok =
    isObject(kdf) &&
    kdf['name'] === 'scrypt' &&
    typeof kdf['salt'] === 'string' &&
    isInt(kdf['N'], 2 ** 10, 2 ** 20) &&
    ((kdf['N'] as number) & ((kdf['N'] as number) - 1)) === 0 &&
    isInt(kdf['r'], 1, 32) &&
    isInt(kdf['p'], 1, 16);
  if (!ok) throw new KeyRecordError(`${file} has unsupported scrypt parameters: restore it from a backup or re-import the mnemonic`);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new KeyRecordError(`${file} is not valid JSON: restore it from a backup or re-import the mnemonic`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** The message of any thrown value, for wrapping errors from libraries. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
