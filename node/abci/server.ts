// The ABCI socket server that CometBFT's `proxy_app` connects to (four connections: query, snapshot,
// mempool, consensus; see README.md).
import { lstat, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createLogger, type Logger } from '../log.ts';
import { DEFAULT_MAX_FRAME_BYTES } from './codec.ts';
import { AbciConnection } from './connection.ts';
import { SerialQueue } from './serial.ts';
import type { AbciApplication } from './types.ts';

export interface AbciServerOptions {
  /** `tcp://host:port` (port 0 picks a free one), `unix:///abs/path.sock`, or bare `host:port`. */
  readonly address: string;
  readonly logger?: Logger;
  /** Largest accepted request frame; default 64 MiB. */
  readonly maxFrameBytes?: number;
  /** Largest accepted InitChain request (the genesis app_state); default maxFrameBytes. */
  readonly initChainMaxFrameBytes?: number | undefined;
}

export interface AbciServer {
  /** The address actually listened on, in the same URL form (the real port when 0 was asked). */
  readonly address: string;
  /** Stops accepting, closes every live connection, and waits for an app call in progress to return. */
  stop(): Promise<void>;
}

export class InvalidAbciAddressError extends Error {
  override name = 'InvalidAbciAddressError';
}

/** The unix socket path is served by a live process, or is not a socket at all. */
export class AbciAddressInUseError extends Error {
  override name = 'AbciAddressInUseError';
}

export type ListenAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

/** Parses CometBFT's `proxy_app` forms (libs/net: "proto://addr", tcp when there is no scheme). */
export function parseAbciAddress(address: string): ListenAddress {
  const sep = address.indexOf('://');
  const scheme = sep === -1 ? 'tcp' : address.slice(0, sep);
  const rest = sep === -1 ? address : address.slice(sep + 3);
  if (scheme === 'unix') {
    if (rest === '') throw new InvalidAbciAddressError(`missing socket path in ${address}`);
    return { kind: 'unix', path: rest };
  }
  if (scheme !== 'tcp') throw new InvalidAbciAddressError(`unsupported scheme "${scheme}" in ${address}`);
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(rest);
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || port > 65535) {
    throw new InvalidAbciAddressError(`expected tcp://host:port, got ${address}`);
  }
  const host = m[1] ?? m[2] ?? '';
  return { kind: 'tcp', host: host === '' ? '0.0.0.0' : host, port };
}

export async function startAbciServer(app: AbciApplication, opts: AbciServerOptions): Promise<AbciServer> {
  const listen = parseAbciAddress(opts.address);
  const logger = opts.logger ?? createLogger({ name: 'abci' });
  const maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes <= 0) {
    throw new RangeError(`maxFrameBytes must be a positive integer, got ${maxFrameBytes}`);
  }
  const queue = new SerialQueue();
  const live = new Set<AbciConnection>();
  let nextId = 1;

  // allowHalfOpen: a peer that sends its requests and then shuts down its write side still gets
  // every answer before we close.
  const server = createServer({ allowHalfOpen: true }, (socket: Socket) => {
    const remote =
      listen.kind === 'unix' ? `unix:${listen.path}` : `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const conn = new AbciConnection(socket, { id: nextId++, remote, app, queue, logger, maxFrameBytes, initChainMaxFrameBytes: opts.initChainMaxFrameBytes });
    live.add(conn);
    void conn.closed.then(() => live.delete(conn));
    conn.start();
  });
  // Accept-time errors (e.g. EMFILE) must not crash the process.
  server.on('error', (err) => logger.error('ABCI server error', { reason: err.message }));

  if (listen.kind === 'unix') await removeStaleSocket(listen.path);
  await listenOn(server, listen);
  const actual = boundAddress(server, listen);
  logger.info('ABCI server listening', { address: actual });

  let stopping: Promise<void> | undefined;
  return {
    address: actual,
    stop(): Promise<void> {
      stopping ??= (async () => {
        const closedListener = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const conn of live) conn.destroy();
        await Promise.all([closedListener, ...[...live].map((c) => c.closed)]);
        // Connections are gone, so queued jobs return at once; wait for an app call in progress so
        // that the caller may close the app's store safely after stop() resolves.
        await queue.whenIdle();
        logger.info('ABCI server stopped', { address: actual });
      })();
      return stopping;
    },
  };
}

function listenOn(server: Server, listen: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    const done = (): void => {
      server.off('error', onError);
      resolve();
    };
    if (listen.kind === 'unix') server.listen(listen.path, done);
    else server.listen(listen.port, listen.host, done);
  });
}

function boundAddress(server: Server, listen: ListenAddress): string {
  if (listen.kind === 'unix') return `unix://${listen.path}`;
  const a = server.address();
  if (a === null || typeof a === 'string') return `tcp://${listen.host}:${listen.port}`;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `tcp://${host}:${a.port}`;
}

/**
 * A socket file left by a crashed process makes listen() fail with EADDRINUSE. Remove it, but only if
 * it is a socket and nothing answers on it: never delete a regular file or steal a live server's path.
 */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!isSocket) throw new AbciAddressInUseError(`${path} exists and is not a socket`);
  if (await answers(path)) throw new AbciAddressInUseError(`another process is listening on ${path}`);
  await unlink(path);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
