// Reads the identities `cometbft init` generates: the validator consensus key and the p2p node key.
// Both are ed25519; CometBFT derives addresses and node ids as the first 20 bytes of sha256(pubkey).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyFileError } from './errors.ts';

export const PUBKEY_ED25519_TYPE = 'tendermint/PubKeyEd25519';
const PRIVKEY_ED25519_TYPE = 'tendermint/PrivKeyEd25519';

export interface ValidatorKey {
  // Upper-case hex, 20 bytes, as in genesis.json and block headers.
  address: string;
  // Base64 of the 32-byte ed25519 public key.
  pubKey: string;
}

function truncatedSha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest().subarray(0, 20);
}

export function validatorAddress(pubKey: Uint8Array): string {
  if (pubKey.length !== 32) throw new RangeError(`an ed25519 public key has 32 bytes, got ${pubKey.length}`);
  return truncatedSha256(pubKey).toString('hex').toUpperCase();
}

async function readKeyFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new KeyFileError(`cannot read ${path}: ${(error as Error).message}. Was the home initialised (initHome)?`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new KeyFileError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function typedKey(path: string, field: unknown, type: string, length: number): Buffer {
  const key = field as { type?: unknown; value?: unknown } | undefined;
  if (key?.type !== type || typeof key.value !== 'string') {
    throw new KeyFileError(`${path} does not hold a ${type} key`);
  }
  const bytes = Buffer.from(key.value, 'base64');
  if (bytes.length !== length) throw new KeyFileError(`${path}: expected a ${length}-byte ${type}, got ${bytes.length} bytes`);
  return bytes;
}

export async function readValidatorKey(home: string): Promise<ValidatorKey> {
  const path = join(home, 'config', 'priv_validator_key.json');
  const file = await readKeyFile(path);
  const pub = typedKey(path, file['pub_key'], PUBKEY_ED25519_TYPE, 32);
  const address = validatorAddress(pub);
  if (file['address'] !== address) {
    throw new KeyFileError(`${path}: address ${String(file['address'])} does not match its public key (${address})`);
  }
  return { address, pubKey: pub.toString('base64') };
}

// The p2p node id (lower-case hex) used in persistent_peers: `<id>@host:port`.
export async function nodeId(home: string): Promise<string> {
  const path = join(home, 'config', 'node_key.json');
  const file = await readKeyFile(path);
  // An ed25519 private key in CometBFT's JSON is seed (32 bytes) followed by the public key (32 bytes).
  const priv = typedKey(path, file['priv_key'], PRIVKEY_ED25519_TYPE, 64);
  return truncatedSha256(priv.subarray(32)).toString('hex');
}
