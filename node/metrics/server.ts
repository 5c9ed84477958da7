// The node's Prometheus endpoint: a plain node:http server answering GET /metrics with whatever the
// collectors report at that moment (nothing is sampled in the background). Not consensus code.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';
import { CONTENT_TYPE, type MetricFamily, renderMetrics } from './exposition.ts';

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

export class MetricsServer {
  readonly #o: MetricsServerOptions;
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

  async start(): Promise<void> {
    if (this.#server !== undefined) return;
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
      void (async () => {
        try {
          const body = renderMetrics(await this.#o.collect());
          res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
          res.end(req.method === 'HEAD' ? undefined : body);
        } catch (e) {
          this.#o.logger.error('metrics: collection failed', { error: (e as Error).message });
          res.writeHead(500, { 'content-type': 'text/plain' }).end('collection failed\n');
        }
      })();
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

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
