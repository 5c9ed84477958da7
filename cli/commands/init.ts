// `cairn init [moniker] --chain-id <id>`: a new node home with CometBFT keys, config.toml, app.toml
// and a genesis. The validator set comes from the staking section of that genesis: fund an operator
// (`genesis add-account`) and bond it with this node's consensus key (`genesis add-validator`).
import { existsSync } from 'node:fs';
import { appendFile, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type ChainSettings, InvalidGenesisError, checkGenesis, defaultAppState, defaultGenesisConsensusParams, genesisPrefix, withChainSettings } from '../../node/genesis.ts';
import { addGenesisValidator } from '../../modules/staking/genesis-builder.ts';
import { ensureCometbft } from '../../node/cometbft/install.ts';
import { buildGenesis, genesisPath, readGenesis, validateChainId, writeGenesis } from '../../node/cometbft/genesis.ts';
import { HomeMismatchError } from '../../node/cometbft/errors.ts';
import { dataDir } from '../../node/node.ts';
import { configure, initHome } from '../../node/cometbft/home.ts';
import { localSettings, settingsToEdits } from '../../node/cometbft/config.ts';
import { readTomlValue } from '../../node/cometbft/toml.ts';
import { type AppConfig, DEFAULT_API_PORT, DEFAULT_APP_CONFIG, DEFAULT_GRPC_PORT, DEFAULT_LIBP2P_PORT, DEFAULT_METRICS_PORT, appConfigPath, editAppConfig, readAppConfig, writeAppConfig } from '../../node/config.ts';
import { loadOrCreateWatcherKey, watcherAddress } from '../../node/watcher/key.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { booleanFlag, stringFlag } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { validateDenom } from '../../core/framework/coins.ts';
import { fields } from '../output.ts';

export interface InitResult {
  readonly home: string;
  readonly chainId: string;
  readonly nodeId: string;
  readonly validatorAddress: string;
  /** The account that pays for the watcher's challenges (fund it). */
  readonly watcherAddress: string;
  readonly created: boolean;
}

/** A home's loopback ports; libp2p, metrics, the REST API and gRPC left out listen on any free port. */
export interface NodePorts {
  readonly rpc: number;
  readonly p2p: number;
  readonly abci: number;
  readonly libp2p?: number;
  readonly metrics?: number;
  readonly api?: number;
  readonly grpc?: number;
}

/**
 * CometBFT's 26656 (P2P), 26657 (RPC), 26658 (ABCI), the node's 26659 (libp2p) and 26661
 * (metrics), and simd's 1317 (REST API) and 9090 (gRPC), each moved up by `offset`
 * (`cairn dev --port-offset`).
 */
export function defaultPorts(offset = 0): Required<NodePorts> {
  return {
    p2p: 26656 + offset,
    rpc: 26657 + offset,
    abci: 26658 + offset,
    libp2p: DEFAULT_LIBP2P_PORT + offset,
    metrics: DEFAULT_METRICS_PORT + offset,
    api: DEFAULT_API_PORT + offset,
    grpc: DEFAULT_GRPC_PORT + offset,
  };
}

/** Points an existing home's config.toml and app.toml at these loopback ports; every other setting is kept. */
export async function setNodePorts(home: string, ports: Required<NodePorts>): Promise<void> {
  const abci = `tcp://127.0.0.1:${ports.abci}`;
  await configure(home, { proxyApp: abci, rpc: { laddr: `tcp://127.0.0.1:${ports.rpc}` }, p2p: { laddr: `tcp://127.0.0.1:${ports.p2p}` } });
  await editAppConfig(home, [
    { section: 'abci', key: 'address', value: abci },
    { section: 'p2p', key: 'listen', value: [`/ip4/127.0.0.1/tcp/${ports.libp2p}`] },
    { section: 'metrics', key: 'listen', value: `127.0.0.1:${ports.metrics}` },
  ]);
  // Homes made before the REST API and gRPC existed have no such sections: they are added, off and on as by default.
  const text = await readFile(appConfigPath(home), 'utf8');
  const missing = (section: string) => readTomlValue(text, section, 'address') === undefined;
  if (missing('api')) await appendFile(appConfigPath(home), `\n[api]\nenable = false\naddress = "tcp://127.0.0.1:${ports.api}"\n`);
  if (missing('grpc')) await appendFile(appConfigPath(home), `\n[grpc]\nenable = true\naddress = "127.0.0.1:${ports.grpc}"\n`);
  await editAppConfig(home, [
    { section: 'api', key: 'address', value: `tcp://127.0.0.1:${ports.api}` },
    { section: 'grpc', key: 'address', value: `127.0.0.1:${ports.grpc}` },
  ]);
}

