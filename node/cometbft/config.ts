// The config.toml keys Cairn sets, as a typed object, and the edit that writes them.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyTomlEdits, readTomlValue } from './toml.ts';
import type { TomlEdit, TomlValue } from './toml.ts';

/** A PostgreSQL connection URL, as CometBFT's psql sink and the pg client take it. */
export const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

export interface CometbftSettings {
  moniker?: string;
  // `tcp://127.0.0.1:26658`, `unix:///path/app.sock`, or a built-in app name such as `kvstore`.
  proxyApp?: string;
  abci?: 'socket' | 'grpc';
  logLevel?: string;
  rpc?: {
    laddr?: string;
    corsAllowedOrigins?: readonly string[];
    /** The operator's RPC methods (dial_peers, unsafe_flush_mempool): never on a public endpoint. */
    unsafe?: boolean;
  };
  p2p?: {
    laddr?: string;
    externalAddress?: string;
    // `<node id>@<host>:<port>` each; see peerAddress().
    persistentPeers?: readonly string[];
    seeds?: readonly string[];
    addrBookStrict?: boolean;
    allowDuplicateIp?: boolean;
    pex?: boolean;
  };
  // Durations in milliseconds.
  consensus?: {
    timeoutProposeMs?: number;
    timeoutProposeDeltaMs?: number;
    timeoutPrevoteMs?: number;
    timeoutPrevoteDeltaMs?: number;
    timeoutPrecommitMs?: number;
    timeoutPrecommitDeltaMs?: number;
    timeoutCommitMs?: number;
    skipTimeoutCommit?: boolean;
    createEmptyBlocks?: boolean;
    createEmptyBlocksIntervalMs?: number;
  };
  storage?: {
    discardAbciResponses?: boolean;
  };
  txIndex?: {
    /**
     * "psql" writes txs and events to PostgreSQL for an explorer (node/indexer); CometBFT's RPC then
     * cannot look txs up (tx, tx_search, block_search): see docs/validator-guide.md.
     */
    indexer?: 'kv' | 'null' | 'psql';
    /** With "psql": postgres://user:password@host:port/database?sslmode=disable (or require); '' clears it. */
    psqlConn?: string;
  };
  instrumentation?: {
    prometheus?: boolean;
    prometheusListenAddr?: string;
    namespace?: string;
  };
  /** Join from a snapshot (state sync) instead of replaying every block; see docs/validator-guide.md. */
  statesync?: {
    enable?: boolean;
    /** At least two CometBFT RPC endpoints (`http://host:port`) the light client verifies headers against. */
    rpcServers?: readonly string[];
    /** A height and its block hash the new node trusts (from a source it trusts). */
    trustHeight?: number;
    trustHash?: string;
    trustPeriodMs?: number;
    /** How long to gather snapshots before choosing one (CometBFT's minimum is 5 s). */
    discoveryTimeMs?: number;
  };
}

const LISTEN_ADDR = /^(tcp:\/\/[^\s/]+:\d{1,5}|unix:\/\/\/\S+)$/;
const PEER = /^[0-9a-f]{40}@[^\s,@]+:\d{1,5}$/;

function listenAddr(what: string, value: string): string {
  if (!LISTEN_ADDR.test(value)) throw new RangeError(`${what} must look like tcp://host:port or unix:///path, got ${JSON.stringify(value)}`);
  return value;
}

// CometBFT refuses to start with a moniker that is not printable ASCII (p2p NodeInfo.Validate).
function moniker(value: string): string {
  if (!/^[\x20-\x7e]+$/.test(value) || value.trim() === '') {
    throw new RangeError(`moniker must be non-empty printable ASCII, got ${JSON.stringify(value)}`);
  }
  return value;
}

function peers(what: string, list: readonly string[]): string {
  for (const p of list) {
    if (!PEER.test(p)) throw new RangeError(`${what} entries must be <40-hex node id>@host:port, got ${JSON.stringify(p)}`);
  }
  return list.join(',');
}

function duration(what: string, ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`${what} must be a whole number of milliseconds >= 0, got ${ms}`);
  return `${ms}ms`;
}

// `<node id>@<host>:<port>`, the form persistent_peers and seeds take.
export function peerAddress(nodeId: string, host: string, port: number): string {
  const address = `${nodeId}@${host}:${port}`;
  peers('peer address', [address]);
  return address;
}

