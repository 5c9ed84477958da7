// `cairn payer serve`: an OpenAI-compatible endpoint for the payer's own applications. For each
// request it picks an operator from the on-chain catalog, signs the request with the payer key
// (sdk/gateway/protocol.ts), forwards it, and checks the operator's receipt before anything else
// (check.ts). A good receipt is co-signed and kept in the gateway's LevelDB before the application
// gets its answer, and the co-signature goes back to the operator in batches. A bad receipt or a
// failed request is recorded, the operator is set aside (set-aside.ts: briefly for a failure,
// longer at each one in a row, long for a receipt or batch that fails the checks), and the request
// is retried with another one (a stream only until its first byte reached the application). In the
// background (settlement.ts) the co-signatures go back to the operators, the gateway signs their
// pending batches that it can rebuild, byte for byte, from receipts it co-signed (never a receipt
// into two batches, across restarts), and tops up the payer's escrow below a threshold.
import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { TrustLevel } from '../../../proto/gen/cairn/registry/v1/types.ts';
import { toHex } from '../../../sdk/bytes.ts';
import type { Ed25519Signer } from '../../../sdk/ed25519.ts';
import { RECEIPT_EVENT, RECEIPT_HEADER, decodeReceipt, openAiError, parseOfferName, signRequest } from '../../../sdk/gateway/protocol.ts';
import type { Receipt } from '../../../sdk/receipts/receipt.ts';
import { baseUrl, listenHttp } from '../../listen.ts';
import type { Logger } from '../../log.ts';
import type { Offer, PayerChain } from './chain.ts';
import { type Expected, checkAndCosign } from './check.ts';
import { PayerMetrics } from './metrics.ts';
import { type SseEvent, sseEvents } from '../sse.ts';
import { UpstreamClient, type UpstreamResponse, keepAlive, readAll, usageOf } from '../upstream.ts';
import { type SetAsidePolicy, SetAside } from './set-aside.ts';
import { type EscrowTopUp, PayerSettlement } from './settlement.ts';
import { type Misbehaviour, PayerStore } from './store.ts';

export interface Selection {
  /** Only offers priced in this denom (the escrow's). */
  readonly denom: string;
  /** Highest acceptable price per unit; none when undefined. */
  readonly maxPricePerUnit?: bigint;
  readonly minTrust?: TrustLevel;
  /** Only these regions; any when empty. */
  readonly regions?: readonly string[];
  readonly minReputation?: bigint;
}

export interface PayerGatewayOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly chainId: string;
  /** The payer account, cairn1… */
  readonly payer: string;
  /** An ed25519 key the payer authorised on chain (AuthorizePayerKey). */
  readonly payerKey: Ed25519Signer;
  /** The gateway's LevelDB directory. */
  readonly dataDir: string;
  readonly chain: PayerChain;
  readonly selection: Selection;
  /** Operator → the gateway URL to use instead of its registered endpoint. */
  readonly endpoints?: ReadonlyMap<string, string>;
  /** Operators tried per request (default 3). */
  readonly maxAttempts?: number;
  /** How long a failing or dishonest operator is not picked (set-aside.ts; default DEFAULT_SET_ASIDE). */
  readonly setAside?: SetAsidePolicy;
  /** Deadline of one forwarded request (default 300 s). */
  readonly requestTimeoutMs?: number;
  /** How often queued co-signatures are sent (default 200 ms). */
  readonly cosignIntervalMs?: number;
  /** How often operators are asked for batches to sign (default 2 s). */
  readonly batchPollIntervalMs?: number;
  /** Also sign batches settled off chain (default: escrow only). */
  readonly allowOffchain?: boolean;
  readonly escrow?: EscrowTopUp;
  readonly escrowCheckIntervalMs?: number;
  readonly logger: Logger;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

class HttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;

  constructor(status: number, message: string, type = 'invalid_request_error', code = 'bad_request') {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
  }
}

