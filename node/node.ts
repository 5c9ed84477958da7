// A running Cairn node: the LevelDB store, the app, the ABCI server and (unless the validator runs
// it separately) a CometBFT child process wired to it; unless app.toml turns them off, libp2p
// (node/p2p), the watcher (node/watcher, with the availability reporter) and a Prometheus /metrics
// endpoint (node/metrics). startNode() brings them up in that order and stop() takes them down in
// reverse, each waiting for its work in flight (node/service.ts), so CometBFT never talks to a
// closed app and the watcher never reads a closed batch store.
// libp2p, the watcher, the REST and gRPC servers and the explorer are imported only when app.toml
// turns them on, and after the ABCI server listens: loading them up front (two thirds of the
// node's packages) delayed a restarted node's next block (bench/README.md, restart).
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startAbciServer } from './abci/server.ts';
import { CairnApp } from './app.ts';
import { readConfigValue } from './cometbft/config.ts';
import { type CometbftProcess, repairIndex, rpcUrlFromLaddr, startCometbft } from './cometbft/process.ts';
import { type AppConfig, apiHostPort, parseHostPort, readAppConfig } from './config.ts';
import { type Logger, componentLogger } from './log.ts';
import { CommitStore } from '../core/store/commit-store.ts';
import { checkGenesisFile, genesisPrefix } from './genesis.ts';
import { genesisPath, readGenesis } from './cometbft/genesis.ts';
import { checkPortsFree } from './preflight.ts';
import { limitHeapGrowth } from './memory.ts';
import { tablesReadWithPread } from '../core/store/level-reads.ts';
import type { P2pService } from './p2p/service.ts';
import type { WatcherService, WatcherServiceOptions } from './watcher/service.ts';
import { MetricsServer } from './metrics/server.ts';
import { NodeMetrics } from './metrics/node.ts';
import { AppHashCheck } from './metrics/app-hash.ts';
import { readValidatorKey } from './cometbft/keys.ts';
import type { Service } from './service.ts';
import { upgradeHandlers } from './upgrades.ts';
import type { UpgradeHaltError } from '../modules/upgrade/index.ts';
import { ApiQueries } from './api/router.ts';
import type { RestServer } from './api/rest.ts';
import type { GrpcServer } from './api/grpc.ts';
import type { ExplorerServer } from './explorer/server.ts';
import { Snapshots, snapshotsDir } from './snapshots/index.ts';

/** InitChain's fields besides app_state (validators, consensus params, chain id), with room to spare. */
const INIT_CHAIN_FRAME_MARGIN = 1024 * 1024;

/**
 * How long a node that reached a due upgrade keeps CometBFT gossiping before it stops: CometBFT's
 * vote gossip runs every 100 ms, so a peer that lacked the deciding precommits gets them many times
 * over; the SDK's nodes, for comparison, stay up after the halt until cosmovisor or the operator stops them.
 */
const UPGRADE_HALT_GRACE_MS = 5_000;

export interface NodeOptions {
  readonly home: string;
  readonly logger: Logger;
  /** false: only the ABCI server (the validator runs CometBFT itself). */
  readonly withCometbft: boolean;
  /** Overrides of app.toml. */
  readonly config?: Partial<AppConfig>;
  /** CometBFT's output; default <home>/cometbft.log. */
  readonly cometbftLog?: string;
  /** Aborting it stops the node, as stop() does. */
  readonly signal?: AbortSignal;
  /** Upgrade handlers to register beyond this build's own, by name (`--upgrade-handler`, node/upgrades.ts). */
  readonly upgradeHandlers?: readonly string[];
  /** The params authority (AppOptions.authority): tests only, so they can sign for it. */
  readonly authority?: Uint8Array;
}

export interface RunningNode {
  readonly app: CairnApp;
  readonly abciAddress: string;
  readonly rpcUrl: string | undefined;
  readonly cometbft: CometbftProcess | undefined;
  /** Resolves when CometBFT exits on its own (never, with --abci-only). */
  readonly cometbftExited: Promise<number | null>;
  /**
   * Resolves when the chain reaches an upgrade this build cannot run (or runs too early): the app
   * refused the block, CometBFT stops, <home>/data/upgrade-info.json names the plan (as the SDK
   * writes it for cosmovisor).
   */
  readonly halted: Promise<UpgradeHaltError>;
  /** The libp2p host and batch store, when [p2p] enabled. */
  readonly p2p: P2pService | undefined;
  /** The watcher, when [watcher] enabled (with [p2p]). */
  readonly watcher: WatcherService | undefined;
  /** The Prometheus endpoint, when [metrics] enabled (`metrics.url`). */
  readonly metrics: MetricsServer | undefined;
  /** The REST/LCD gateway, when [api] enable (`api.url`). */
  readonly api: RestServer | undefined;
  /** The gRPC server, when [grpc] enable (`grpc.address`). */
  readonly grpc: GrpcServer | undefined;
  /** The web explorer, when [explorer] enable (`explorer.url`). */
  readonly explorer: ExplorerServer | undefined;
  stop(): Promise<void>;
}