// The settings as (section, key, value) edits, validated. Only the keys present in `settings` appear.
export function settingsToEdits(settings: CometbftSettings): TomlEdit[] {
  const edits: TomlEdit[] = [];
  const set = (section: string, key: string, value: TomlValue | undefined): void => {
    if (value !== undefined) edits.push({ section, key, value });
  };
  const { rpc, p2p, consensus: c, storage, txIndex, instrumentation: ins } = settings;

  set('', 'proxy_app', settings.proxyApp);
  set('', 'moniker', settings.moniker === undefined ? undefined : moniker(settings.moniker));
  set('', 'abci', settings.abci);
  set('', 'log_level', settings.logLevel);
  set('rpc', 'laddr', rpc?.laddr === undefined ? undefined : listenAddr('rpc.laddr', rpc.laddr));
  set('rpc', 'cors_allowed_origins', rpc?.corsAllowedOrigins);
  set('rpc', 'unsafe', rpc?.unsafe);
  set('p2p', 'laddr', p2p?.laddr === undefined ? undefined : listenAddr('p2p.laddr', p2p.laddr));
  set('p2p', 'external_address', p2p?.externalAddress);
  set('p2p', 'persistent_peers', p2p?.persistentPeers && peers('p2p.persistent_peers', p2p.persistentPeers));
  set('p2p', 'seeds', p2p?.seeds && peers('p2p.seeds', p2p.seeds));
  set('p2p', 'addr_book_strict', p2p?.addrBookStrict);
  set('p2p', 'allow_duplicate_ip', p2p?.allowDuplicateIp);
  set('p2p', 'pex', p2p?.pex);
  const timeouts = [
    ['timeout_propose', c?.timeoutProposeMs],
    ['timeout_propose_delta', c?.timeoutProposeDeltaMs],
    ['timeout_prevote', c?.timeoutPrevoteMs],
    ['timeout_prevote_delta', c?.timeoutPrevoteDeltaMs],
    ['timeout_precommit', c?.timeoutPrecommitMs],
    ['timeout_precommit_delta', c?.timeoutPrecommitDeltaMs],
    ['timeout_commit', c?.timeoutCommitMs],
    ['create_empty_blocks_interval', c?.createEmptyBlocksIntervalMs],
  ] as const;
  for (const [key, ms] of timeouts) set('consensus', key, ms === undefined ? undefined : duration(`consensus.${key}`, ms));
  set('consensus', 'skip_timeout_commit', c?.skipTimeoutCommit);
  set('consensus', 'create_empty_blocks', c?.createEmptyBlocks);
  set('storage', 'discard_abci_responses', storage?.discardAbciResponses);
  set('tx_index', 'indexer', txIndex?.indexer);
  if (txIndex?.psqlConn !== undefined && txIndex.psqlConn !== '' && !POSTGRES_URL.test(txIndex.psqlConn)) throw new RangeError('tx_index.psql-conn must be a postgres:// URL, e.g. postgres://cairn:secret@127.0.0.1:5432/cairn?sslmode=disable');
  set('tx_index', 'psql-conn', txIndex?.psqlConn);
  set('instrumentation', 'prometheus', ins?.prometheus);
  set('instrumentation', 'prometheus_listen_addr', ins?.prometheusListenAddr);
  set('instrumentation', 'namespace', ins?.namespace);
  const ss = settings.statesync;
  set('statesync', 'enable', ss?.enable);
  if (ss?.rpcServers !== undefined && ss.rpcServers.length < 2) throw new RangeError('statesync.rpc_servers needs at least two endpoints (the same one twice will do on a localnet)');
  set('statesync', 'rpc_servers', ss?.rpcServers?.join(','));
  if (ss?.trustHeight !== undefined && (!Number.isSafeInteger(ss.trustHeight) || ss.trustHeight < 1)) throw new RangeError(`statesync.trust_height must be a height >= 1, got ${ss.trustHeight}`);
  set('statesync', 'trust_height', ss?.trustHeight);
  if (ss?.trustHash !== undefined && !/^[0-9A-Fa-f]{64}$/.test(ss.trustHash)) throw new RangeError(`statesync.trust_hash must be a block hash (64 hex digits), got ${JSON.stringify(ss.trustHash)}`);
  set('statesync', 'trust_hash', ss?.trustHash);
  set('statesync', 'trust_period', ss?.trustPeriodMs === undefined ? undefined : duration('statesync.trust_period', ss.trustPeriodMs));
  set('statesync', 'discovery_time', ss?.discoveryTimeMs === undefined ? undefined : duration('statesync.discovery_time', ss.discoveryTimeMs));
  return edits;
}

export function configPath(home: string): string {
  return join(home, 'config', 'config.toml');
}

// Sets exactly the keys given in `settings` in `<home>/config/config.toml`; every other line is kept.
// The file is replaced atomically so a crash never leaves half a config.
export async function configure(home: string, settings: CometbftSettings): Promise<void> {
  const path = configPath(home);
  const before = await readFile(path, 'utf8');
  const after = applyTomlEdits(before, settingsToEdits(settings));
  if (after === before) return;
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, after, 'utf8');
  await rename(tmp, path);
}

// Reads one key of `<home>/config/config.toml` (section '' for top-level keys).
export async function readConfigValue(home: string, section: string, key: string): Promise<TomlValue | undefined> {
  return readTomlValue(await readFile(configPath(home), 'utf8'), section, key);
}

export interface LocalSettingsOptions {
  moniker: string;
  proxyApp: string;
  rpcPort: number;
  p2pPort: number;
  persistentPeers?: readonly string[];
  // Target block interval; CosmJS's own test chain uses 1000 (its getHeight test expects ~1 block/s).
  blockTimeMs?: number;
}

// Settings for a node that lives on loopback (dev chain, localnet, integration tests). The README explains each.
export function localSettings(opts: LocalSettingsOptions): CometbftSettings {
  return {
    moniker: opts.moniker,
    proxyApp: opts.proxyApp,
    rpc: { laddr: `tcp://127.0.0.1:${opts.rpcPort}`, corsAllowedOrigins: ['*'] },
    p2p: {
      laddr: `tcp://127.0.0.1:${opts.p2pPort}`,
      persistentPeers: opts.persistentPeers ?? [],
      addrBookStrict: false,
      allowDuplicateIp: true,
    },
    consensus: {
      timeoutProposeMs: 300,
      timeoutProposeDeltaMs: 100,
      timeoutPrevoteMs: 300,
      timeoutPrevoteDeltaMs: 100,
      timeoutPrecommitMs: 300,
      timeoutPrecommitDeltaMs: 100,
      timeoutCommitMs: opts.blockTimeMs ?? 1000,
      createEmptyBlocks: true,
    },
    storage: { discardAbciResponses: false },
    txIndex: { indexer: 'kv' },
  };
}
