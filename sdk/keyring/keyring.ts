// Named secp256k1 keys on disk, one JSON record per key in <dir>/keyring-<backend>/<name>.json.
//
// Key derivation and signing are CosmJS's (DirectSecp256k1HdWallet); this file only decides where
// mnemonics live and how they are protected. Backend `file` seals every mnemonic with the keyring
// passphrase (checked against <dir>/keyring-file/keyhash before anything is written); backend
// `test` keeps them in clear for localnets and tests.
import { link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Bip39, EnglishMnemonic, Random, pathToString, stringToPath } from '@cosmjs/crypto';
import { toBase64 } from '@cosmjs/encoding';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import type { OfflineDirectSigner } from '@cosmjs/proto-signing';
import { ADDRESS_PREFIX, DEFAULT_HD_PATH } from '../chain.ts';
import {
  DecryptionError,
  DEFAULT_SCRYPT,
  headerOf,
  hashPassphrase,
  parseKeyRecord,
  parsePassphraseHash,
  PUBKEY_TYPE,
  RECORD_TYPE,
  RECORD_VERSION,
  seal,
  unseal,
  verifyPassphrase,
} from './record.ts';
import { messageOf, type KeyRecord, type KeyRecordHeader, type ScryptParams } from './record.ts';

export type { ScryptParams } from './record.ts';

/** The public facts about a key; never includes the mnemonic. */
export interface KeyInfo {
  readonly name: string;
  readonly address: string;
  readonly algo: 'secp256k1';
  readonly pubkeyType: typeof PUBKEY_TYPE;
  /** The 33-byte compressed public key, base64. */
  readonly pubkey: string;
  readonly hdPath: string;
}

export interface AddKeyOptions {
  /** Recover from this mnemonic; without it a new 24-word mnemonic is generated. */
  readonly mnemonic?: string;
  /** Default m/44'/118'/0'/0/0. */
  readonly hdPath?: string;
}

export interface AddKeyResult {
  readonly key: KeyInfo;
  /** Set only when the mnemonic was generated: the caller must show it once for backup. */
  readonly mnemonic?: string;
}

export interface PassphraseRequest {
  /** `create`: the keyring has no passphrase yet (ask twice); `unlock`: check against the existing one. */
  readonly purpose: 'create' | 'unlock';
  readonly keyName: string;
  readonly keyringPath: string;
}

export type PassphraseProvider = (request: PassphraseRequest) => Promise<string>;

export interface KeyringOptions {
  /** The keyring directory (`--keyring-dir`, by default the home); keys go to <dir>/keyring-<backend>. */
  readonly dir: string;
  readonly backend: KeyringBackend;
  /** Needed by backend `file` to add keys and to sign. */
  readonly passphrase?: PassphraseProvider;
  /** Bech32 prefix of addresses. Default `cairn`. */
  readonly prefix?: string;
  /** scrypt cost for new records; tests lower it. Default N=2^15, r=8, p=1. */
  readonly scrypt?: ScryptParams;
}

/** Where keys live: `test` stores them unencrypted (dev chains, CI); `file` seals them with a passphrase. */
export type KeyringBackend = 'file' | 'test';

/** A keyring failure the user can act on (the CLI prints it without a stack trace). */
export class KeyringError extends Error {
  override name = 'KeyringError';
  readonly exitCode = 1;
}
export class KeyNotFoundError extends KeyringError {
  override name = 'KeyNotFoundError';
}
export class DuplicateKeyError extends KeyringError {
  override name = 'DuplicateKeyError';
}
export class InvalidKeyNameError extends KeyringError {
  override name = 'InvalidKeyNameError';
}
export class InvalidMnemonicError extends KeyringError {
  override name = 'InvalidMnemonicError';
}
export class WrongPassphraseError extends KeyringError {
  override name = 'WrongPassphraseError';
}

export const MIN_PASSPHRASE_LENGTH = 8;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const KEYHASH_FILE = 'keyhash';