export function dataDir(home: string): string {
  return join(home, 'data', 'application.db');
}

export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  const config = { ...(await readAppConfig(opts.home)), ...opts.config };
  if (config.explorerEnabled && !config.apiEnabled) throw new RangeError('app.toml [explorer] enable = true needs [api] enable = true: the explorer reads this node\'s REST API');
  // A home that never ran is checked before its database exists, so a refusal leaves nothing behind.
  const fresh = !existsSync(dataDir(opts.home));
  if (fresh) await preflight(opts, config, true);
  const store = await openStore(opts.home, config);
  // The state tree is rebuilt from the latest table while the app loads and CometBFT starts (core/store
  // README, "In memory"); a latest table that does not hash to the last app hash stops the node below.
  void store.treeReady.catch((err: unknown) => opts.logger.error(String((err as Error)?.message ?? err), { height: String(store.lastHeight) }));
  if (!tablesReadWithPread()) opts.logger.warn('LevelDB reads its tables through mmap here (its pread switch could not be set): the node\'s RSS will include every table page its reads touched');
  // What runs, in the order it started: stop() takes it down in reverse, each part waiting for its
  // work in flight, so nothing is left using a part (or the store) that is gone.
  const started: { stop(): Promise<void> }[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      for (const part of started.reverse()) await part.stop();
      await store.close();
    })());
  const run = async <S extends Service>(part: S): Promise<S> => {
    started.push(part);
    await part.start();
    return part;
  };
  let indexRepair: Promise<void> | undefined;
  try {
    if (!fresh) await preflight(opts, config, store.lastHeight === 0n);
    // After the genesis dry run, which peaks like InitChain and is over before the node runs.
    limitHeapGrowth();
    // After a crash CometBFT's tx index is repaired before it starts (node/cometbft/process.ts). That
    // touches only CometBFT's databases, so it runs while the app loads and listens, not after.
    const cometbftLog = opts.cometbftLog ?? join(opts.home, 'cometbft.log');
    indexRepair = opts.withCometbft ? repairIndex({ home: opts.home, logFile: cometbftLog, appHeight: store.lastHeight }) : undefined;
    // Awaited by startCometbft; should the start fail before that, the catch below waits for it.
    void indexRepair?.catch(() => {});
    const snapshots = new Snapshots({ dir: snapshotsDir(opts.home), interval: config.snapshotInterval, keepRecent: config.snapshotKeepRecent, logger: componentLogger(opts.logger, 'snapshots') });
    await snapshots.open();
    started.push(snapshots);
    const app = new CairnApp({
      snapshots,
      store,
      logger: componentLogger(opts.logger, 'app'),
      minGasPrices: config.minimumGasPrices,
      checkInvariants: config.checkInvariants,
      upgradeHandlers: upgradeHandlers(opts.upgradeHandlers),
      upgradeHaltGraceMs: UPGRADE_HALT_GRACE_MS,
      ...(opts.authority === undefined ? {} : { authority: opts.authority }),
    });
    await app.load();
    await app.checkUpgradeHandlers();
    const halted = app.halted.then(async (err) => {
      const { name, height, info } = err.plan;
      await writeFile(join(opts.home, 'data', 'upgrade-info.json'), `${JSON.stringify({ name, height: Number(height), info })}\n`).catch(() => {});
      return err;
    });
    opts.logger.info('app loaded', { height: String(store.lastHeight), appHash: Buffer.from(store.lastAppHash).toString('hex').toUpperCase() });
    // Metrics count what CometBFT asks the app from the first request, and stop after the ABCI server.
    const nodeMetrics = config.metricsEnabled
      ? await run(new NodeMetrics({ app, dataDir: dataDir(opts.home), logger: componentLogger(opts.logger, 'metrics'), validatorAddress: await readValidatorKey(opts.home).then((k) => k.address, () => undefined) }))
      : undefined;
    // A new chain's InitChain carries the whole genesis app_state, which may exceed the 64 MiB every
    // other request is held to: it may be as large as the genesis.json this node checked (plus the
    // request's few other fields), and no larger (docs/decisions.md, "A genesis larger than one ABCI message").
    const genesisBytes = store.lastHeight === 0n ? await stat(genesisPath(opts.home)).then((s) => s.size, () => undefined) : undefined;
    const server = await startAbciServer(nodeMetrics?.instrument(app) ?? app, {
      address: config.abciAddress,
      logger: componentLogger(opts.logger, 'abci'),
      initChainMaxFrameBytes: genesisBytes === undefined ? undefined : genesisBytes + INIT_CHAIN_FRAME_MARGIN,
    });
    started.push(server);
    let cometbft: CometbftProcess | undefined;
    if (opts.withCometbft) {
      cometbft = await startCometbft({
        home: opts.home,
        logFile: cometbftLog,
        extraArgs: [`--proxy_app=${server.address}`],
        ...(indexRepair === undefined ? {} : { indexRepair }),
        // On a new chain CometBFT's RPC answers only after InitChain, which takes more than the usual
        // 30 s on a genesis of 100k accounts on a busy machine (bench/state.ts).
        ...(store.lastHeight === 0n ? { readyTimeoutMs: 10 * 60_000 } : {}),
      });
      started.push(cometbft);
    }
    await store.treeReady;
    let p2p: P2pService | undefined;
    if (config.p2pEnabled) {
      const chainId = app.chainId || (await readGenesis(opts.home)).chain_id;
      const { P2pService } = await import('./p2p/service.ts');
      p2p = await run(new P2pService({ home: opts.home, app, logger: componentLogger(opts.logger, 'p2p'), listen: config.p2pListen, bootstrap: config.p2pBootstrap, chainId }));
    }
    const watcherOptions = config.watcherEnabled ? await nodeWatcherOptions(opts, config, app, p2p, cometbft) : undefined;
    const watcher = watcherOptions === undefined ? undefined : await run(new (await import('./watcher/service.ts')).WatcherService(watcherOptions));
    let metrics: MetricsServer | undefined;
    if (nodeMetrics !== undefined) {
      nodeMetrics.addParts({ p2p, watcher });
      // [watcher] rpc naming another node: this node's app hashes are compared with its headers.
      if (config.watcherRpc !== '') await run(new AppHashCheck({ rpcUrl: config.watcherRpc, appHashAt: (h) => nodeMetrics.abci.appHashAt(h), registry: nodeMetrics.registry, logger: componentLogger(opts.logger, 'metrics') }));
      const { host, port } = parseHostPort(config.metricsListen, 'app.toml [metrics] listen');
      metrics = await run(new MetricsServer({ host, port, collect: () => nodeMetrics.text(), logger: componentLogger(opts.logger, 'metrics') }));
      opts.logger.info('metrics endpoint', { url: metrics.url });
    }
    let api: RestServer | undefined;
    let grpc: GrpcServer | undefined;
    if (config.apiEnabled || config.grpcEnabled) {
      const queries = await apiQueries(opts, config, app, cometbft);
      if (config.apiEnabled) {
        const { RestServer } = await import('./api/rest.ts');
        const { host, port } = apiHostPort(config.apiAddress);
        api = await run(
          new RestServer({
            host,
            port,
            queries,
            logger: componentLogger(opts.logger, 'api'),
            cors: config.apiCors,
            maxOpenConnections: config.apiMaxOpenConnections,
            maxBodyBytes: config.apiMaxBodyBytes,
            headersTimeoutMs: config.apiTimeoutSeconds * 1000,
            requestTimeoutMs: config.apiTimeoutSeconds * 3000,
          }),
        );
        opts.logger.info('REST API', { url: api.url });
      }
      if (config.grpcEnabled) {
        const { host, port } = parseHostPort(config.grpcAddress, 'app.toml [grpc] address');
        const { GrpcServer } = await import('./api/grpc.ts');
        grpc = await run(new GrpcServer({ host, port, queries, logger: componentLogger(opts.logger, 'grpc'), maxRecvMsgSize: config.grpcMaxRecvMsgSize, maxConnectionIdleMs: config.grpcMaxConnectionIdleSeconds * 1000 }));
        opts.logger.info('gRPC', { address: grpc.address });
      }
    }
    let explorer: ExplorerServer | undefined;
    if (config.explorerEnabled && api !== undefined) {
      const { host, port } = parseHostPort(config.explorerAddress, 'app.toml [explorer] address');
      const psql = config.explorerPsql === '' ? undefined : { url: config.explorerPsql, chainId: app.chainId || (await readGenesis(opts.home)).chain_id };
      const { ExplorerServer } = await import('./explorer/server.ts');
      explorer = await run(new ExplorerServer({ host, port, rest: api.url, logger: componentLogger(opts.logger, 'explorer'), ...(psql === undefined ? {} : { psql }) }));
      opts.logger.info('explorer', { url: explorer.url });
    }
    opts.signal?.addEventListener('abort', () => void stop(), { once: true });
    return {
      app,
      abciAddress: server.address,
      rpcUrl: cometbft?.rpcUrl,
      cometbft,
      cometbftExited: cometbft?.exited ?? new Promise(() => {}),
      halted,
      p2p,
      watcher,
      metrics,
      api,
      grpc,
      explorer,
      stop,
    };
  } catch (err) {
    await stop();
    await indexRepair?.catch(() => {});
    throw err;
  }
}

