// The explorer's page server: the static page in node/explorer/static (HTML, CSS and plain
// JavaScript modules, no build step) and, under /api/, the GET queries of one node's REST gateway,
// passed through so that the page reads a single origin. `cairn start` serves it beside the REST
// API when app.toml [explorer] enable = true; `cairn explorer --node <REST url>` against any node.
// It serves only the files it listed at start (a path names one of them or nothing: no traversal),
// answers GET and HEAD only, refuses request bodies, long URLs, slow clients and too many
// connections, and bounds every upstream call in time and size, so it never holds up the node.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import { extname, join } from 'node:path';
import { listenHttp } from '../listen.ts';
import type { Logger } from '../log.ts';
import { PsqlTxIndex, redact } from '../indexer/psql.ts';
import { PsqlHistory, readsTxIndex } from './psql.ts';
import { Lifecycle, type Service, type StartOptions } from '../service.ts';

export const STATIC_DIR = join(import.meta.dirname, 'static');

export interface ExplorerServerOptions {
  readonly host: string;
  /** 0: any free port (see `url` once started). */
  readonly port: number;
  /** The REST gateway the page reads, e.g. http://127.0.0.1:1317. */
  readonly rest: string;
  readonly logger: Logger;
  /** Connections beyond this get a 503 and are closed (default 64). */
  readonly maxOpenConnections?: number;
  /** Headers within this (default 5 s), the whole request within twice this. */
  readonly headersTimeoutMs?: number;
  /** Deadline of one upstream REST call (default 10 s). */
  readonly upstreamTimeoutMs?: number;
  /** Largest upstream answer passed on (default 4 MiB). */
  readonly maxUpstreamBytes?: number;
  /**
   * The database of CometBFT's psql event sink: the page's tx search and history are read from it
   * (node/explorer/psql.ts) instead of the node's kv index through REST.
   */
  readonly psql?: { readonly url: string; readonly chainId: string };
}

export class ExplorerListenError extends Error {
  override readonly name = 'ExplorerListenError';
}

/** Sent by the page when a NotFound is an answer, not a failure (see #proxy). */
export const ABSENT_OK_HEADER = 'x-explorer-absent-ok';
/** The REST API's own HTTP status, on every /api/ answer. */
export const UPSTREAM_STATUS_HEADER = 'x-upstream-status';

/** On the answers read from PostgreSQL rather than the node's REST API. */
export const INDEX_HEADER = 'x-explorer-index';

/** Longest request target (path and query) accepted. */
export const MAX_URL_CHARS = 2048;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Only the page's own origin, no inline script or style, no framing: a second wall behind the page's
 * rule of building every chain-supplied string as text.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/** Every file of the static folder and its subfolders, read once: "/app.js" → its bytes. */
function loadAssets(dir: string, prefix = ''): Map<string, Asset> {
  const out = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      for (const [k, v] of loadAssets(path, `${prefix}/${name}`)) out.set(k, v);
      continue;
    }
    const type = TYPES[extname(name)];
    if (type !== undefined) out.set(`${prefix}/${name}`, { type, body: readFileSync(path) });
  }
  return out;
}

export class ExplorerServer implements Service {
  readonly #o: ExplorerServerOptions;
  readonly #life = new Lifecycle('explorer server');
  readonly #sockets = new Set<Socket>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #rest: URL;
  #assets = new Map<string, Asset>();
  #index: PsqlTxIndex | undefined;
  #history: PsqlHistory | undefined;
  #server: Server | undefined;
  #url: string | undefined;

  constructor(opts: ExplorerServerOptions) {
    let rest: URL;
    try {
      rest = new URL(opts.rest);
    } catch {
      throw new ExplorerListenError(`the explorer's REST URL must look like http://127.0.0.1:1317, got ${JSON.stringify(opts.rest)}`);
    }
    if (rest.protocol !== 'http:' && rest.protocol !== 'https:') throw new ExplorerListenError(`the explorer's REST URL must be http(s), got ${JSON.stringify(opts.rest)}`);
    this.#rest = rest;
    this.#o = opts;
    if (opts.psql !== undefined) {
      try {
        this.#index = new PsqlTxIndex({ url: opts.psql.url, chainId: opts.psql.chainId, onError: (err) => opts.logger.warn('explorer: a PostgreSQL connection failed', { error: err.message }) });
      } catch (err) {
        throw new ExplorerListenError((err as Error).message);
      }
      this.#history = new PsqlHistory(this.#index, rest.href);
    }
  }

  /** Where the page's tx search and history come from. */
  get txIndex(): 'psql' | 'kv' {
    return this.#history === undefined ? 'kv' : 'psql';
  }

