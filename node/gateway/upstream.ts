// A client of an OpenAI-compatible HTTP API (vLLM, llama.cpp's server, Ollama, TGI, or an operator
// gateway), given its base URL with the version (`http://127.0.0.1:8000/v1`). Both gateways use it:
// the operator's to reach its inference server, the payer's to reach operators. It forwards bodies
// as bytes (the receipt hashes are over exact bytes) and hands back either the whole body or the
// stream of chunks; it reads `usage` (the only thing metered) from a JSON body or a stream chunk.
// A request whose connection is reset before any response byte is sent again (RESET_BEFORE_RESPONSE).
import { workSignal } from '../abort.ts';

export type CompletionPath = '/chat/completions' | '/completions';

export const COMPLETION_PATHS: readonly CompletionPath[] = ['/chat/completions', '/completions'];

/** The upstream could not be reached or answered outside HTTP (status 0), or answered an error. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  /** The upstream's HTTP status; 0 when it gave none. */
  readonly status: number;
  constructor(message: string, status = 0) {
    super(message);
    this.status = status;
  }
}

export interface UpstreamResponse {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Headers;
  /** The body as it arrives. Read it (or cancel it with the request's signal) exactly once. */
  readonly body: AsyncIterable<Uint8Array>;
}

export interface UpstreamClientOptions {
  /** e.g. http://127.0.0.1:8000/v1 (a trailing slash is dropped). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set (hosted OpenAI-compatible APIs want one). */
  readonly apiKey?: string;
  /** Until the response's headers (default 300 s: a long prompt's prefill can take minutes). */
  readonly timeoutMs?: number;
  /** Times a request reset before any response is sent again (default 2). */
  readonly resetRetries?: number;
}

/**
 * A connection closed or reset before any byte of the response: most often a kept-alive connection
 * the server closed as the request went out. Nothing was answered, so nothing was metered or signed,
 * and the request can be sent again.
 */
const RESET_BEFORE_RESPONSE = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * How long the gateways' HTTP servers keep an idle connection open (Node's default is 5 s). A
 * client reusing a kept-alive connection just as the server closes it gets ECONNRESET; clients keep
 * idle connections for the server's advertised timeout less a second, so with a short timeout a busy
 * client that lags a second loses requests. Long-lived connections make that race rare.
 */
export const SERVER_KEEP_ALIVE_MS = 65_000;

/** Sets a gateway server's keep-alive timeout (SERVER_KEEP_ALIVE_MS), headers timeout just above it. */
export function keepAlive<S extends { keepAliveTimeout: number; headersTimeout: number }>(server: S): S {
  server.keepAliveTimeout = SERVER_KEEP_ALIVE_MS;
  server.headersTimeout = SERVER_KEEP_ALIVE_MS + 1000;
  return server;
}

export class UpstreamClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #resetRetries: number;

  constructor(opts: UpstreamClientOptions) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new RangeError(`upstream "${opts.baseUrl}" is not a URL: give its OpenAI base URL, e.g. http://127.0.0.1:8000/v1`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`upstream "${opts.baseUrl}" must be an http(s) URL`);
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.#apiKey = opts.apiKey;
    this.#timeoutMs = opts.timeoutMs ?? 300_000;
    this.#resetRetries = opts.resetRetries ?? 2;
  }

  /** POSTs `body` to base + path; resolves once the headers arrived (any status). */
  async post(path: string, body: Uint8Array, opts: { signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<UpstreamResponse> {
    return this.#request('POST', path, body, opts);
  }

  async get(path: string, opts: { signal?: AbortSignal } = {}): Promise<UpstreamResponse> {
    return this.#request('GET', path, undefined, opts);
  }

  async #request(method: string, path: string, body: Uint8Array | undefined, opts: { signal?: AbortSignal; headers?: Record<string, string> }): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers };
    if (this.#apiKey !== undefined) headers['authorization'] = `Bearer ${this.#apiKey}`;
    // The deadline covers the body too: it is released once the caller has read the body through.
    const work = workSignal(opts.signal, this.#timeoutMs);
    const signal = work.signal;
    let res: Response;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }), signal });
        break;
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        if (!signal.aborted && attempt < this.#resetRetries && RESET_BEFORE_RESPONSE.has(cause?.code ?? '')) continue;
        work.done();
        throw new UpstreamError(`${this.baseUrl}${path}: ${cause?.code ?? cause?.message ?? (e as Error).message}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`);
      }
    }
    const stream = res.body as AsyncIterable<Uint8Array> | null;
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      headers: res.headers,
      body: (async function* () {
        try {
          if (stream !== null) yield* stream;
        } finally {
          work.done();
        }
      })(),
    };
  }
}

/** Reads a whole body, refusing one larger than `max` bytes. */
export async function readAll(body: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) throw new UpstreamError(`the response exceeds ${max} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

export interface Usage {
  readonly promptTokens: bigint;
  readonly completionTokens: bigint;
}

/** The `usage` of a completion (or of a stream's usage chunk), when it has a valid one. */
export function usageOf(json: unknown): Usage | undefined {
  const usage = (json as { usage?: unknown } | null)?.usage as { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined;
  if (usage === null || typeof usage !== 'object') return undefined;
  const count = (n: unknown): bigint | undefined => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? BigInt(n) : undefined);
  const promptTokens = count(usage.prompt_tokens);
  const completionTokens = count(usage.completion_tokens ?? 0);
  return promptTokens === undefined || completionTokens === undefined ? undefined : { promptTokens, completionTokens };
}
