// Creating a localnet from nothing: N node homes on distinct loopback ports, one operator key and
// self-bond per validator, a funded faucet, one genesis shared by every node (staking section listing
// all validators), and every node peered with every other, over CometBFT and libp2p. Every node runs
// a watcher whose key is funded at genesis, and a metrics endpoint.
import { Bip39, Random } from '@cosmjs/crypto';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Keyring } from '../sdk/keyring/keyring.ts';
import { addGenesisAccount, checkGenesis, defaultAppState, defaultGenesisConsensusParams, genesisPrefix, trustDevVerifier, withShortGovPeriods, type AppState } from '../node/genesis.ts';
import { addGenesisValidator } from '../modules/staking/genesis-builder.ts';
import { localSettings, peerAddress } from '../node/cometbft/config.ts';
import { buildGenesis, genesisPath, readGenesis, writeGenesis } from '../node/cometbft/genesis.ts';
import { ADDRESS_PREFIX } from '../sdk/chain.ts';
import { configure, initHome } from '../node/cometbft/home.ts';
import { ensureCometbft } from '../node/cometbft/install.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { DEFAULT_APP_CONFIG, writeAppConfig } from '../node/config.ts';
import { p2pKeyFromSeed, p2pKeyPath } from '../node/p2p/identity.ts';
import { createWatcherKey, watcherAddress } from '../node/watcher/key.ts';
import { fundPlayground, planPlayground, playgroundFilesDir } from './playground.ts';
import { LocalnetError, type LocalnetKey, type LocalnetManifest, type LocalnetNode, manifestPath, writeManifest } from './manifest.ts';

export interface CreateLocalnetOptions {
  readonly dir: string;
  /** Genesis validators (default 4). */
  readonly validators?: number;
  readonly chainId?: string;
  /** CometBFT timeout_commit: the pause between blocks (default 1000 ms). */
  readonly blockTimeMs?: number;
  /** Each validator's self-bond in ucairn (default 100 CAIRN: voting power 100). */
  readonly selfBond?: bigint;
  /** Each operator's spare balance for fees and delegations (default 1,000 CAIRN). */
  readonly operatorFunds?: bigint;
  /** Each genesis node's watcher key balance, for challenge fees and bonds (default 1,000 CAIRN). */
  readonly watcherFunds?: bigint;
  /** The faucet's balance (default 1,000,000 CAIRN). */
  readonly faucetFunds?: bigint;
  /** Genesis sections merged over the defaults, e.g. { slashing: { params: { signed_blocks_window: '10' } } }. */
  readonly genesis?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * GPU operators to register once the chain runs (localnet/playground.ts), with a model, an adapter,
   * their author and a payer; default 0 (none of them).
   */
  readonly operators?: number;
  /** Extra genesis accounts, e.g. operators and payers of a test. */
  readonly accounts?: readonly { readonly address: string; readonly amount: bigint }[];
  /**
   * With operators, every validator's node probes them and reports their uptime each epoch
   * (app.toml [availability]); this is how often, in ms (default 60 s, at least 1 s).
   */
  readonly availabilityProbeMs?: number;
  /** app.toml: minimum gas prices (default 0.025ucairn). */
  readonly minimumGasPrices?: string;
  readonly note?: (message: string) => void;
}

export const DEFAULT_CHAIN_ID = 'cairn-localnet-1';
export const CAIRN = 1_000_000n;

export async function newKey(): Promise<LocalnetKey> {
  const mnemonic = Bip39.encode(Random.getBytes(32)).toString();
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'cairn' });
  const [account] = await wallet.getAccounts();
  return { address: account!.address, mnemonic };
}

/** Merges each section's fields over the current ones (objects one level deep, like params). */
export function mergeSections(state: AppState, sections: CreateLocalnetOptions['genesis'] = {}): AppState {
  const next = structuredClone(state);
  for (const [name, section] of Object.entries(sections)) {
    const current = (next[name] ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(section)) {
      current[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...((current[k] ?? {}) as object), ...v } : v;
    }
    next[name] = current;
  }
  return next;
}

async function nodeHome(dir: string, index: number, ports: LocalnetNode['ports'], chainId: string): Promise<LocalnetNode> {
  const name = `node${index}`;
  const home = join(dir, name);
  const init = await initHome({ home, moniker: name, chainId });
  return { name, home, ports, nodeId: init.nodeId, consensus: { address: init.validator.address, pubKey: init.validator.pubKey } };
}

/** Seven loopback ports per node: CometBFT RPC and p2p, ABCI, libp2p, metrics, REST API, gRPC. */
const PORTS_PER_NODE = 7;

function portsAt(list: readonly number[], i: number): Required<LocalnetNode['ports']> {
  const p = list.slice(PORTS_PER_NODE * i, PORTS_PER_NODE * (i + 1));
  return { rpc: p[0]!, p2p: p[1]!, abci: p[2]!, libp2p: p[3]!, metrics: p[4]!, api: p[5]!, grpc: p[6]! };
}

/** A validator's node that reports its operators' uptime as `validator`, probing every `probeMs`. */
interface Availability {
  readonly validator: string;
  readonly probeMs: number;
}

