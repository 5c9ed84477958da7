// `cairn start`: the app and, unless --abci-only, CometBFT as a child process wired to it; with the
// default app.toml also libp2p, the watcher, the Prometheus /metrics endpoint and gRPC (and the REST
// API when [api] enable = true).
// Runs until Ctrl-C (or CometBFT exits on its own, which is reported, never silently restarted).
import { LogLevelError, createLogger, parseLogLevels } from '../../node/log.ts';
import { type RunningNode, startNode } from '../../node/node.ts';
import { PortInUseError } from '../../node/preflight.ts';
import { UpgradeHaltError } from '../../modules/upgrade/index.ts';
import { type AppConfig, parseHostPort } from '../../node/config.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { booleanFlag, stringFlag } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { fields } from '../output.ts';

export interface ServeOptions {
  readonly withCometbft: boolean;
  readonly config: Partial<AppConfig>;
  /** Extra lines for the banner (e.g. the dev account). */
  readonly banner?: ReadonlyArray<readonly [string, string]>;
  /** Another way out when a port is taken (`cairn dev --port-offset`). */
  readonly portHint?: string;
  /** Runs once the banner is printed, alongside the node (the dev playground's setup). */
  readonly onStarted?: (node: RunningNode) => Promise<void>;
  /** Upgrade handlers to register on request (`--upgrade-handler`). */
  readonly upgradeHandlers?: readonly string[];
}

/** Starts the node, prints where it listens, and waits for a signal or for CometBFT to stop. */
export async function serve(ctx: CommandContext, opts: ServeOptions): Promise<void> {
  const logger = createLogger({ name: 'cairn', levels: logLevels(ctx) });
  let node: RunningNode;
  try {
    node = await startNode({ home: ctx.global.home, logger, withCometbft: opts.withCometbft, config: opts.config, upgradeHandlers: opts.upgradeHandlers ?? [] });
  } catch (err) {
    if (err instanceof UpgradeHaltError) throw upgradeHaltError(err);
    const hint = err instanceof PortInUseError && opts.portHint !== undefined ? `, ${opts.portHint}` : '';
    throw new CliError(`the node did not start: ${(err as Error).message}${hint}`, { cause: err });
  }
  const info = {
    home: ctx.global.home,
    chain_id: node.app.chainId || '(set at InitChain)',
    abci: node.abciAddress,
    rpc: node.rpcUrl ?? '(CometBFT not started: --abci-only)',
    height: node.app.store.lastHeight.toString(),
    p2p: node.p2p === undefined ? null : node.p2p.host.addresses(),
    watcher: node.watcher?.address ?? null,
    metrics: node.metrics?.url ?? null,
    api: node.api?.url ?? null,
    grpc: node.grpc?.address ?? null,
    explorer: node.explorer?.url ?? null,
  };
  ctx.print({
    json: info,
    text: () =>
      fields([
        ['home', info.home],
        ['chain id', info.chain_id],
        ['RPC', info.rpc],
        ['ABCI', info.abci],
        ['resumed at', `height ${info.height}`],
        ['libp2p', info.p2p?.join(' ') ?? '(off: [p2p] enabled = false)'],
        ['watcher', info.watcher === null ? '(off)' : `${info.watcher} (pays for challenges; keep it funded)`],
        ['metrics', info.metrics ?? '(off)'],
        ['REST API', info.api ?? '(off: [api] enable = false)'],
        ['gRPC', info.grpc ?? '(off: [grpc] enable = false)'],
        ['explorer', info.explorer ?? '(off: [explorer] enable = false)'],
        ...(opts.banner ?? []),
      ]) + '\n\nPress Ctrl-C to stop.',
  });
  const stopped = new Promise<'signal'>((resolve) => ctx.signal.addEventListener('abort', () => resolve('signal'), { once: true }));
  // Beside the node, not before the wait: Ctrl-C during the dev playground's setup stops at once.
  void opts.onStarted?.(node).catch((err: unknown) => ctx.warn((err as Error).message));
  const why = await Promise.race([stopped, node.halted, node.cometbftExited.then((code) => code)]);
  await node.stop();
  if (why instanceof UpgradeHaltError) throw upgradeHaltError(why);
  if (why !== 'signal') {
    throw new CliError(`CometBFT exited on its own (code ${why}); see ${ctx.global.home}/cometbft.log. The app was stopped too.`);
  }
  ctx.note('stopped cleanly');
}