/** Why an attempt at one operator failed; `retry` false means the application already got bytes. */
interface AttemptFailure {
  readonly kind: 'error' | 'receipt';
  readonly detail: string;
  readonly retry: boolean;
}

/** An operator's answer to relay unchanged (a client error of the request itself). */
interface Relayed {
  readonly status: number;
  readonly body: Uint8Array;
  readonly contentType: string;
}

interface Prepared {
  readonly path: '/v1/chat/completions' | '/v1/completions';
  readonly body: Uint8Array;
  readonly stream: boolean;
  /** The app did not ask for the usage chunk: the gateway asked for it, and drops it. */
  readonly dropUsageChunk: boolean;
  readonly modelId: string;
  readonly adapterId: string;
  readonly offerModel: string;
  readonly maxUnitsOut: bigint | undefined;
}

/** The operator gateway's base URL: `/v1` and `/cairn/v1` paths hang off it. */
export function gatewayBase(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the request body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

const nowSeconds = (): bigint => BigInt(Math.floor(Date.now() / 1000));

export class PayerGateway {
  readonly metrics: PayerMetrics;
  readonly store: PayerStore;
  readonly #o: PayerGatewayOptions;
  readonly #server: Server;
  /** Co-signatures back to the operators, their batches signed, the escrow topped up. */
  readonly settlement: PayerSettlement;
  /** Operators not picked for now. */
  readonly #aside: SetAside;

  constructor(options: PayerGatewayOptions) {
    this.#o = options;
    this.#aside = new SetAside(options.setAside);
    this.store = new PayerStore(options.dataDir);
    this.metrics = new PayerMetrics(this.store);
    this.settlement = new PayerSettlement({
      chainId: options.chainId,
      payer: options.payer,
      payerKey: options.payerKey,
      chain: options.chain,
      store: this.store,
      metrics: this.metrics,
      logger: options.logger,
      allowOffchain: options.allowOffchain === true,
      escrow: options.escrow,
      misbehaved: (m) => this.#misbehaved(m),
      every: {
        cosignMs: options.cosignIntervalMs ?? 200,
        batchPollMs: options.batchPollIntervalMs ?? 2000,
        escrowCheckMs: options.escrowCheckIntervalMs ?? 10_000,
      },
    });
    this.#server = keepAlive(createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        const err = e instanceof HttpError ? e : new HttpError(500, (e as Error).message, 'internal_server_error', 'internal');
        if (!(e instanceof HttpError)) options.logger.error('request failed', { err: e as Error });
        if (res.headersSent) res.end();
        else sendJson(res, err.status, openAiError(err.message, err.type, err.code));
      });
    }));
  }

  get url(): string {
    return `${baseUrl(this.#server)}/v1`;
  }

  async start(): Promise<void> {
    await this.store.open();
    await this.settlement.load();
    await listenHttp(this.#server, this.#o.host, this.#o.port, (reason) => new Error(`the payer gateway cannot listen on ${this.#o.host}:${this.#o.port}: ${reason}; change --listen (or listen in app.toml [payer-gateway])`));
    await this.settlement.start();
    this.#o.logger.info('payer gateway listening', { url: this.url, payer: this.#o.payer, key: toHex(this.#o.payerKey.publicKey) });
  }

  async stop(): Promise<void> {
    const settled = this.settlement.stop();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await settled;
    await this.store.close();
  }

  // ---- the application's side ----

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(await this.metrics.registry.metrics());
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const names = await this.#o.chain.servedNames();
      sendJson(res, 200, { object: 'list', data: names.map((id) => ({ id, object: 'model', created: 0, owned_by: 'cairn' })) });
      return;
    }
    if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/completions')) {
      await this.#complete(path, await readBody(req), res);
      return;
    }
    throw new HttpError(404, `no route ${req.method ?? ''} ${path}`, 'invalid_request_error', 'not_found');
  }

  #prepare(path: Prepared['path'], raw: Uint8Array): Prepared {
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(raw));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
      body = parsed as Record<string, unknown>;
    } catch {
      throw new HttpError(400, 'the request body must be a JSON object');
    }
    if (typeof body.model !== 'string' || body.model === '') throw new HttpError(400, 'the request must name a model');
    const { modelId, adapterId } = parseOfferName(body.model);
    const stream = body.stream === true;
    const options = body.stream_options as { include_usage?: unknown } | undefined;
    const dropUsageChunk = stream && options?.include_usage !== true;
    // The payer needs the usage of every stream to check the units it pays for.
    if (dropUsageChunk) body.stream_options = { ...(options ?? {}), include_usage: true };
    const max = body.max_tokens ?? body.max_completion_tokens;
    const n = body.n ?? 1;
    const maxUnitsOut = typeof max === 'number' && Number.isSafeInteger(max) && max >= 0 && typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 ? BigInt(max) * BigInt(n) : undefined;
    const sent = dropUsageChunk ? new TextEncoder().encode(JSON.stringify(body)) : raw;
    return { path, body: sent, stream, dropUsageChunk, modelId, adapterId, offerModel: adapterId === '' ? modelId : adapterId, maxUnitsOut };
  }

  /** Offers within the selection, not set aside, cheapest first, then by reputation, then at random (to spread equals). */
  async #candidates(offerModel: string): Promise<Offer[]> {
    const s = this.#o.selection;
    const now = Date.now();
    const shuffled = [...(await this.#o.chain.offers(offerModel))].map((o) => ({ o, r: Math.random() })).sort((a, b) => a.r - b.r).map((x) => x.o);
    return shuffled
      .filter((o) => o.denom === s.denom)
      .filter((o) => s.maxPricePerUnit === undefined || o.pricePerUnit <= s.maxPricePerUnit)
      .filter((o) => s.minTrust === undefined || o.trustLevel >= s.minTrust)
      .filter((o) => s.regions === undefined || s.regions.length === 0 || s.regions.includes(o.region))
      .filter((o) => s.minReputation === undefined || o.reputation >= s.minReputation)
      .filter((o) => !this.#aside.isAside(o.operator, now))
      .filter((o) => this.#endpoint(o) !== undefined)
      .sort((a, b) => (a.pricePerUnit === b.pricePerUnit ? Number(b.reputation - a.reputation) : a.pricePerUnit < b.pricePerUnit ? -1 : 1)); // stable: equals stay shuffled
  }

  #endpoint(o: Offer): string | undefined {
    const e = this.#o.endpoints?.get(o.operator) ?? o.endpoints[0];
    return e === undefined ? undefined : gatewayBase(e);
  }

  async #complete(path: Prepared['path'], raw: Uint8Array, res: ServerResponse): Promise<void> {
    let p: Prepared;
    try {
      p = this.#prepare(path, raw);
    } catch (e) {
      this.metrics.requests.inc({ result: 'bad_request' });
      throw e;
    }
    const candidates = await this.#candidates(p.offerModel);
    if (candidates.length === 0) {
      this.metrics.requests.inc({ result: 'no_operator' });
      throw new HttpError(503, `no operator within this gateway's limits serves ${p.modelId}${p.adapterId === '' ? '' : '@' + p.adapterId} now`, 'service_unavailable', 'no_operator');
    }
    let last = '';
    const attempts = Math.min(this.#o.maxAttempts ?? 3, candidates.length);
    for (let i = 0; i < attempts; i++) {
      const offer = candidates[i]!;
      const outcome = await this.#attempt(p, offer, res);
      if (outcome === 'done') {
        this.#aside.succeeded(offer.operator, Date.now());
        this.metrics.requests.inc({ result: i === 0 ? 'ok' : 'failed_over' });
        return;
      }
      if ('status' in outcome) {
        this.metrics.requests.inc({ result: 'bad_request' });
        res.writeHead(outcome.status, { 'content-type': outcome.contentType }).end(outcome.body);
        return;
      }
      await this.#misbehaved({ at: Date.now(), operator: offer.operator, kind: outcome.kind, detail: outcome.detail });
      last = `${offer.operator}: ${outcome.detail}`;
      if (!outcome.retry) {
        this.metrics.requests.inc({ result: 'upstream_error' });
        return;
      }
      if (i + 1 < attempts) this.metrics.failovers.inc({ reason: outcome.kind });
    }
    this.metrics.requests.inc({ result: 'upstream_error' });
    throw new HttpError(502, `no operator answered with a receipt this gateway could co-sign (last: ${last})`, 'upstream_error', 'operator_failed');
  }

  async #misbehaved(m: Misbehaviour): Promise<void> {
    const ms = this.#aside.failed(m.operator, m.kind === 'error' ? 'error' : 'dishonest', Date.now());
    if (m.kind === 'receipt') this.metrics.receipts.inc({ result: 'refused' });
    this.#o.logger.warn('operator set aside', { operator: m.operator, kind: m.kind, seconds: Math.ceil(ms / 1000), detail: m.detail });
    if (m.kind !== 'error') this.#o.chain.forget();
    await this.store.recordMisbehaviour(m);
  }

  async #attempt(p: Prepared, offer: Offer, res: ServerResponse): Promise<'done' | AttemptFailure | Relayed> {
    const base = this.#endpoint(offer)!;
    const id = new Uint8Array(randomBytes(32));
    const sentAt = nowSeconds();
    const headers = signRequest(this.#o.chainId, offer.operator, this.#o.payer, id, sentAt, p.body, this.#o.payerKey);
    let response: UpstreamResponse;
    try {
      const client = new UpstreamClient({ baseUrl: `${base}/v1`, timeoutMs: this.#o.requestTimeoutMs ?? 300_000 });
      response = await client.post(p.path.slice('/v1'.length), p.body, { headers });
    } catch (e) {
      return { kind: 'error', detail: `request failed: ${(e as Error).message}`, retry: true };
    }
    if (response.status !== 200) {
      const body = await readAll(response.body, 1 << 20).catch(() => new Uint8Array());
      // The request itself is at fault: another operator would say the same.
      if ([400, 404, 413, 422].includes(response.status)) return { status: response.status, body, contentType: response.contentType || 'application/json' };
      return { kind: 'error', detail: `HTTP ${response.status}: ${new TextDecoder().decode(body.subarray(0, 300))}`, retry: true };
    }
    const [operatorKey, epoch] = await Promise.all([this.#o.chain.receiptKey(offer.operator), this.#o.chain.epoch()]);
    if (operatorKey === undefined) return { kind: 'error', detail: 'the operator has no registered receipt key', retry: true };
    const expected = (responseHash: Uint8Array, usage: Expected['usage']): Expected => ({
      chainId: this.#o.chainId,
      id,
      operator: offer.operator,
      payer: this.#o.payer,
      modelId: p.modelId,
      adapterId: p.adapterId,
      epoch,
      unitPrice: offer.pricePerUnit,
      requestHash: sha256(p.body),
      responseHash,
      usage,
      maxUnitsOut: p.maxUnitsOut,
      operatorKey,
      sentAt,
      receivedAt: nowSeconds(),
    });
    return p.stream ? this.#relayStream(p, response, expected, base, res) : this.#relayPlain(response, expected, base, res);
  }

  async #relayPlain(response: UpstreamResponse, expected: (h: Uint8Array, u: Expected['usage']) => Expected, base: string, res: ServerResponse): Promise<'done' | AttemptFailure> {
    let body: Uint8Array;
    try {
      body = await readAll(response.body, MAX_RESPONSE_BYTES);
    } catch (e) {
      return { kind: 'error', detail: `reading the response failed: ${(e as Error).message}`, retry: true };
    }
    const text = response.headers.get(RECEIPT_HEADER);
    if (text === null) return { kind: 'receipt', detail: 'the response carried no receipt', retry: true };
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return { kind: 'receipt', detail: 'the response is not JSON', retry: true };
    }
    const verdict = this.#judgeReceipt(text, expected(sha256(body), usageOf(parsed)));
    if (!verdict.ok) return { kind: 'receipt', detail: verdict.detail, retry: true };
    await this.#keep(verdict.receipt, base);
    res.writeHead(200, { 'content-type': response.contentType || 'application/json' }).end(body);
    return 'done';
  }

  async #relayStream(p: Prepared, response: UpstreamResponse, expected: (h: Uint8Array, u: Expected['usage']) => Expected, base: string, res: ServerResponse): Promise<'done' | AttemptFailure> {
    const hash = createHash('sha256');
    let usage: Expected['usage'];
    let receiptText: string | undefined;
    let started = false;
    const toApp = (bytes: Uint8Array): void => {
      if (!started) {
        started = true;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      }
      // An application that hung up still gets its receipt checked and co-signed: it was served.
      if (!res.destroyed) res.write(bytes);
    };
    const onEvent = (e: SseEvent): void => {
      if (receiptText !== undefined) return; // after the receipt: only [DONE], which the gateway writes itself
      if (e.event === RECEIPT_EVENT) {
        receiptText = e.data;
        return;
      }
      hash.update(e.raw);
      if (e.data === '[DONE]') return;
      let chunk: unknown;
      try {
        chunk = JSON.parse(e.data);
      } catch {
        chunk = undefined;
      }
      const u = usageOf(chunk);
      if (u !== undefined) usage = u;
      const usageOnly = u !== undefined && Array.isArray((chunk as { choices?: unknown }).choices) && (chunk as { choices: unknown[] }).choices.length === 0;
      if (usageOnly && p.dropUsageChunk) return;
      toApp(e.raw);
    };
    try {
      for await (const e of sseEvents(response.body)) onEvent(e);
    } catch (e) {
      return this.#endStream(res, started, { kind: 'error', detail: `the stream broke: ${(e as Error).message}`, retry: !started });
    }
    if (receiptText === undefined) return this.#endStream(res, started, { kind: 'receipt', detail: 'the stream ended without a receipt', retry: !started });
    const verdict = this.#judgeReceipt(receiptText, expected(new Uint8Array(hash.digest()), usage));
    if (!verdict.ok) return this.#endStream(res, started, { kind: 'receipt', detail: verdict.detail, retry: !started });
    await this.#keep(verdict.receipt, base);
    toApp(new TextEncoder().encode('data: [DONE]\n\n'));
    res.end();
    return 'done';
  }

  /** Ends a stream the application already reads with an OpenAI error event; the failure is returned. */
  #endStream(res: ServerResponse, started: boolean, failure: AttemptFailure): AttemptFailure {
    if (started && !res.destroyed) {
      res.end(`data: ${JSON.stringify(openAiError(`the operator's answer was refused by the payer gateway: ${failure.detail}`, 'upstream_error', 'operator_failed'))}\n\n`);
    }
    return failure;
  }

  #judgeReceipt(text: string, e: Expected): { ok: true; receipt: Receipt } | { ok: false; detail: string } {
    let r: Receipt;
    try {
      r = decodeReceipt(text);
    } catch (err) {
      return { ok: false, detail: `the receipt does not decode: ${(err as Error).message}` };
    }
    const v = checkAndCosign(r, e, this.#o.payerKey);
    return v.ok ? v : { ok: false, detail: `receipt ${toHex(r.id)}: ${v.problems.join('; ')}` };
  }

  /** Persists a co-signed receipt (before the application is answered) and queues its co-signature. */
  async #keep(r: Receipt, base: string): Promise<void> {
    await this.store.putCosigned(r, base);
    this.settlement.queue(r);
    this.metrics.receipts.inc({ result: 'cosigned' });
    this.metrics.units.inc({ direction: 'in' }, Number(r.unitsIn));
    this.metrics.units.inc({ direction: 'out' }, Number(r.unitsOut));
    this.metrics.spend.inc(Number(r.amount));
  }

  /** What this gateway recorded against operators, oldest first. */
  misbehaviours(): Promise<Misbehaviour[]> {
    return this.store.misbehaviours();
  }
}