/**
 * app.toml and config.toml of a node: libp2p on its port with `bootstrap` (every other node's
 * address), the watcher (key in config/watcher_key.hex) and metrics on theirs, and the availability
 * reporter when given.
 */
async function configureNode(node: LocalnetNode, peers: readonly LocalnetNode[], blockTimeMs: number, minimumGasPrices: string, bootstrap: readonly string[], availability?: Availability): Promise<void> {
  const abciAddress = `tcp://127.0.0.1:${node.ports.abci}`;
  const gossip = {
    p2pEnabled: true,
    p2pListen: [`/ip4/127.0.0.1/tcp/${node.ports.libp2p ?? 0}`],
    p2pBootstrap: bootstrap,
    watcherEnabled: true,
    metricsEnabled: true,
    metricsListen: `127.0.0.1:${node.ports.metrics ?? 0}`,
    // A localnet is for development: the REST API is on, as gRPC is by default.
    apiEnabled: true,
    apiCors: true,
    apiAddress: `tcp://127.0.0.1:${node.ports.api ?? 0}`,
    grpcAddress: `127.0.0.1:${node.ports.grpc ?? 0}`,
    ...(availability === undefined ? {} : { availabilityValidator: availability.validator, availabilityProbeIntervalMs: availability.probeMs }),
  };
  await writeAppConfig(node.home, { ...DEFAULT_APP_CONFIG, abciAddress, minimumGasPrices, checkInvariants: true, pruningKeepRecent: 0, ...gossip });
  await configure(
    node.home,
    localSettings({
      moniker: node.name,
      proxyApp: abciAddress,
      rpcPort: node.ports.rpc,
      p2pPort: node.ports.p2p,
      persistentPeers: peers.filter((p) => p.name !== node.name).map((p) => peerAddress(p.nodeId, '127.0.0.1', p.ports.p2p)),
      blockTimeMs,
    }),
  );
}

export async function createLocalnet(opts: CreateLocalnetOptions): Promise<LocalnetManifest> {
  const dir = resolve(opts.dir);
  const count = opts.validators ?? 4;
  if (!Number.isInteger(count) || count < 1 || count > 50) throw new LocalnetError(`--validators must be 1 to 50, got ${count}`);
  if (existsSync(manifestPath(dir))) throw new LocalnetError(`${dir} already holds a localnet: use \`cairn localnet up\` to start it or \`down --reset\` to remove it`);
  const chainId = opts.chainId ?? DEFAULT_CHAIN_ID;
  const blockTimeMs = opts.blockTimeMs ?? 1000;
  const selfBond = opts.selfBond ?? 100n * CAIRN;
  const minimumGasPrices = opts.minimumGasPrices ?? DEFAULT_APP_CONFIG.minimumGasPrices;
  await ensureCometbft({ log: opts.note ?? (() => {}) });
  await mkdir(dir, { recursive: true });

  const portList = await freePorts(PORTS_PER_NODE * count);
  const nodes: LocalnetNode[] = [];
  for (let i = 0; i < count; i++) nodes.push(await nodeHome(dir, i, portsAt(portList, i), chainId));
  const faucet = await newKey();
  await new Keyring({ dir, backend: 'test' }).add('faucet', { mnemonic: faucet.mnemonic });

  // The public dev verifier is trusted so attestations and capacity challenges work (dev only), and
  // proposals are decided within two minutes.
  let appState = mergeSections(withShortGovPeriods(trustDevVerifier(defaultAppState())), opts.genesis);
  appState = addGenesisAccount(appState, faucet.address, [{ denom: 'ucairn', amount: opts.faucetFunds ?? 1_000_000n * CAIRN }]);
  for (const a of opts.accounts ?? []) appState = addGenesisAccount(appState, a.address, [{ denom: 'ucairn', amount: a.amount }]);
  const operators = opts.operators ?? 0;
  if (!Number.isInteger(operators) || operators < 0 || operators > 50) throw new LocalnetError(`--operators must be 0 to 50, got ${operators}`);
  const playground = operators === 0 ? undefined : await planPlayground({ keyringDir: dir, filesDir: playgroundFilesDir(dir), operators });
  if (playground !== undefined) appState = fundPlayground(appState, playground);
  const withOperators: LocalnetNode[] = [];
  for (const node of nodes) {
    const operator = await newKey();
    await new Keyring({ dir: node.home, backend: 'test' }).add('validator', { mnemonic: operator.mnemonic });
    appState = addGenesisAccount(appState, operator.address, [{ denom: 'ucairn', amount: selfBond + (opts.operatorFunds ?? 1000n * CAIRN) }]);
    appState = addGenesisValidator(appState, { operator: operator.address, consensusPubKey: node.consensus.pubKey, selfBond, moniker: node.name });
    const watcher = await watcherAddress(await createWatcherKey(watcherKeyPath(node.home)), ADDRESS_PREFIX);
    appState = addGenesisAccount(appState, watcher, [{ denom: 'ucairn', amount: opts.watcherFunds ?? 1000n * CAIRN }]);
    withOperators.push({ ...node, operator, watcher });
  }
  // CometBFT's own validator list stays empty: InitChain returns the staking section's set.
  const genesis = buildGenesis({ chainId, validators: [], appState, consensusParams: defaultGenesisConsensusParams() });
  await checkGenesis(genesis);
  const gossipAddrs = await Promise.all(withOperators.map((node) => localP2pIdentity(node.home, node.ports.libp2p!)));
  const probeMs = opts.availabilityProbeMs ?? 60_000;
  if (!Number.isInteger(probeMs) || probeMs < 1000) throw new LocalnetError(`the availability probe interval must be at least 1000 ms, got ${probeMs}`);
  for (const [i, node] of withOperators.entries()) {
    await writeGenesis(node.home, genesis);
    // With operators to probe, each validator's node reports their uptime (its watcher key signs,
    // once the validator named it: localnet/playground.ts setAvailabilityReporters).
    const availability = playground === undefined ? undefined : { validator: node.operator!.address, probeMs };
    await configureNode(node, withOperators, blockTimeMs, minimumGasPrices, gossipAddrs.filter((_, j) => j !== i), availability);
  }
  const manifest: LocalnetManifest = { version: 1, chainId, dir, blockTimeMs, faucet, nodes: withOperators, ...(playground === undefined ? {} : { playground }) };
  await writeManifest(manifest);
  return manifest;
}