/**
 * The watcher needs libp2p (its data) and a CometBFT RPC to broadcast to: [watcher] rpc, else the
 * child CometBFT, else (with --abci-only) the RPC in this home's config.toml. A missing key file is
 * created; whether its account is funded is checked and logged by the watcher itself.
 */
async function nodeWatcherOptions(opts: NodeOptions, config: AppConfig, app: CairnApp, p2p: P2pService | undefined, cometbft: CometbftProcess | undefined): Promise<WatcherServiceOptions | undefined> {
  if (p2p === undefined) {
    opts.logger.warn('watcher not started: it needs [p2p] enabled in app.toml');
    return undefined;
  }
  let rpcUrl = config.watcherRpc || cometbft?.rpcUrl;
  if (rpcUrl === undefined) {
    const laddr = await readConfigValue(opts.home, 'rpc', 'laddr').catch(() => undefined);
    if (typeof laddr !== 'string') {
      opts.logger.warn('watcher not started: no CometBFT RPC to send challenges to; set [watcher] rpc in app.toml');
      return undefined;
    }
    rpcUrl = rpcUrlFromLaddr(laddr);
  }
  const keyFile = resolve(opts.home, config.watcherKeyFile);
  const { loadOrCreateWatcherKey } = await import('./watcher/key.ts');
  const { key, created } = await loadOrCreateWatcherKey(keyFile);
  if (created) opts.logger.info('watcher: created a new key', { file: keyFile });
  const availability = config.availabilityValidator === '' ? {} : { availability: { validator: config.availabilityValidator, probeIntervalMs: config.availabilityProbeIntervalMs } };
  // Before InitChain (a new chain, or --abci-only) the app does not know the prefix yet: the genesis does.
  const prefix = app.chainId ? app.addresses.prefix : genesisPrefix(await readGenesis(opts.home));
  return { home: opts.home, app, p2p, rpcUrl, key, prefix, gasPrice: config.minimumGasPrices, logger: componentLogger(opts.logger, 'watcher'), ...availability };
}

