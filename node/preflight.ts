// The listen ports a node is about to take, checked before it starts anything: a port already in use
// would otherwise surface only after CometBFT had started (and written its data) or as a stack trace.
// Another process can still take a port between the check and the bind; that race is accepted.
import { createServer } from 'node:net';
import { parseAbciAddress } from './abci/server.ts';
import { configPath, readConfigValue } from './cometbft/config.ts';
import { type AppConfig, apiHostPort, appConfigPath, parseHostPort } from './config.ts';

interface Listener {
  readonly host: string;
  readonly port: number;
  /** What listens there and where it is configured. */
  readonly what: string;
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

/** Throws a PortInUseError naming the first port (of this node's plan) that cannot be bound. */
export async function checkPortsFree(home: string, config: AppConfig, withCometbft: boolean): Promise<void> {
  for (const l of await listeners(home, config, withCometbft)) {
    const problem = await bindProblem(l.host, l.port);
    if (problem !== undefined) throw new PortInUseError(`${l.host}:${l.port} (${l.what}) ${problem}`);
  }
}

async function listeners(home: string, config: AppConfig, withCometbft: boolean): Promise<Listener[]> {
  const out: Listener[] = [];
  const app = appConfigPath(home);
  const abci = parseAbciAddress(config.abciAddress);
  if (abci.kind === 'tcp') out.push({ host: abci.host, port: abci.port, what: `the ABCI server, [abci] address in ${app}` });
  if (withCometbft) {
    for (const [section, name] of [
      ['rpc', 'CometBFT RPC'],
      ['p2p', 'CometBFT P2P'],
    ] as const) {
      // A missing config.toml is CometBFT's to report when it starts.
      const laddr = await readConfigValue(home, section, 'laddr').catch(() => undefined);
      const m = typeof laddr === 'string' ? /^tcp:\/\/(\[[^\]]*\]|[^:]*):(\d{1,5})$/.exec(laddr) : null;
      if (m !== null) out.push({ host: m[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0', port: Number(m[2]), what: `${name}, [${section}] laddr in ${configPath(home)}` });
    }
  }
  if (config.p2pEnabled) {
    for (const addr of config.p2pListen) {
      const m = /^\/ip[46]\/([^/]+)\/tcp\/(\d{1,5})(\/|$)/.exec(addr);
      if (m !== null) out.push({ host: m[1]!, port: Number(m[2]), what: `libp2p, [p2p] listen in ${app}` });
    }
  }
  if (config.metricsEnabled) out.push({ ...parseHostPort(config.metricsListen, 'app.toml [metrics] listen'), what: `metrics, [metrics] listen in ${app}` });
  if (config.apiEnabled) out.push({ ...apiHostPort(config.apiAddress), what: `REST API, [api] address in ${app}` });
  if (config.grpcEnabled) out.push({ ...parseHostPort(config.grpcAddress, 'app.toml [grpc] address'), what: `gRPC, [grpc] address in ${app}` });
  return out.filter((l) => l.port !== 0);
}

/** Why (host, port) cannot be listened on, or undefined when it can. */
function bindProblem(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve('is already in use: stop the program holding it (another node, or an earlier `cairn start`/`cairn dev` still running) or set another port there');
      else if (err.code === 'EACCES') resolve('may not be listened on by this user: choose a port above 1023 there');
      else if (err.code === 'EADDRNOTAVAIL') resolve('is not an address of this machine: set a local address there');
      else resolve(`cannot be listened on (${err.message}): set another address there`);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
