// The node's own settings (<home>/config/app.toml): not consensus, each validator picks its own.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type TomlEdit, applyTomlEdits, readTomlValue } from './cometbft/toml.ts';
import { decodeBech32 } from '../core/framework/address.ts';
import { parseGasPrices } from '../core/tx/gas-price.ts';
import { DEFAULT_PROVABLE_HEIGHTS } from '../core/store/index.ts';
import { renderGatewaySection } from './gateway/config.ts';

export interface AppConfig {
  /** CheckTx rejects txs paying less, e.g. "0.025ucairn". Empty accepts any fee. */
  readonly minimumGasPrices: string;
  /** Where the ABCI server listens: tcp://127.0.0.1:26658 or unix:///path. */
  readonly abciAddress: string;
  /** Versions of state kept for historical queries and proofs; 0 keeps every version. */
  readonly pruningKeepRecent: number;
  /** Prune every this many commits. */
  readonly pruningInterval: number;
  /** The newest heights whose state tree stays in memory to answer proofs (core/store README). */
  readonly storeProvableHeights: number;
  /** Check SPEC §0 invariants after every block (slower; halts the node on a violation). */
  readonly checkInvariants: boolean;
  /** Run the libp2p host (gossip of receipt batches, batch fetch; node/p2p). */
  readonly p2pEnabled: boolean;
  /** libp2p listen multiaddrs, e.g. "/ip4/127.0.0.1/tcp/26659". */
  readonly p2pListen: readonly string[];
  /** libp2p multiaddrs with /p2p/<peer id> dialled at start. */
  readonly p2pBootstrap: readonly string[];
  /** Run the watcher (needs [p2p] and CometBFT): checks pending batches and challenges by itself. */
  readonly watcherEnabled: boolean;
  /** File with the watcher's secp256k1 private key (64 hex digits); relative to the home. */
  readonly watcherKeyFile: string;
  /** CometBFT RPC the watcher broadcasts to; "" = this node's (config.toml [rpc] laddr). */
  readonly watcherRpc: string;
  /** The validator account (cairn1…) whose availability reports this node sends; "" = none. */
  readonly availabilityValidator: string;
  /** How often every active operator's endpoints are probed (ms). */
  readonly availabilityProbeIntervalMs: number;
  /** Serve Prometheus metrics (text format 0.0.4) at http://<metricsListen>/metrics. */
  readonly metricsEnabled: boolean;
  /** host:port of the metrics endpoint, e.g. "127.0.0.1:26661" (port 0: any free port). */
  readonly metricsListen: string;
  /** Serve the REST/LCD gateway (off by default, as in simd; on for `cairn dev` and localnets). */
  readonly apiEnabled: boolean;
  /** Where it listens, simd's form: "tcp://127.0.0.1:1317" (port 0: any free port). */
  readonly apiAddress: string;
  /** Answer browsers from any origin (Access-Control-Allow-Origin: *). */
  readonly apiCors: boolean;
  /** Connections beyond this get 503 and are closed. */
  readonly apiMaxOpenConnections: number;
  /** Deadline of one REST or gRPC query, in seconds. */
  readonly apiTimeoutSeconds: number;
  /** Largest REST request body, in bytes. */
  readonly apiMaxBodyBytes: number;
  /** Serve gRPC (with server reflection) on `grpcAddress` (on by default, as in simd). */
  readonly grpcEnabled: boolean;
  /** host:port, e.g. "127.0.0.1:9090" (port 0: any free port). */
  readonly grpcAddress: string;
  /** Largest gRPC request message, in bytes. */
  readonly grpcMaxRecvMsgSize: number;
  /** A gRPC connection with no call in flight for this long (seconds) is closed with GOAWAY; clients reconnect. */
  readonly grpcMaxConnectionIdleSeconds: number;
  /** Serve the web explorer (node/explorer) over this node's REST API; needs [api] enable. */
  readonly explorerEnabled: boolean;
  /** host:port of the explorer page, e.g. "127.0.0.1:1318" (port 0: any free port). */
  readonly explorerAddress: string;
  /**
   * postgres:// URL of the database CometBFT's psql event sink writes ([tx_index] in config.toml):
   * the explorer's tx search and history are read from it. '': from the node's kv index.
   */
  readonly explorerPsql: string;
  /** Take a state-sync snapshot every this many blocks; 0: none (as in simd). */
  readonly snapshotInterval: number;
  /** State-sync snapshots kept. */
  readonly snapshotKeepRecent: number;
}

