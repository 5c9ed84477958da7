// The REST/LCD gateway `cairn start` serves when app.toml [api] enable = true, as simd's: the SDK's
// gRPC-gateway routes and JSON shapes (node/api/routes.ts, node/api/json.ts), errors as
// {code, message, details} with the gateway's HTTP statuses, and the OpenAPI document at
// /openapi.json. Bounded: open connections, request body size, header and request timeouts, one
// deadline per query; pagination limits are capped by the query handlers themselves.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import { listenHttp } from '../listen.ts';
import type { Logger } from '../log.ts';
import { Lifecycle, type Service, type StartOptions } from '../service.ts';
import { fromGatewayJson, toGatewayJson } from './json.ts';
import { openApiDocument } from './openapi.ts';
import type { ApiQueries } from './router.ts';
import { matchRoute } from './routes.ts';
import { ApiError, Code } from './status.ts';
import { asApiError } from './router.ts';

export interface RestServerOptions {
  readonly host: string;
  /** 0: any free port (see `url` once started). */
  readonly port: number;
  readonly queries: ApiQueries;
  readonly logger: Logger;
  /** Access-Control-Allow-Origin: * (app.toml enabled-unsafe-cors). */
  readonly cors: boolean;
  /** Connections beyond this get a 503 and are closed. */
  readonly maxOpenConnections: number;
  readonly maxBodyBytes: number;
  /** A client must send its headers within this (default 10 s) and its whole request within `requestTimeoutMs` (default 30 s). */
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export class ApiListenError extends Error {
  override readonly name = 'ApiListenError';
}

const HEIGHT_HEADER = 'x-cosmos-block-height';

export class RestServer implements Service {
  readonly #o: RestServerOptions;
  readonly #life = new Lifecycle('REST API server');
  readonly #inFlight = new Set<Promise<void>>();
  readonly #sockets = new Set<Socket>();
  /** Numbers each request: the x-request-id header and the `request` field of its log lines. */
  #requests = 0;
  #server: Server | undefined;
  #url: string | undefined;

  constructor(opts: RestServerOptions) {
    this.#o = opts;
  }

  /** http://host:port (the bound port, also when 0 was asked); known once started. */
  get url(): string {
    if (this.#url === undefined) throw new ApiListenError('the REST API server was never started');
    return this.#url;
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#life.start(opts, () => this.#listen(), () => this.stop());
  }

  async #listen(): Promise<void> {
    const headersTimeout = this.#o.headersTimeoutMs ?? 10_000;
    // Node checks those deadlines on this interval (30 s by default, too slow to matter).
    const server = createServer({ connectionsCheckingInterval: Math.min(1000, headersTimeout) }, (req, res) => {
      const request = ++this.#requests;
      res.setHeader('x-request-id', String(request));
      const work = this.#handle(req, res).catch((err: unknown) => {
        this.#o.logger.error('api: request failed', { request, method: req.method, path: (req.url ?? '').split('?')[0], error: (err as Error).message });
        if (!res.headersSent) this.#error(res, new ApiError(Code.Internal, 'internal error'));
        else res.destroy();
      });
      this.#inFlight.add(work);
      void work.finally(() => this.#inFlight.delete(work));
    });
    server.on('connection', (socket: Socket) => {
      if (this.#sockets.size >= this.#o.maxOpenConnections) {
        const body = JSON.stringify(new ApiError(Code.Unavailable, `too many open connections (the limit is ${this.#o.maxOpenConnections}); retry later`).toJSON());
        socket.end(`HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
        socket.destroySoon();
        return;
      }
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    // A slow client cannot hold a connection: headers within 10 s, the whole request within 30 s.
    server.headersTimeout = headersTimeout;
    server.requestTimeout = Math.max(headersTimeout, this.#o.requestTimeoutMs ?? 30_000);
    server.keepAliveTimeout = 5_000;
    this.#url = await listenHttp(server, this.#o.host, this.#o.port, (reason) => new ApiListenError(`REST API cannot listen on ${this.#o.host}:${this.#o.port}: ${reason}; change [api] address in app.toml or set enable = false`));
    this.#server = server;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.#o.cors) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', '*');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && (url.pathname === '/openapi.json' || url.pathname === '/swagger/openapi.json')) {
      this.#json(res, 200, openApiDocument());
      return;
    }
    const match = matchRoute(req.method ?? 'GET', url.pathname);
    if (match === undefined) return this.#error(res, new ApiError(Code.NotFound, `Not Found: no route ${url.pathname}; the routes are listed at /openapi.json`));
    if ('methodNotAllowed' in match) return this.#error(res, new ApiError(Code.Unimplemented, `Method Not Allowed: ${req.method} ${url.pathname}`), 405);
    const { route, fields } = match;
    let requestJson: Record<string, unknown>;
    try {
      requestJson = req.method === 'POST' ? await this.#body(req) : queryObject(url.searchParams);
    } catch (err) {
      return this.#error(res, err instanceof ApiError ? err : new ApiError(Code.InvalidArgument, (err as Error).message));
    }
    let data: Uint8Array;
    try {
      const message = fromGatewayJson(route.request, { ...requestJson, ...fields });
      data = route.request.encode(message).finish();
    } catch (err) {
      return this.#error(res, new ApiError(Code.InvalidArgument, `invalid request for ${route.query}: ${(err as Error).message}`));
    }
    const heightText = req.headers[HEIGHT_HEADER];
    let height = 0n;
    if (typeof heightText === 'string') {
      if (!/^\d{1,19}$/.test(heightText)) return this.#error(res, new ApiError(Code.InvalidArgument, `${HEIGHT_HEADER} must be a block height, got ${JSON.stringify(heightText)}`));
      height = BigInt(heightText);
    }
    const closed = new AbortController();
    res.once('close', () => closed.abort());
    try {
      const answer = await this.#o.queries.call(route.query, data, height, closed.signal);
      if (answer.height > 0n) res.setHeader(HEIGHT_HEADER, answer.height.toString());
      this.#json(res, 200, toGatewayJson(route.response, route.response.decode(answer.value), route.service));
    } catch (err) {
      this.#error(res, asApiError(err));
    }
  }

  async #body(req: IncomingMessage): Promise<Record<string, unknown>> {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > this.#o.maxBodyBytes) throw new BodyTooLarge(this.#o.maxBodyBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > this.#o.maxBodyBytes) throw new BodyTooLarge(this.#o.maxBodyBytes);
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ApiError(Code.InvalidArgument, `malformed JSON body: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError(Code.InvalidArgument, 'the JSON body must be an object');
    return parsed as Record<string, unknown>;
  }

  #json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  }

  #error(res: ServerResponse, err: ApiError, status = err.httpStatus): void {
    if (err instanceof BodyTooLarge) {
      res.setHeader('connection', 'close');
      this.#json(res, 413, err.toJSON());
      return;
    }
    this.#json(res, status, err.toJSON());
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

class BodyTooLarge extends ApiError {
  constructor(limit: number) {
    super(Code.ResourceExhausted, `request body over ${limit} bytes`);
  }
}

/** `a.b=1&events=x&events=y` → {a: {b: "1"}, events: ["x", "y"]} (the gateway's query parameters). */
function queryObject(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of params) {
    const path = key.split('.');
    let node = out;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (next === undefined) node[part] = {};
      else if (typeof next !== 'object' || Array.isArray(next)) throw new ApiError(Code.InvalidArgument, `query parameter ${key} conflicts with ${part}`);
      node = node[part] as Record<string, unknown>;
    }
    const last = path.at(-1)!;
    const prev = node[last];
    node[last] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