/** What the operator reads when the node stops, or will not start, for an upgrade. */
function upgradeHaltError(err: UpgradeHaltError): CliError {
  const { name, height } = err.plan;
  const todo = err.message.startsWith('UPGRADE')
    ? `Install the build that has the "${name}" upgrade handler, then start the node again: it applies block ${height} with the migration and carries on.`
    : `Run the build that ran before until the chain stops at height ${height}, then this one.`;
  return new CliError(`${err.message}\nThe node stops before executing block ${height}. ${todo}`, { cause: err });
}

/** --log-level, else CAIRN_LOG_LEVEL, else info: "info", "warn,p2p=debug". */
function logLevels(ctx: CommandContext): ReturnType<typeof parseLogLevels> {
  const spec = stringFlag(ctx, 'log-level') ?? process.env['CAIRN_LOG_LEVEL'] ?? 'info';
  try {
    return parseLogLevels(spec);
  } catch (err) {
    if (err instanceof LogLevelError) throw new UsageError(err.message);
    throw err;
  }
}

/** The flag `start` and `dev` share. */
export const LOG_LEVEL_OPTION = {
  type: 'string',
  valueName: 'levels',
  description: 'log levels (debug, info, warn, error, silent), per component as "info,p2p=debug,abci=warn"; default $CAIRN_LOG_LEVEL or info',
} as const;

const command: CommandModule = {
  description: 'Run the node: the Cairn app and, by default, CometBFT wired to it.',
  options: {
    'abci-only': { type: 'boolean', description: 'run only the ABCI app; you run CometBFT yourself with proxy_app pointing here' },
    'abci-address': { type: 'string', valueName: 'addr', description: 'override [abci] address from app.toml, e.g. tcp://127.0.0.1:26658' },
    'minimum-gas-prices': { type: 'string', valueName: 'prices', description: 'override [fees] minimum-gas-prices, e.g. 0.025ucairn' },
    explorer: { type: 'string', valueName: 'host:port', description: 'serve the web explorer here (turns on [explorer] and the REST API it reads), e.g. 127.0.0.1:1318' },
    'log-level': LOG_LEVEL_OPTION,
    'upgrade-handler': { type: 'string', multiple: true, valueName: 'name', description: 'also register this upgrade handler (e.g. test-migration, to rehearse an upgrade on a test chain)' },
  },
  examples: ['cairn start --home ~/.cairn', 'cairn start --explorer 127.0.0.1:1318', 'cairn start --abci-only --abci-address unix:///var/run/cairn.sock'],
  run(ctx: CommandContext) {
    const abci = stringFlag(ctx, 'abci-address');
    const prices = stringFlag(ctx, 'minimum-gas-prices');
    const handlers = ctx.flags['upgrade-handler'];
    const explorer = stringFlag(ctx, 'explorer');
    if (explorer !== undefined) {
      try {
        parseHostPort(explorer, '--explorer');
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    return serve(ctx, {
      withCometbft: !booleanFlag(ctx, 'abci-only'),
      upgradeHandlers: Array.isArray(handlers) ? handlers.filter((h): h is string => typeof h === 'string') : [],
      config: {
        ...(abci === undefined ? {} : { abciAddress: abci }),
        ...(prices === undefined ? {} : { minimumGasPrices: prices }),
        ...(explorer === undefined ? {} : { explorerEnabled: true, explorerAddress: explorer, apiEnabled: true }),
      },
    });
  },
};

export const { run, options, description, examples } = command;