export interface AddNodeOptions {
  /**
   * Copy this node's consensus key instead of making a new one: two processes then sign as one
   * validator, which CometBFT reports as duplicate-vote evidence (for testing slashing only).
   */
  readonly cloneKeyOf?: string;
}

/**
 * A new full node (not a validator) with the same genesis, peered with every node over CometBFT and
 * libp2p; not started. Its watcher key is not funded (genesis is fixed): fund it from the faucet.
 */
export async function addNode(manifest: LocalnetManifest, opts: AddNodeOptions = {}): Promise<LocalnetNode> {
  const index = manifest.nodes.length;
  const node = await nodeHome(manifest.dir, index, portsAt(await freePorts(PORTS_PER_NODE), 0), manifest.chainId);
  let consensus = node.consensus;
  if (opts.cloneKeyOf !== undefined) {
    const source = manifest.nodes.find((n) => n.name === opts.cloneKeyOf);
    if (source === undefined) throw new LocalnetError(`no node ${opts.cloneKeyOf} in this localnet`);
    await copyFile(join(source.home, 'config', 'priv_validator_key.json'), join(node.home, 'config', 'priv_validator_key.json'));
    consensus = source.consensus;
  }
  const doc = await readGenesis(manifest.nodes[0]!.home);
  await writeGenesis(node.home, doc);
  const watcher = await watcherAddress(await createWatcherKey(watcherKeyPath(node.home)), genesisPrefix(doc));
  const added: LocalnetNode = { ...node, consensus, watcher };
  const bootstrap = (await Promise.all(manifest.nodes.map(libp2pAddress))).filter((a) => a !== undefined);
  await localP2pIdentity(added.home, added.ports.libp2p!);
  await configureNode(added, [...manifest.nodes, added], manifest.blockTimeMs, (await appConfigOf(manifest.nodes[0]!.home)) ?? DEFAULT_APP_CONFIG.minimumGasPrices, bootstrap);
  manifest.nodes.push(added);
  await writeManifest(manifest);
  return added;
}

/** The node's libp2p address with its peer id (for bootstrap lists and publishers), if it has one. */
export async function libp2pAddress(node: LocalnetNode): Promise<string | undefined> {
  if (node.ports.libp2p === undefined) return undefined;
  const seed = (await readFile(p2pKeyPath(node.home), 'utf8').catch(() => '')).trim();
  if (!/^[0-9a-f]{64}$/i.test(seed)) return undefined;
  return `/ip4/127.0.0.1/tcp/${node.ports.libp2p}/p2p/${(await p2pKeyFromSeed(new Uint8Array(Buffer.from(seed, 'hex')))).publicKey.toString()}`;
}

/** Writes the node's libp2p key (config/p2p_key.hex) and returns its address for the others. */
async function localP2pIdentity(home: string, port: number): Promise<string> {
  const seed = new Uint8Array(randomBytes(32));
  await writeFile(p2pKeyPath(home), Buffer.from(seed).toString('hex') + '\n', { mode: 0o600 });
  const key = await p2pKeyFromSeed(seed);
  return `/ip4/127.0.0.1/tcp/${port}/p2p/${key.publicKey.toString()}`;
}

function watcherKeyPath(home: string): string {
  return join(home, DEFAULT_APP_CONFIG.watcherKeyFile);
}

async function appConfigOf(home: string): Promise<string | undefined> {
  const text = await readFile(join(home, 'config', 'app.toml'), 'utf8').catch(() => '');
  return /minimum-gas-prices = "([^"]*)"/.exec(text)?.[1];
}

export async function removeLocalnet(dir: string): Promise<void> {
  // Only a directory that holds a localnet manifest (and so was made by createLocalnet) is removed.
  if (!existsSync(manifestPath(dir)) && !existsSync(genesisPath(join(dir, 'node0')))) return;
  await rm(dir, { recursive: true, force: true });
}
