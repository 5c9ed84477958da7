// The node's libp2p identity: an Ed25519 key kept in <home>/config/p2p_key.hex (its seed, 64 hex
// digits, mode 0600), created at the first start, so the peer id in other nodes' bootstrap lists
// stays valid across restarts.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';

export class P2pKeyFileError extends Error {
  override readonly name = 'P2pKeyFileError';
}

export function p2pKeyPath(home: string): string {
  return join(home, 'config', 'p2p_key.hex');
}

export async function p2pKeyFromSeed(seed: Uint8Array): Promise<PrivateKey> {
  // @libp2p/crypto resolves its own copy of @libp2p/interface; the key is the same at run time.
  return (await generateKeyPairFromSeed('Ed25519', seed)) as unknown as PrivateKey;
}

/** Reads the node's key, creating it first if the file does not exist. */
export async function loadOrCreateP2pKey(path: string): Promise<PrivateKey> {
  let text: string | undefined;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text === undefined) {
    const seed = new Uint8Array(randomBytes(32));
    await writeFile(path, Buffer.from(seed).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    return p2pKeyFromSeed(seed);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new P2pKeyFileError(`${path} must hold an ed25519 seed as 64 hex digits`);
  return p2pKeyFromSeed(new Uint8Array(Buffer.from(text, 'hex')));
}