/**
 * The queries the REST and gRPC surfaces answer: the app's, and the tx and tendermint services from
 * CometBFT's RPC (the child's, else, with --abci-only, the one in this home's config.toml).
 */
async function apiQueries(opts: NodeOptions, config: AppConfig, app: CairnApp, cometbft: CometbftProcess | undefined): Promise<ApiQueries> {
  let rpcUrl = cometbft?.rpcUrl;
  if (rpcUrl === undefined) {
    const laddr = await readConfigValue(opts.home, 'rpc', 'laddr').catch(() => undefined);
    if (typeof laddr === 'string') rpcUrl = rpcUrlFromLaddr(laddr);
  }
  const timeoutMs = config.apiTimeoutSeconds * 1000;
  const abciQuery = (req: Parameters<CairnApp['query']>[0]) => app.query(req);
  const { nodeServices } = await import('./api/node-services.ts');
  const services = rpcUrl === undefined ? new Map() : nodeServices({ rpcUrl, consensusPrefix: `${app.addresses.prefix}valcons`, abciQuery, timeoutMs });
  return new ApiQueries({ abciQuery, services, timeoutMs });
}

/**
 * Before anything starts: a new chain's genesis passes the same check as `cairn genesis validate`
 * (a dry-run InitChain), and every port the node will listen on is free.
 */
async function preflight(opts: NodeOptions, config: AppConfig, newChain: boolean): Promise<void> {
  if (newChain) {
    try {
      await checkGenesisFile(genesisPath(opts.home));
    } catch (err) {
      throw new Error(`${(err as Error).message}. Fix it, then check it with \`cairn genesis validate --home ${opts.home}\``, { cause: err });
    }
  }
  await checkPortsFree(opts.home, config, opts.withCometbft);
}

export async function openStore(home: string, config: AppConfig): Promise<CommitStore> {
  try {
    return await CommitStore.open({ path: dataDir(home), keepRecent: config.pruningKeepRecent, pruneInterval: config.pruningInterval, provableHeights: config.storeProvableHeights });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED' || /LOCK: Resource temporarily unavailable/.test(cause?.message ?? '')) {
      throw new Error(`another Cairn node is already running on ${home} (its database is locked); stop it first, or use another --home`, { cause: err });
    }
    throw err;
  }
}