/** Creates (or completes) a home; used by `init`, `dev` and the test harness. */
export async function initNodeHome(opts: {
  home: string;
  chainId: string;
  moniker: string;
  overwriteGenesis: boolean;
  appState?: Record<string, unknown>;
  note?: (m: string) => void;
  /** Loopback ports, default `defaultPorts()`; test and bench homes leave libp2p and metrics out so they never collide. */
  ports?: NodePorts;
  blockTimeMs?: number;
  /** app.toml overrides for a new home. */
  appConfig?: Partial<AppConfig>;
  /** Make this node a genesis validator: `operator` must be funded in `appState` with at least `selfBond` ucairn. */
  validator?: { operator: string; selfBond: bigint };
}): Promise<InitResult> {
  const existed = existsSync(opts.home);
  const appState = opts.appState ?? defaultAppState();
  // Everything that can be refused is refused before the first file is written.
  validateChainId(opts.chainId);
  settingsToEdits({ moniker: opts.moniker });
  const writeNewGenesis = await checkHomeFor(opts.home, opts.chainId, opts.overwriteGenesis);
  if (writeNewGenesis) await checkGenesis(buildGenesis({ chainId: opts.chainId, validators: [], appState, consensusParams: defaultGenesisConsensusParams() }), { allowNoValidators: true });
  try {
    return await createHome(opts, appState, writeNewGenesis);
  } catch (err) {
    // A home this call created is removed again rather than left half-written.
    if (!existed) await rm(opts.home, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Whether a new genesis is to be written: yes for a new home or with `overwrite`. Throws a
 * HomeMismatchError for a home that holds another chain, or whose chain has run, unless that is safe.
 */
async function checkHomeFor(home: string, chainId: string, overwrite: boolean): Promise<boolean> {
  const path = genesisPath(home);
  if (!existsSync(path)) return true;
  let held: string;
  try {
    held = (await readGenesis(home)).chain_id;
  } catch {
    held = '(an unreadable genesis)';
  }
  if (!overwrite) {
    if (held === chainId) return false;
    throw new HomeMismatchError(
      `${home} already holds chain ${held}, not ${chainId}: use another --home for ${chainId}, or \`cairn init --overwrite\` to replace its genesis (keys are kept)`,
    );
  }
  if (existsSync(dataDir(home)) || existsSync(join(home, 'data', 'blockstore.db'))) {
    throw new HomeMismatchError(`${home} has already run chain ${held} (its blocks are in ${join(home, 'data')}): a new genesis cannot follow them. Use another --home`);
  }
  return true;
}

async function createHome(opts: Parameters<typeof initNodeHome>[0], appState: Record<string, unknown>, writeNewGenesis: boolean): Promise<InitResult> {
  await ensureCometbft({ log: opts.note ?? (() => {}) });
  const hadApp = existsSync(appConfigPath(opts.home));
  const home = await initHome({ home: opts.home, moniker: opts.moniker, chainId: opts.chainId, replaceGenesis: writeNewGenesis });
  if (writeNewGenesis) {
    const withValidator =
      opts.validator === undefined
        ? appState
        : addGenesisValidator(appState, { operator: opts.validator.operator, consensusPubKey: home.validator.pubKey, selfBond: opts.validator.selfBond, moniker: opts.moniker });
    // CometBFT's own list stays empty: InitChain returns the set from the staking section.
    const genesis = buildGenesis({ chainId: opts.chainId, validators: [], appState: withValidator, consensusParams: defaultGenesisConsensusParams() });
    await checkGenesis(genesis, { allowNoValidators: opts.validator === undefined });
    await writeGenesis(opts.home, genesis);
  }
  if (!hadApp) {
    const ports = opts.ports ?? defaultPorts();
    const appConfig = {
      ...DEFAULT_APP_CONFIG,
      abciAddress: `tcp://127.0.0.1:${ports.abci}`,
      p2pListen: [`/ip4/127.0.0.1/tcp/${ports.libp2p ?? 0}`],
      metricsListen: `127.0.0.1:${ports.metrics ?? 0}`,
      apiAddress: `tcp://127.0.0.1:${ports.api ?? 0}`,
      grpcAddress: `127.0.0.1:${ports.grpc ?? 0}`,
      ...opts.appConfig,
    };
    await configure(
      opts.home,
      localSettings({
        moniker: opts.moniker,
        proxyApp: appConfig.abciAddress,
        rpcPort: ports.rpc,
        p2pPort: ports.p2p,
        ...(opts.blockTimeMs === undefined ? {} : { blockTimeMs: opts.blockTimeMs }),
      }),
    );
    // Written last: its presence marks a finished home.
    await writeAppConfig(opts.home, appConfig);
  }
  // The watcher is on by default: its key exists from the start so its address can be funded.
  const watcherKeyFile = resolve(opts.home, (await readAppConfig(opts.home)).watcherKeyFile);
  const watcher = await watcherAddress((await loadOrCreateWatcherKey(watcherKeyFile)).key, genesisPrefix(await readGenesis(opts.home)));
  return { home: opts.home, chainId: opts.chainId, nodeId: home.nodeId, validatorAddress: home.validator.address, watcherAddress: watcher, created: home.created };
}

/** The price part of DEFAULT_APP_CONFIG's minimum-gas-prices ("0.025" of "0.025ucairn"). */
const DEFAULT_GAS_PRICE = /^[0-9.]+/.exec(DEFAULT_APP_CONFIG.minimumGasPrices)![0];

function chainSettings(ctx: CommandContext): ChainSettings {
  const prefix = stringFlag(ctx, 'bech32-prefix');
  const token = stringFlag(ctx, 'default-denom');
  const bond = stringFlag(ctx, 'bond-denom');
  // Bech32 allows more, but the SDK's address codec and every wallet expect lower-case letters and digits.
  if (prefix !== undefined && !/^[a-z][a-z0-9]{0,29}$/.test(prefix)) throw new UsageError(`--bech32-prefix "${prefix}" must be lower-case letters and digits, starting with a letter (at most 30)`);
  for (const [flag, denom] of [['default-denom', token], ['bond-denom', bond]] as const) {
    if (denom === undefined) continue;
    try {
      validateDenom(denom);
    } catch (err) {
      throw new UsageError(`--${flag} "${denom}" is not a denom: 3-128 letters, digits and /:._- starting with a letter, e.g. ustake`, { cause: err });
    }
  }
  return { ...(prefix === undefined ? {} : { bech32Prefix: prefix }), ...(token === undefined ? {} : { defaultDenom: token }), ...(bond === undefined ? {} : { bondDenom: bond }) };
}

const command: CommandModule = {
  description: 'Create a node home: CometBFT keys and config, app.toml, and a genesis (add its validators with `cairn genesis add-validator`).',
  args: [{ name: 'moniker', description: 'a name for this node (default: cairn-node)', optional: true }],
  options: {
    overwrite: { type: 'boolean', description: 'replace the genesis.json of a home that has not run a chain yet (keys are never replaced)' },
    'bech32-prefix': { type: 'string', valueName: 'prefix', description: 'account address prefix: <prefix>1…, <prefix>valoper1… (default cairn)' },
    'default-denom': {
      type: 'string',
      valueName: 'denom',
      description: 'the chain\'s token, as simd init\'s flag: fees (app.toml minimum-gas-prices), prices, escrow, emission, operator and challenge bonds, and staking unless --bond-denom (default ucairn)',
    },
    'bond-denom': { type: 'string', valueName: 'denom', description: 'what validators and delegators bond and gov deposits are paid in (default: the default denom)' },
  },
  examples: ['cairn init my-node --chain-id cairn-testnet-1 --home ~/.cairn', 'cairn init my-node --chain-id demo-1 --bech32-prefix demo --default-denom udemo --bond-denom ustake --home ~/.demo'],
  async run(ctx: CommandContext) {
    const chainId = ctx.global.chainId;
    if (chainId === undefined) throw new CliError('cairn init needs --chain-id, e.g. --chain-id cairn-testnet-1');
    const moniker = ctx.args[0] ?? 'cairn-node';
    let r: InitResult;
    try {
      const settings = chainSettings(ctx);
      const token = settings.defaultDenom;
      r = await initNodeHome({
        home: ctx.global.home,
        chainId,
        moniker,
        overwriteGenesis: booleanFlag(ctx, 'overwrite'),
        appState: withChainSettings(defaultAppState(), settings),
        // The node's own fee floor is in the chain's token, at the default price.
        ...(token === undefined ? {} : { appConfig: { minimumGasPrices: `${DEFAULT_GAS_PRICE}${token}` } }),
        note: (m) => ctx.note(m),
      });
    } catch (err) {
      // Refusals of the input or of the home; nothing was written.
      if (err instanceof HomeMismatchError || err instanceof RangeError || err instanceof InvalidGenesisError) throw new CliError(err.message, { cause: err });
      throw err;
    }
    ctx.print({
      json: r,
      text: () =>
        fields([
          ['home', r.home],
          ['chain id', r.chainId],
          ['node id', r.nodeId],
          ['consensus address', r.validatorAddress],
          ['watcher', `${r.watcherAddress} (pays for challenges: fund it)`],
        ]) +
        `\n\nNext: fund an operator with \`cairn genesis add-account <key> <coins> --home ${r.home}\`, bond it with this node's ` +
        `consensus key with \`cairn genesis add-validator <key> <self-bond> --home ${r.home}\`, then \`cairn start --home ${r.home}\`.`,
    });
  },
};

export const { run, args, options, description, examples } = command;
