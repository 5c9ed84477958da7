// The node's Prometheus endpoint: a plain node:http server answering GET /metrics with the
// exposition text the collector renders at that moment. It cannot hold the node: scrapes arriving
// together share one rendering, a request with a body or oversized headers is refused, a slow client
// is cut off, and connections are capped. Not consensus code.
import { type Server, createServer } from 'node:http';
import { listenHttp } from '../listen.ts';
import type { Logger } from '../log.ts';
import { Lifecycle, type Service, type StartOptions } from '../service.ts';

/** The Prometheus text format prom-client writes. */
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders the exposition text (e.g. NodeMetrics.text). */
export type Collector = () => Promise<string>;

export interface MetricsServerOptions {
  readonly host: string;
  /** 0: any free port (see `url` once started). */
  readonly port: number;
  readonly collect: Collector;
  readonly logger: Logger;
  /** A client must send its headers within this (default 5 s), its whole request within twice it. */
  readonly headersTimeoutMs?: number;
}

/** Prometheus scrapes from one or a few servers; more connections than this are refused. */
const MAX_CONNECTIONS = 32;
/** Headers beyond this are refused with 431 (Prometheus sends a few hundred bytes). */
const MAX_HEADER_BYTES = 8 * 1024;

export class MetricsListenError extends Error {
  override readonly name = 'MetricsListenError';
}

/**
 * A Service (node/service.ts): stop() stops accepting, lets a scrape in progress finish its answer,
 * then closes every connection.
 */
export class MetricsServer implements Service {
  readonly #o: MetricsServerOptions;
  readonly #life = new Lifecycle('metrics server');
  /** Scrapes being collected and answered. */
  readonly #inFlight = new Set<Promise<void>>();
  /** The rendering in progress, shared by the scrapes that arrive while it runs. */
  #rendering: Promise<string> | undefined;
  #server: Server | undefined;
  #url: string | undefined;

  constructor(opts: MetricsServerOptions) {
    this.#o = opts;
  }

  /** http://host:port/metrics (the bound port, also when 0 was asked); known once started. */
  get url(): string {
    if (this.#url === undefined) throw new MetricsListenError('the metrics server was never started');
    return this.#url;
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#life.start(opts, () => this.#listen(), () => this.stop());
  }

  async #listen(): Promise<void> {
    const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, connectionsCheckingInterval: Math.min(1000, this.#o.headersTimeoutMs ?? 5_000) }, (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if ((req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined) {
        res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('a scrape has no body\n');
        return;
      }
      const scrape = (async () => {
        try {
          const body = await (this.#rendering ??= this.#o.collect().finally(() => (this.#rendering = undefined)));
          res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
          res.end(req.method === 'HEAD' ? undefined : body);
        } catch (e) {
          this.#o.logger.error('metrics: collection failed', { error: (e as Error).message });
          res.writeHead(500, { 'content-type': 'text/plain' }).end('collection failed\n');
        }
      })();
      this.#inFlight.add(scrape);
      void scrape.finally(() => this.#inFlight.delete(scrape));
    });
    // A scrape is short; an idle keep-alive socket must not hold stop() open.
    server.keepAliveTimeout = 1000;
    // A scrape is one short GET: a client that dribbles its request is cut off.
    server.headersTimeout = this.#o.headersTimeoutMs ?? 5_000;
    server.requestTimeout = 2 * server.headersTimeout;
    server.maxConnections = MAX_CONNECTIONS;
    const url = await listenHttp(server, this.#o.host, this.#o.port, (reason) => new MetricsListenError(`metrics endpoint cannot listen on ${this.#o.host}:${this.#o.port}: ${reason}; change [metrics] listen in app.toml or set enabled = false`));
    this.#server = server;
    this.#url = `${url}/metrics`;
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
    });
  }
}
