// The node's Prometheus endpoint: a plain node:http server answering GET /metrics with whatever the
// collectors report at that moment (nothing is sampled in the background). Not consensus code.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';
import { CONTENT_TYPE, type MetricFamily, renderMetrics } from './exposition.ts';
import { Lifecycle, type Service, type StartOptions } from '../service.ts';

export type Collector = () => readonly MetricFamily[] | Promise<readonly MetricFamily[]>;

export interface MetricsServerOptions {
  readonly host: string;
  /** 0: any free port (see `url` once started). */
  readonly port: number;
  readonly collect: Collector;
  readonly logger: Logger;
}

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
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const scrape = (async () => {
        try {
          const body = renderMetrics(await this.#o.collect());
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
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new MetricsListenError(`metrics endpoint cannot listen on ${this.#o.host}:${this.#o.port}: ${e.code === 'EADDRINUSE' ? 'address in use' : e.message}; change [metrics] listen in app.toml or set enabled = false`)),
      );
      server.listen(this.#o.port, this.#o.host, () => resolve());
    });
    this.#server = server;
    const a = server.address() as AddressInfo;
    this.#url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/metrics`;
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