/** simd's ports: 1317 for the REST API, 9090 for gRPC. */
export const DEFAULT_API_PORT = 1317;
export const DEFAULT_GRPC_PORT = 9090;
/** The explorer's page, beside the REST API it reads. */
export const DEFAULT_EXPLORER_PORT = 1318;

/** The node's port plan next to CometBFT's 26656 (p2p), 26657 (RPC) and 26658 (ABCI). */
export const DEFAULT_LIBP2P_PORT = 26659;
/** Not 26660: that is CometBFT's own Prometheus port when its instrumentation is turned on. */
export const DEFAULT_METRICS_PORT = 26661;

export const DEFAULT_APP_CONFIG: AppConfig = {
  minimumGasPrices: '0.025ucairn',
  abciAddress: 'tcp://127.0.0.1:26658',
  pruningKeepRecent: 100_000,
  pruningInterval: 10,
  storeProvableHeights: DEFAULT_PROVABLE_HEIGHTS,
  checkInvariants: false,
  p2pEnabled: true,
  p2pListen: [`/ip4/127.0.0.1/tcp/${DEFAULT_LIBP2P_PORT}`],
  p2pBootstrap: [],
  watcherEnabled: true,
  watcherKeyFile: 'config/watcher_key.hex',
  watcherRpc: '',
  availabilityValidator: '',
  availabilityProbeIntervalMs: 60_000,
  metricsEnabled: true,
  metricsListen: `127.0.0.1:${DEFAULT_METRICS_PORT}`,
  apiEnabled: false,
  apiAddress: `tcp://127.0.0.1:${DEFAULT_API_PORT}`,
  apiCors: false,
  apiMaxOpenConnections: 1000,
  apiTimeoutSeconds: 10,
  apiMaxBodyBytes: 2 * 1024 * 1024,
  grpcEnabled: true,
  grpcAddress: `127.0.0.1:${DEFAULT_GRPC_PORT}`,
  grpcMaxRecvMsgSize: 4 * 1024 * 1024,
  grpcMaxConnectionIdleSeconds: 60,
  explorerEnabled: false,
  explorerAddress: `127.0.0.1:${DEFAULT_EXPLORER_PORT}`,
  explorerPsql: '',
  snapshotInterval: 0,
  snapshotKeepRecent: 2,
};

export function appConfigPath(home: string): string {
  return join(home, 'config', 'app.toml');
}