  /** http://host:port/ (the bound port, also when 0 was asked); known once started. */
  get url(): string {
    if (this.#url === undefined) throw new ExplorerListenError('the explorer server was never started');
    return this.#url;
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#life.start(opts, () => this.#listen(), () => this.stop());
  }

  async #listen(): Promise<void> {
    this.#assets = loadAssets(STATIC_DIR);
    const headersTimeout = this.#o.headersTimeoutMs ?? 5_000;
    const maxConnections = this.#o.maxOpenConnections ?? 64;
    const server = createServer({ connectionsCheckingInterval: Math.min(1000, headersTimeout), maxHeaderSize: 8192 }, (req, res) => {
      const work = this.#handle(req, res).catch((err: unknown) => {
        this.#o.logger.error('explorer: request failed', { error: (err as Error).message });
        if (!res.headersSent) this.#text(res, 500, 'internal error');
        else res.destroy();
      });
      this.#inFlight.add(work);
      void work.finally(() => this.#inFlight.delete(work));
    });
    server.on('connection', (socket: Socket) => {
      if (this.#sockets.size >= maxConnections) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        socket.destroySoon();
        return;
      }
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    server.headersTimeout = headersTimeout;
    server.requestTimeout = headersTimeout * 2;
    server.keepAliveTimeout = 5_000;
    this.#url = `${await listenHttp(server, this.#o.host, this.#o.port, (reason) => new ExplorerListenError(`the explorer cannot listen on ${this.#o.host}:${this.#o.port}: ${reason}; change [explorer] address in app.toml or set enable = false`))}/`;
    this.#server = server;
    // A database that is down or not set up is said now and on the page; the page still serves.
    await this.#index?.check().then(
      () => this.#o.logger.info('explorer: tx history from PostgreSQL', { database: redact(this.#o.psql!.url) }),
      (err: Error) => this.#o.logger.warn('explorer: the PostgreSQL index does not answer yet; tx pages will say so until it does', { error: err.message }),
    );
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return this.#text(res, 405, 'the explorer answers GET and HEAD only', true);
    }
    // A GET carries no body; one that announces a body is refused before a byte of it is read.
    if (Number(req.headers['content-length'] ?? '0') > 0 || req.headers['transfer-encoding'] !== undefined) return this.#text(res, 413, 'the explorer takes no request body', true);
    if (target.length > MAX_URL_CHARS) return this.#text(res, 414, `the request target is over ${MAX_URL_CHARS} characters`, true);
    const url = new URL(target, 'http://localhost');
    if (url.pathname.startsWith('/api/')) return this.#proxy(url, req, res);
    const asset = this.#assets.get(url.pathname === '/' ? '/index.html' : url.pathname);
    if (asset === undefined) return this.#text(res, 404, 'not found');
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  /** GET /api/<path>?<query> → GET <rest>/<path>?<query>, its status and JSON passed on, bounded. */
  async #proxy(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = url.pathname.slice('/api'.length);
    if (this.#history !== undefined && readsTxIndex(path)) return this.#fromIndex(this.#history, path, url.searchParams, req, res);
    const upstream = new URL(this.#rest.href.replace(/\/$/, '') + path + url.search);
    const limit = this.#o.maxUpstreamBytes ?? 4 * 1024 * 1024;
    const closed = new AbortController();
    res.once('close', () => closed.abort());
    const signal = AbortSignal.any([closed.signal, this.#life.signal, AbortSignal.timeout(this.#o.upstreamTimeoutMs ?? 10_000)]);
    let status: number;
    let body: Buffer;
    let height: string | null;
    try {
      const r = await fetch(upstream, { signal, redirect: 'error', headers: { accept: 'application/json' } });
      status = r.status;
      height = r.headers.get('x-cosmos-block-height');
      body = await readCapped(r, limit);
    } catch (err) {
      if (closed.signal.aborted) return;
      const why = err instanceof TooLarge ? `the node's answer is over ${limit} bytes` : `the node's REST API did not answer: ${(err as Error).message}`;
      return this.#json(res, 502, { code: 14, message: why, details: [] }, req.method === 'HEAD');
    }
    // The page asks for things that may not exist yet (an operator's reputation before its first
    // epoch); for those it says so, and a NotFound comes back as a 200 marked with the node's status,
    // so the browser does not log an expected absence as a failed request.
    const absentOk = status === 404 && req.headers[ABSENT_OK_HEADER] === '1';
    res.writeHead(absentOk ? 200 : status, {
      ...SECURITY_HEADERS,
      'content-type': 'application/json',
      'content-length': body.length,
      'cache-control': 'no-store',
      [UPSTREAM_STATUS_HEADER]: String(status),
      ...(height === null ? {} : { 'x-cosmos-block-height': height }),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** A tx read answered from PostgreSQL, marked `x-explorer-index: psql`; an absence as in #proxy. */
  async #fromIndex(history: PsqlHistory, path: string, search: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const closed = new AbortController();
    res.once('close', () => closed.abort());
    const a = await history.answer(path, search, AbortSignal.any([closed.signal, this.#life.signal]));
    if (closed.signal.aborted) return;
    if (a.status === 503) this.#o.logger.warn('explorer: PostgreSQL read failed', { error: (a.body as { message: string }).message });
    const absentOk = a.status === 404 && req.headers[ABSENT_OK_HEADER] === '1';
    this.#json(res, absentOk ? 200 : a.status, a.body, req.method === 'HEAD', { [UPSTREAM_STATUS_HEADER]: String(a.status), [INDEX_HEADER]: 'psql' });
  }

  #json(res: ServerResponse, status: number, value: unknown, head = false, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(value);
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers }).end(head ? undefined : text);
  }

  #text(res: ServerResponse, status: number, message: string, close = false): void {
    if (close) res.setHeader('connection', 'close');
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message) + 1 }).end(`${message}\n`);
  }

  stop(): Promise<void> {
    return this.#life.stop(async () => {
      const server = this.#server;
      if (server === undefined) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all(this.#inFlight);
      server.closeAllConnections();
      await closed;
      await this.#index?.close();
    });
  }
}

class TooLarge extends Error {}

async function readCapped(r: Response, limit: number): Promise<Buffer> {
  const declared = Number(r.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await r.body?.cancel();
    throw new TooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (r.body === null) return Buffer.alloc(0);
  for await (const chunk of r.body) {
    size += chunk.length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
