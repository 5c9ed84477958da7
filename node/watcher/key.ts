// The watcher's key: a secp256k1 private key as 64 hex digits in a file of the home (mode 0600),
// created by `cairn init`, the localnet, or the first start. Its account pays fees and bonds for
// challenges, so the address must be funded before a challenge can land.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';

export class WatcherKeyError extends Error {
  override readonly name = 'WatcherKeyError';
}

/** A secp256k1 private key as 64 hex digits in a file. */
export async function readWatcherKey(path: string): Promise<Uint8Array> {
  const text = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new WatcherKeyError(`${path} must hold a secp256k1 private key as 64 hex digits`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Writes a new random key to `path` (refuses to replace a file); returns it. */
export async function createWatcherKey(path: string): Promise<Uint8Array> {
  // Any 32 random bytes below the curve order; the chance of one outside it is about 2^-128.
  const key = new Uint8Array(randomBytes(32));
  await writeFile(path, Buffer.from(key).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

/** Reads the key, creating it first if the file does not exist; `created` says which. */
export async function loadOrCreateWatcherKey(path: string): Promise<{ key: Uint8Array; created: boolean }> {
  try {
    return { key: await readWatcherKey(path), created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return { key: await createWatcherKey(path), created: true };
}

/** The bech32 account address of a watcher key, with the chain's prefix (auth.bech32_prefix). */
export async function watcherAddress(key: Uint8Array, prefix: string): Promise<string> {
  const [account] = await (await DirectSecp256k1Wallet.fromKey(key, prefix)).getAccounts();
  return account!.address;
}