export function renderAppConfig(c: AppConfig): string {
  return `# Cairn node settings. These are local to this node, not consensus rules.

[fees]
# Minimum gas prices a tx must pay to enter this node's mempool, e.g. "0.025ucairn".
# Empty accepts any fee. Several denoms: "0.025ucairn,0.1uatom".
minimum-gas-prices = "${c.minimumGasPrices}"

[abci]
# Where the app listens for CometBFT (proxy_app in config.toml must match).
address = "${c.abciAddress}"

[pruning]
# How many recent versions of state to keep for queries at past heights (0 = all).
keep-recent = ${c.pruningKeepRecent}
# Prune every N blocks.
interval = ${c.pruningInterval}

[store]
# The state tree lives in memory (~150 B a key); proofs are answered for this many of the newest
# heights (within keep-recent), each holding the tree nodes the next block replaced (~70 B each,
# ~30 a bank send on 100k accounts). A node that restarted answers them from its restart on.
provable-heights = ${c.storeProvableHeights}

[invariants]
# Check every module's invariants (e.g. supply = sum of balances) after every block; halt on a violation.
check-every-block = ${c.checkInvariants}

[p2p]
# libp2p gossip of receipt batches and attestations, and batch fetch by root (node/p2p).
enabled = ${c.p2pEnabled}
listen = [${c.p2pListen.map((a) => JSON.stringify(a)).join(', ')}]
# Peers dialled at start: multiaddrs ending in /p2p/<peer id>.
bootstrap = [${c.p2pBootstrap.map((a) => JSON.stringify(a)).join(', ')}]

[watcher]
# Check every pending batch whose data can be found and submit challenges (needs [p2p] enabled).
enabled = ${c.watcherEnabled}
# The key that pays for challenges: a secp256k1 private key as 64 hex digits (relative to the home),
# created at the first start if missing. Fund its address (logged at start) or challenges fail.
key-file = "${c.watcherKeyFile}"
# CometBFT RPC that challenges are broadcast to; empty: this node's ([rpc] laddr in config.toml).
rpc = "${c.watcherRpc}"

[availability]
# A validator's node probes every active operator's endpoints and reports their uptime each epoch
# (MsgReportAvailability), signed by the watcher key. Set your validator's account address (cairn1…)
# here and name the watcher key its reporter once:
#   cairn tx emission set-reporter <validator-key> <watcher address>
# Empty: no reports (needs [watcher] enabled).
validator = "${c.availabilityValidator}"
# How often every active operator's endpoints are probed, in milliseconds (HTTP GET; an answer below
# 500 within 5 s counts as up).
probe-interval-ms = ${c.availabilityProbeIntervalMs}

[metrics]
# Prometheus text format at http://<listen>/metrics: app height, p2p and watcher counters.
enabled = ${c.metricsEnabled}
listen = "${c.metricsListen}"

[api]
# The REST/LCD gateway (the Cosmos SDK's routes, e.g. /cosmos/bank/v1beta1/balances/{address}, and
# Cairn's /cairn/<module>/v1/…), with its OpenAPI document at /openapi.json. Off by default, as in simd.
enable = ${c.apiEnabled}
address = "${c.apiAddress}"
# Allow any web page to call it (Access-Control-Allow-Origin: *).
enabled-unsafe-cors = ${c.apiCors}
# Connections beyond this are answered 503 and closed.
max-open-connections = ${c.apiMaxOpenConnections}
# Deadline of one query (REST and gRPC), in seconds. A REST client must also send its request's
# headers within this, and the whole request within three times this.
rpc-read-timeout = ${c.apiTimeoutSeconds}
# Largest request body (POST /cosmos/tx/v1beta1/txs, /simulate), in bytes.
max-body-bytes = ${c.apiMaxBodyBytes}

[grpc]
# gRPC with server reflection (grpcurl, relayers, SDK clients): the same queries as ABCI Query.
enable = ${c.grpcEnabled}
address = "${c.grpcAddress}"
# Largest request message, in bytes.
max-recv-msg-size = ${c.grpcMaxRecvMsgSize}
# A connection with no call in flight for this many seconds (one that never sends a call, say) is
# closed with GOAWAY; gRPC clients reconnect by themselves.
max-connection-idle = ${c.grpcMaxConnectionIdleSeconds}

[explorer]
# The web explorer and GPU marketplace page (node/explorer): it reads this node's REST API, so it
# needs [api] enable = true. Keep it on 127.0.0.1: to publish it, put a reverse proxy in front
# (TLS, rate limits), as for the REST API itself.
enable = ${c.explorerEnabled}
address = "${c.explorerAddress}"
# The PostgreSQL database of CometBFT's psql event sink (config.toml [tx_index] indexer = "psql",
# psql-conn), e.g. "postgres://explorer@127.0.0.1:5432/cairn": tx search and history are read
# from it. Empty: from this node's kv index. See the validator guide, "A public explorer with PostgreSQL".
psql = "${c.explorerPsql}"

[state-sync]
# Take a snapshot of the whole state every N blocks (0: none) into data/snapshots, and serve it to
# new nodes that join with CometBFT's state sync ([statesync] in config.toml). The node writes it in
# the background; it costs about one pass over the state.
snapshot-interval = ${c.snapshotInterval}
# Snapshots kept; older ones are deleted once a newer one is complete.
snapshot-keep-recent = ${c.snapshotKeepRecent}

${renderGatewaySection('operator-gateway')}
${renderGatewaySection('payer-gateway')}`;
}

