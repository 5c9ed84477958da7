// The localnet's own record, <dir>/localnet.json: every node's home, ports, identities, operator key
// and the process ids it was started with, and the playground's keys and whether it was set up. `localnet status` and `down` work from this file alone,
// so they work from another shell than the one that ran `up`.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Playground } from './playground.ts';

export const MANIFEST_FILE = 'localnet.json';

export interface LocalnetKey {
  readonly address: string;
  /** A throwaway test mnemonic: localnets are for development only. */
  readonly mnemonic: string;
}

export interface LocalnetNode {
  /** node0, node1, … */
  readonly name: string;
  readonly home: string;
  /** CometBFT RPC and p2p, ABCI, and (localnets made since gossip) libp2p and the metrics endpoint, (since the API) the REST API and gRPC. */
  readonly ports: { readonly rpc: number; readonly p2p: number; readonly abci: number; readonly libp2p?: number; readonly metrics?: number; readonly api?: number; readonly grpc?: number };
  /** CometBFT p2p node id. */
  readonly nodeId: string;
  /** CometBFT consensus key: upper-case hex address and base64 ed25519 public key. */
  readonly consensus: { readonly address: string; readonly pubKey: string };
  /** The operator account of a genesis validator (also the key "validator" in the home's test keyring). */
  readonly operator?: LocalnetKey;
  /** The account of the node's watcher key (config/watcher_key.hex), funded at genesis for genesis nodes. */
  readonly watcher?: string;
  /** Process ids of the running app and CometBFT, as started by this localnet. */
  pids?: { app?: number; cometbft?: number };
}

export interface LocalnetManifest {
  readonly version: 1;
  readonly chainId: string;
  readonly dir: string;
  readonly blockTimeMs: number;
  /** A funded account for handing out test tokens (key "faucet" in <dir>/keyring-test). */
  readonly faucet: LocalnetKey;
  readonly nodes: LocalnetNode[];
  /** GPU operators, a model and an adapter, and a payer (`--operators M`); keys in <dir>/keyring-test. */
  readonly playground?: Playground;
}

export class LocalnetError extends Error {
  override readonly name = 'LocalnetError';
}

export function manifestPath(dir: string): string {
  return join(dir, MANIFEST_FILE);
}

export async function readManifest(dir: string): Promise<LocalnetManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath(dir), 'utf8');
  } catch {
    throw new LocalnetError(`no localnet in ${dir} (${MANIFEST_FILE} is missing): create one with \`cairn localnet up\``);
  }
  const m = JSON.parse(text) as LocalnetManifest;
  if (m.version !== 1 || !Array.isArray(m.nodes)) throw new LocalnetError(`${manifestPath(dir)} is not a localnet manifest this version understands`);
  return m;
}

let writes = 0;

/**
 * Replaced atomically: a crash never leaves a half-written record of running processes. Each write
 * has its own temporary file, so two nodes started at once (each writing the shared record) do not
 * rename the other's file away.
 */
export async function writeManifest(m: LocalnetManifest): Promise<void> {
  const path = manifestPath(m.dir);
  const tmp = `${path}.tmp-${process.pid}-${writes++}`;
  await writeFile(tmp, `${JSON.stringify(m, null, 2)}\n`, 'utf8');
  await rename(tmp, path);
}