export class Keyring {
  readonly backend: KeyringBackend;
  /** The directory holding the records: <dir>/keyring-<backend>. */
  readonly path: string;
  readonly #dir: string;
  readonly #passphrase: PassphraseProvider | undefined;
  readonly #prefix: string;
  readonly #scrypt: ScryptParams;

  constructor(options: KeyringOptions) {
    if (options.backend !== 'file' && options.backend !== 'test') {
      throw new TypeError(`unknown keyring backend ${String(options.backend)}`);
    }
    this.backend = options.backend;
    this.#dir = options.dir;
    this.path = join(options.dir, `keyring-${options.backend}`);
    this.#passphrase = options.passphrase;
    this.#prefix = options.prefix ?? ADDRESS_PREFIX;
    this.#scrypt = options.scrypt ?? DEFAULT_SCRYPT;
  }

  /** Creates a key: from `mnemonic` if given, else from a fresh 24-word mnemonic that is returned. */
  async add(name: string, options: AddKeyOptions = {}): Promise<AddKeyResult> {
    validateKeyName(name);
    await this.#assertFree(name);
    const generated = options.mnemonic === undefined;
    const mnemonic = generated ? Bip39.encode(Random.getBytes(32)).toString() : normalizeMnemonic(options.mnemonic ?? '');
    const hdPath = normalizeHdPath(options.hdPath ?? DEFAULT_HD_PATH);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: this.#prefix, hdPaths: [stringToPath(hdPath)] });
    const [account] = await wallet.getAccounts();
    if (!account) throw new Error('wallet derived no account');
    const header: KeyRecordHeader = {
      type: RECORD_TYPE,
      version: RECORD_VERSION,
      name,
      address: account.address,
      pubkey: { type: PUBKEY_TYPE, key: toBase64(account.pubkey) },
      algo: 'secp256k1',
      hdPath,
    };
    const secret =
      this.backend === 'test'
        ? ({ encoding: 'plaintext', mnemonic } as const)
        : await seal(header, mnemonic, await this.#passphraseForWrite(name), this.#scrypt);
    const record: KeyRecord = { ...header, secret };
    await this.#writeNew(this.#fileOf(name), `${JSON.stringify(record, null, 2)}\n`, () => duplicateKey(name, this));
    const key = infoOf(record);
    return generated ? { key, mnemonic } : { key };
  }

  /** Stores a key recovered from an existing mnemonic. */
  async import(name: string, mnemonic: string, options: { readonly hdPath?: string } = {}): Promise<KeyInfo> {
    const result = await this.add(name, { ...options, mnemonic });
    return result.key;
  }

  /** All keys, sorted by name. */
  async list(): Promise<KeyInfo[]> {
    let entries: string[];
    try {
      entries = await readdir(this.path);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw new KeyringError(`cannot read the keyring at ${this.path}: ${messageOf(error)}`);
    }
    const names = entries.filter((entry) => entry.endsWith('.json') && KEY_NAME.test(entry.slice(0, -5))).sort();
    const keys: KeyInfo[] = [];
    for (const entry of names) keys.push(infoOf(await this.#read(join(this.path, entry))));
    return keys.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The key called `name`; an address of a stored key is accepted too. */
  async show(nameOrAddress: string): Promise<KeyInfo> {
    return infoOf(await this.#find(nameOrAddress));
  }

  async has(name: string): Promise<boolean> {
    validateKeyName(name);
    return (await this.#readIfExists(this.#fileOf(name))) !== undefined;
  }

  async delete(name: string): Promise<void> {
    validateKeyName(name);
    await this.#find(name);
    try {
      await unlink(this.#fileOf(name));
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw this.#notFound(name);
      throw new KeyringError(`cannot delete ${this.#fileOf(name)}: ${messageOf(error)}`);
    }
  }

  /** A CosmJS SIGN_MODE_DIRECT signer for the key; backend `file` asks for the passphrase. */
  async signer(nameOrAddress: string): Promise<OfflineDirectSigner> {
    const record = await this.#find(nameOrAddress);
    const mnemonic = await this.#mnemonicOf(record);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, {
      prefix: this.#prefix,
      hdPaths: [stringToPath(record.hdPath)],
    });
    const [account] = await wallet.getAccounts();
    if (account?.address !== record.address) {
      throw new KeyringError(
        `key '${record.name}' in ${this.path} derives ${account?.address ?? 'nothing'}, not the recorded ${record.address}: the file was edited; re-import the mnemonic`,
      );
    }
    return wallet;
  }

  async #mnemonicOf(record: KeyRecord): Promise<string> {
    if (record.secret.encoding === 'plaintext') return record.secret.mnemonic;
    const passphrase = await this.#askPassphrase({ purpose: 'unlock', keyName: record.name, keyringPath: this.path });
    try {
      return await unseal(headerOf(record), record.secret, passphrase);
    } catch (error) {
      if (error instanceof DecryptionError) {
        throw new WrongPassphraseError(
          `wrong passphrase for key '${record.name}' (or its file ${this.#fileOf(record.name)} was modified): try again with the keyring passphrase`,
        );
      }
      throw error;
    }
  }

  async #find(nameOrAddress: string): Promise<KeyRecord> {
    if (KEY_NAME.test(nameOrAddress)) {
      const record = await this.#readIfExists(this.#fileOf(nameOrAddress));
      if (record) return record;
    }
    if (nameOrAddress.startsWith(`${this.#prefix}1`)) {
      const keys = await this.list();
      const match = keys.find((key) => key.address === nameOrAddress);
      if (match) return this.#read(this.#fileOf(match.name));
    } else {
      validateKeyName(nameOrAddress);
    }
    throw await this.#notFoundWithHint(nameOrAddress);
  }

  async #notFoundWithHint(name: string): Promise<KeyNotFoundError> {
    const other: KeyringBackend = this.backend === 'file' ? 'test' : 'file';
    if (KEY_NAME.test(name)) {
      const elsewhere = await this.#readIfExists(join(this.#dir, `keyring-${other}`, `${name}.json`)).catch(() => undefined);
      if (elsewhere) {
        return new KeyNotFoundError(
          `no key named '${name}' in the ${this.backend} keyring at ${this.path}, but the ${other} keyring has one: add --keyring-backend ${other}`,
        );
      }
    }
    return this.#notFound(name);
  }

  #notFound(name: string): KeyNotFoundError {
    return new KeyNotFoundError(
      `no key named '${name}' in the ${this.backend} keyring at ${this.path}: see \`cairn keys list\`, or create it with \`cairn keys add ${KEY_NAME.test(name) ? name : '<name>'}\``,
    );
  }

  async #assertFree(name: string): Promise<void> {
    if ((await this.#readIfExists(this.#fileOf(name))) !== undefined) throw duplicateKey(name, this);
  }

  /** The passphrase for sealing a new key; checked against the keyring's passphrase hash. */
  async #passphraseForWrite(name: string): Promise<string> {
    const hashFile = join(this.path, KEYHASH_FILE);
    const existing = await readText(hashFile);
    if (existing !== undefined) {
      const check = parsePassphraseHash(existing, hashFile);
      const passphrase = await this.#askPassphrase({ purpose: 'unlock', keyName: name, keyringPath: this.path });
      if (!(await verifyPassphrase(check, passphrase))) {
        throw new WrongPassphraseError(
          `wrong passphrase for the file keyring at ${this.path}: use the passphrase the keyring was created with; nothing was written`,
        );
      }
      return passphrase;
    }
    const passphrase = await this.#askPassphrase({ purpose: 'create', keyName: name, keyringPath: this.path });
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new KeyringError(`the keyring passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters; nothing was written`);
    }
    const record = await hashPassphrase(passphrase, this.#scrypt);
    // Two processes creating the keyring at once: the second one's hash loses and it re-checks.
    await this.#writeNew(hashFile, `${JSON.stringify(record, null, 2)}\n`, () => undefined);
    const stored = parsePassphraseHash((await readText(hashFile)) ?? '', hashFile);
    if (!(await verifyPassphrase(stored, passphrase))) {
      throw new WrongPassphraseError(`another process created the keyring at ${this.path} with a different passphrase; nothing was written`);
    }
    return passphrase;
  }

  async #askPassphrase(request: PassphraseRequest): Promise<string> {
    if (!this.#passphrase) {
      throw new KeyringError(
        `the file keyring needs a passphrase: use --keyring-passphrase-file, set CAIRN_KEYRING_PASSPHRASE, or run in a terminal`,
      );
    }
    return this.#passphrase(request);
  }