export async function writeAppConfig(home: string, c: AppConfig): Promise<void> {
  await writeFile(appConfigPath(home), renderAppConfig(c));
}

/** Sets single keys of an existing app.toml in place; every other line, comments included, is kept. */
export async function editAppConfig(home: string, edits: readonly TomlEdit[]): Promise<void> {
  const path = appConfigPath(home);
  const after = applyTomlEdits(await readFile(path, 'utf8'), edits);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, after, 'utf8');
  await rename(tmp, path);
}

export async function readAppConfig(home: string): Promise<AppConfig> {
  let text: string;
  try {
    text = await readFile(appConfigPath(home), 'utf8');
  } catch {
    return DEFAULT_APP_CONFIG;
  }
  const str = (section: string, key: string, fallback: string): string => {
    const v = readTomlValue(text, section, key);
    if (v === undefined) return fallback;
    if (typeof v !== 'string') throw new RangeError(`app.toml [${section}] ${key} must be a string`);
    return v;
  };
  const int = (section: string, key: string, fallback: number): number => {
    const v = readTomlValue(text, section, key);
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new RangeError(`app.toml [${section}] ${key} must be a whole number >= 0`);
    return v;
  };
  const bool = (section: string, key: string, fallback: boolean): boolean => {
    const v = readTomlValue(text, section, key);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw new RangeError(`app.toml [${section}] ${key} must be true or false`);
    return v;
  };
  const list = (section: string, key: string, fallback: readonly string[]): readonly string[] => {
    const v = readTomlValue(text, section, key);
    if (v === undefined) return fallback;
    if (!Array.isArray(v)) throw new RangeError(`app.toml [${section}] ${key} must be a list of strings`);
    return v;
  };
  const config: AppConfig = {
    minimumGasPrices: str('fees', 'minimum-gas-prices', DEFAULT_APP_CONFIG.minimumGasPrices),
    abciAddress: str('abci', 'address', DEFAULT_APP_CONFIG.abciAddress),
    pruningKeepRecent: int('pruning', 'keep-recent', DEFAULT_APP_CONFIG.pruningKeepRecent),
    pruningInterval: Math.max(1, int('pruning', 'interval', DEFAULT_APP_CONFIG.pruningInterval)),
    storeProvableHeights: Math.max(1, int('store', 'provable-heights', DEFAULT_APP_CONFIG.storeProvableHeights)),
    checkInvariants: bool('invariants', 'check-every-block', DEFAULT_APP_CONFIG.checkInvariants),
    p2pEnabled: bool('p2p', 'enabled', DEFAULT_APP_CONFIG.p2pEnabled),
    p2pListen: list('p2p', 'listen', DEFAULT_APP_CONFIG.p2pListen),
    p2pBootstrap: list('p2p', 'bootstrap', DEFAULT_APP_CONFIG.p2pBootstrap),
    watcherEnabled: bool('watcher', 'enabled', DEFAULT_APP_CONFIG.watcherEnabled),
    watcherKeyFile: str('watcher', 'key-file', DEFAULT_APP_CONFIG.watcherKeyFile),
    watcherRpc: str('watcher', 'rpc', DEFAULT_APP_CONFIG.watcherRpc),
    availabilityValidator: str('availability', 'validator', DEFAULT_APP_CONFIG.availabilityValidator),
    availabilityProbeIntervalMs: Math.max(1_000, int('availability', 'probe-interval-ms', DEFAULT_APP_CONFIG.availabilityProbeIntervalMs)),
    metricsEnabled: bool('metrics', 'enabled', DEFAULT_APP_CONFIG.metricsEnabled),
    metricsListen: str('metrics', 'listen', DEFAULT_APP_CONFIG.metricsListen),
    apiEnabled: bool('api', 'enable', DEFAULT_APP_CONFIG.apiEnabled),
    apiAddress: str('api', 'address', DEFAULT_APP_CONFIG.apiAddress),
    apiCors: bool('api', 'enabled-unsafe-cors', DEFAULT_APP_CONFIG.apiCors),
    apiMaxOpenConnections: Math.max(1, int('api', 'max-open-connections', DEFAULT_APP_CONFIG.apiMaxOpenConnections)),
    apiTimeoutSeconds: Math.max(1, int('api', 'rpc-read-timeout', DEFAULT_APP_CONFIG.apiTimeoutSeconds)),
    apiMaxBodyBytes: Math.max(1024, int('api', 'max-body-bytes', DEFAULT_APP_CONFIG.apiMaxBodyBytes)),
    grpcEnabled: bool('grpc', 'enable', DEFAULT_APP_CONFIG.grpcEnabled),
    grpcAddress: str('grpc', 'address', DEFAULT_APP_CONFIG.grpcAddress),
    grpcMaxRecvMsgSize: Math.max(1024, int('grpc', 'max-recv-msg-size', DEFAULT_APP_CONFIG.grpcMaxRecvMsgSize)),
    grpcMaxConnectionIdleSeconds: Math.max(1, int('grpc', 'max-connection-idle', DEFAULT_APP_CONFIG.grpcMaxConnectionIdleSeconds)),
    explorerEnabled: bool('explorer', 'enable', DEFAULT_APP_CONFIG.explorerEnabled),
    explorerAddress: str('explorer', 'address', DEFAULT_APP_CONFIG.explorerAddress),
    explorerPsql: str('explorer', 'psql', DEFAULT_APP_CONFIG.explorerPsql),
    snapshotInterval: int('state-sync', 'snapshot-interval', DEFAULT_APP_CONFIG.snapshotInterval),
    snapshotKeepRecent: Math.max(1, int('state-sync', 'snapshot-keep-recent', DEFAULT_APP_CONFIG.snapshotKeepRecent)),
  };
  parseHostPort(config.metricsListen, 'app.toml [metrics] listen');
  apiHostPort(config.apiAddress);
  parseHostPort(config.grpcAddress, 'app.toml [grpc] address');
  parseHostPort(config.explorerAddress, 'app.toml [explorer] address');
  if (config.availabilityValidator !== '') {
    try {
      decodeBech32(config.availabilityValidator);
    } catch (e) {
      throw new RangeError(`app.toml [availability] validator must be your validator's account address (cairn1…): ${(e as Error).message}`, { cause: e });
    }
  }
  parseGasPrices(config.minimumGasPrices); // fail at start-up, not at the first tx
  return config;
}

export class ListenAddressError extends RangeError {
  override readonly name = 'ListenAddressError';
}

/** "host:port" (IPv6 hosts in brackets) → its parts; port 0 means any free port. */
export function parseHostPort(text: string, what: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (m === null || port > 65535) throw new ListenAddressError(`${what} must look like 127.0.0.1:26661, got ${JSON.stringify(text)}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** [api] address in simd's form, "tcp://host:port" (the scheme may be left out). */
export function apiHostPort(address: string): { host: string; port: number } {
  return parseHostPort(address.replace(/^tcp:\/\//, ''), 'app.toml [api] address');
}