  #fileOf(name: string): string {
    return join(this.path, `${name}.json`);
  }

  async #read(file: string): Promise<KeyRecord> {
    const record = await this.#readIfExists(file);
    if (record === undefined) throw new KeyNotFoundError(`key file ${file} disappeared while reading the keyring`);
    return record;
  }

  async #readIfExists(file: string): Promise<KeyRecord | undefined> {
    const text = await readText(file);
    return text === undefined ? undefined : parseKeyRecord(text, file);
  }

  /**
   * Writes `file` atomically and only if it does not exist: a temporary file (mode 0600, fsynced)
   * is hard-linked into place, which fails instead of overwriting when the name is taken.
   */
  async #writeNew(file: string, text: string, onExists: () => Error | undefined): Promise<void> {
    await mkdir(this.path, { recursive: true, mode: 0o700 });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await linkNoReplace(temp, file);
    } catch (error) {
      if (isErrno(error, 'EEXIST')) {
        const replacement = onExists();
        if (replacement) throw replacement;
        return;
      }
      throw new KeyringError(`cannot write ${file}: ${messageOf(error)}`);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    await syncDir(this.path);
  }
}

export function validateKeyName(name: string): void {
  if (!KEY_NAME.test(name)) {
    throw new InvalidKeyNameError(
      `invalid key name '${name}': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
}

/** Collapses whitespace and case; explains what is wrong without echoing the words. */
export function normalizeMnemonic(input: string): string {
  const words = input.trim().toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw new InvalidMnemonicError(`the mnemonic has ${words.length} words; a BIP-39 mnemonic has 12, 15, 18, 21 or 24`);
  }
  const wordlist = new Set<string>(EnglishMnemonic.wordlist);
  const unknown = words.findIndex((word) => !wordlist.has(word));
  if (unknown >= 0) {
    throw new InvalidMnemonicError(`word ${unknown + 1} of the mnemonic is not in the BIP-39 English word list: check its spelling`);
  }
  const mnemonic = words.join(' ');
  try {
    new EnglishMnemonic(mnemonic);
  } catch {
    throw new InvalidMnemonicError('the mnemonic checksum does not match: a word is wrong or out of order');
  }
  return mnemonic;
}

function normalizeHdPath(input: string): string {
  try {
    return pathToString(stringToPath(input.trim()));
  } catch (error) {
    throw new KeyringError(`invalid HD path '${input}': ${messageOf(error)}; the default is ${DEFAULT_HD_PATH}`);
  }
}

function infoOf(record: KeyRecord): KeyInfo {
  return {
    name: record.name,
    address: record.address,
    algo: record.algo,
    pubkeyType: record.pubkey.type,
    pubkey: record.pubkey.key,
    hdPath: record.hdPath,
  };
}

function duplicateKey(name: string, keyring: Keyring): DuplicateKeyError {
  return new DuplicateKeyError(
    `a key named '${name}' already exists in ${keyring.path}: pick another name, or delete it first with \`cairn keys delete ${name}\``,
  );
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw new KeyringError(`cannot read ${file}: ${messageOf(error)}`);
  }
}

// Some filesystems (certain network and FUSE mounts) have no hard links; there a rename after an
// existence check is the best available, with a tiny race that only matters for concurrent adds.
async function linkNoReplace(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if (!isErrno(error, 'EPERM') && !isErrno(error, 'ENOTSUP') && !isErrno(error, 'EXDEV')) throw error;
    if ((await readText(to)) !== undefined) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    await rename(from, to);
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the new directory entry durable; not every platform lets a directory be fsynced.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
