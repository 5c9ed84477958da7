// Serving one request of the operator gateway (sdk/gateway/protocol.ts is the contract): check the
// payer's signature and key, the receipt id, the payer's credit and the model; forward to the
// upstream; meter its `usage`; sign the receipt, store it, and only then return it with the
// response (RECEIPT_HEADER, or a RECEIPT_EVENT before a stream's `data: [DONE]`).
//
// Credit: a payer may not start a request while the receipts it has not co-signed reach
// `creditLimit`. So a payer that stops co-signing costs the operator at most the limit plus what the
// requests it had in flight when it reached the limit were worth (one request, for a payer that
// sends one at a time).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import type { Ed25519Signer } from '../../../sdk/ed25519.ts';
import { RECEIPT_EVENT, RECEIPT_HEADER, RequestAuthError, encodeReceipt, openAiError, verifyRequest } from '../../../sdk/gateway/protocol.ts';
import { sha256 } from '../../../sdk/hash.ts';
import { signReceipt } from '../../../sdk/receipts/receipt.ts';
import type { Logger } from '../../log.ts';
import { formatSseEvent, sseEvents } from '../sse.ts';
import { type CompletionPath, type UpstreamClient, readAll, type Usage, usageOf } from '../upstream.ts';
import type { OperatorChain, ServedOffer } from './chain.ts';
import type { OperatorMetrics } from './metrics.ts';
import type { GatewayStore } from './store.ts';

export interface ServeConfig {
  readonly chainId: string;
  readonly operator: string;
  readonly receiptSigner: Ed25519Signer;
  readonly upstream: UpstreamClient;
  /** On-chain offer name → the model name the upstream knows it by (default: the same). */
  readonly modelMap: ReadonlyMap<string, string>;
  /** Most a payer may owe in receipts it has not co-signed (price denom). */
  readonly creditLimit: bigint;
  readonly maxBodyBytes: number;
  readonly maxResponseBytes: number;
}

export interface ServeDeps {
  readonly config: ServeConfig;
  readonly chain: OperatorChain;
  readonly store: GatewayStore;
  readonly metrics: OperatorMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** A refusal: its HTTP status, OpenAI error type and code (the `result` label of the metrics). */
export class Refusal extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  constructor(status: number, code: string, message: string, type = 'invalid_request_error') {
    super(message);
    this.status = status;
    this.code = code;
    this.type = type;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

export function sendRefusal(res: ServerResponse, r: Refusal): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, r.status, openAiError(r.message, r.type, r.code));
}

export async function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > max) throw new Refusal(413, 'body_too_large', `the request body has ${declared} bytes; this gateway takes at most ${max}`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new Refusal(413, 'body_too_large', `the request body exceeds ${max} bytes`);
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/** The body as a JSON object with a string `model`, or a 400. */
function parseCompletionBody(body: Uint8Array): Record<string, unknown> & { model: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new Refusal(400, 'invalid_json', 'the request body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Refusal(400, 'invalid_body', 'the request body must be a JSON object');
  const model = (parsed as { model?: unknown }).model;
  if (typeof model !== 'string' || model === '') throw new Refusal(400, 'missing_model', 'the request needs a "model" (one of GET /v1/models)');
  return parsed as Record<string, unknown> & { model: string };
}

export class OperatorServer {
  readonly #d: ServeDeps;
  /** `<payer>/<receipt id>` of the requests in flight: two requests with one id cannot both pass. */
  readonly #inFlight = new Set<string>();
  readonly #now: () => number;

  constructor(deps: ServeDeps) {
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** POST /v1/chat/completions and /v1/completions. */
  async completion(path: CompletionPath, req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const { config, chain, store, metrics } = this.#d;
    const startedMs = this.#now();
    let result = 'ok';
    let held: string | undefined;
    try {
      const body = await readBody(req, config.maxBodyBytes);
      let auth;
      try {
        auth = verifyRequest(config.chainId, config.operator, req.headers, body, BigInt(Math.floor(startedMs / 1000)));
      } catch (e) {
        if (e instanceof RequestAuthError) throw new Refusal(401, 'bad_signature', e.message, 'authentication_error');
        throw e;
      }
      const parsed = parseCompletionBody(body);
      const keyState = await chain.payerKey(auth.payer, auth.payerKey);
      if (keyState !== 'authorised') {
        throw new Refusal(403, keyState === 'revoked' ? 'revoked_payer_key' : 'unknown_payer_key', `payer ${auth.payer} ${keyState === 'revoked' ? 'has revoked' : 'has not authorised'} key ${Buffer.from(auth.payerKey).toString('hex')} on chain`, 'permission_error');
      }
      const offer = (await chain.offers()).get(parsed.model);
      if (offer === undefined) throw new Refusal(404, 'model_not_found', `this operator does not serve "${parsed.model}" on chain; GET /v1/models lists what it serves`);
      const idHex = Buffer.from(auth.receiptId).toString('hex');
      const owed = store.owed(auth.payer);
      if (owed >= config.creditLimit) {
        throw new Refusal(402, 'over_credit', `payer ${auth.payer} owes ${owed}${offer.denom} in receipts it has not co-signed (limit ${config.creditLimit}${offer.denom}): co-sign them (POST /cairn/v1/receipts/cosign) first`, 'insufficient_quota');
      }
      const key = `${auth.payer}/${idHex}`;
      if (this.#inFlight.has(key)) throw new Refusal(409, 'receipt_id_reused', `receipt id ${idHex} is already in use for payer ${auth.payer}`);
      this.#inFlight.add(key);
      held = key;
      if (await store.hasReceipt(auth.payer, auth.receiptId)) throw new Refusal(409, 'receipt_id_reused', `receipt id ${idHex} was already used by payer ${auth.payer}`);

      const stream = parsed['stream'] === true;
      const upstreamBody: Record<string, unknown> = { ...parsed, model: config.modelMap.get(offer.name) ?? offer.name };
      if (stream) upstreamBody['stream_options'] = { ...(parsed['stream_options'] as object | undefined), include_usage: true };
      let upstream;
      try {
        upstream = await config.upstream.post(path, new TextEncoder().encode(JSON.stringify(upstreamBody)), { signal });
      } catch (e) {
        throw new Refusal(502, 'upstream_unreachable', `the inference server did not answer: ${(e as Error).message}`, 'api_error');
      }
      if (upstream.status !== 200) {
        const detail = Buffer.from(await readAll(upstream.body, 64 * 1024).catch(() => new Uint8Array())).toString('utf8').slice(0, 500);
        throw new Refusal(502, 'upstream_error', `the inference server answered ${upstream.status}: ${detail}`, 'api_error');
      }
      const build = (usage: Usage, responseHash: Uint8Array): Promise<Receipt> => this.#receipt(auth, offer, usage, sha256(body), responseHash, startedMs);
      if (!stream) {
        let responseBody: Uint8Array;
        try {
          responseBody = await readAll(upstream.body, config.maxResponseBytes);
        } catch (e) {
          throw new Refusal(502, 'upstream_error', `reading the inference server's answer failed: ${(e as Error).message}`, 'api_error');
        }
        let usage: Usage | undefined;
        try {
          usage = usageOf(JSON.parse(Buffer.from(responseBody).toString('utf8')));
        } catch {
          usage = undefined;
        }
        if (usage === undefined) throw new Refusal(502, 'upstream_no_usage', 'the inference server answered without a valid "usage": nothing can be metered, so nothing is served', 'api_error');
        const receipt = await build(usage, sha256(responseBody));
        res.writeHead(200, { 'content-type': upstream.contentType || 'application/json', 'content-length': responseBody.length, [RECEIPT_HEADER]: encodeReceipt(receipt) });
        res.end(responseBody);
        return;
      }
      await this.#stream(upstream.body, res, build, upstream.contentType);
    } catch (e) {
      const refusal = e instanceof Refusal ? e : new Refusal(500, 'internal_error', `the gateway failed: ${(e as Error).message}`, 'api_error');
      result = refusal.code;
      if (refusal.status >= 500) this.#d.logger.warn('request failed', { status: refusal.status, code: refusal.code, error: refusal.message });
      sendRefusal(res, refusal);
    } finally {
      if (held !== undefined) this.#inFlight.delete(held);
      metrics.requests.inc({ result });
    }
  }

  async #stream(body: AsyncIterable<Uint8Array>, res: ServerResponse, build: (usage: Usage, responseHash: Uint8Array) => Promise<Receipt>, contentType: string): Promise<void> {
    const hash = createHash('sha256');
    let usage: Usage | undefined;
    let started = false;
    try {
      for await (const e of sseEvents(body)) {
        if (e.data === '[DONE]') break;
        if (usage === undefined && e.data.includes('"usage"')) {
          try {
            usage = usageOf(JSON.parse(e.data));
          } catch {
            // not JSON: forwarded as it is
          }
        }
        if (!started) {
          res.writeHead(200, { 'content-type': contentType || 'text/event-stream', 'cache-control': 'no-cache' });
          started = true;
        }
        hash.update(e.raw);
        res.write(e.raw);
      }
    } catch (e) {
      if (!started) throw new Refusal(502, 'upstream_error', `the inference server's stream failed: ${(e as Error).message}`, 'api_error');
      this.#d.logger.warn('upstream stream broke off', { error: (e as Error).message });
      res.destroy();
      return;
    }
    if (usage === undefined) {
      if (!started) throw new Refusal(502, 'upstream_no_usage', 'the inference server streamed no usage chunk: nothing can be metered', 'api_error');
      this.#d.logger.warn('a stream ended without a usage chunk: no receipt (does the upstream honour stream_options.include_usage?)');
      res.end(formatSseEvent(JSON.stringify(openAiError('the inference server streamed no usage: no receipt', 'api_error', 'upstream_no_usage'))) + 'data: [DONE]\n\n');
      return;
    }
    if (!started) res.writeHead(200, { 'content-type': contentType || 'text/event-stream', 'cache-control': 'no-cache' });
    const receipt = await build(usage, new Uint8Array(hash.digest()));
    res.end(formatSseEvent(encodeReceipt(receipt), RECEIPT_EVENT) + 'data: [DONE]\n\n');
  }

  /** Builds, signs and stores the receipt (before anything returns it). */
  async #receipt(auth: { payer: string; payerKey: Uint8Array; receiptId: Uint8Array }, offer: ServedOffer, usage: Usage, requestHash: Uint8Array, responseHash: Uint8Array, startedMs: number): Promise<Receipt> {
    const { config, chain, store, metrics } = this.#d;
    const finished = BigInt(Math.floor(this.#now() / 1000));
    const epoch = await chain.epoch();
    // The chain judges a receipt of epoch e against [start of e, …): a request that began before the
    // epoch's first block is dated from it.
    let startedAt = BigInt(Math.floor(startedMs / 1000));
    if (startedAt < epoch.startTime) startedAt = epoch.startTime;
    const finishedAt = finished < startedAt ? startedAt : finished;
    const units = usage.promptTokens + usage.completionTokens;
    const unsigned = Receipt.fromPartial({
      chainId: config.chainId,
      id: auth.receiptId,
      operator: config.operator,
      payer: auth.payer,
      modelId: offer.modelId,
      adapterId: offer.adapterId,
      epoch: epoch.epoch,
      unitsIn: usage.promptTokens,
      unitsOut: usage.completionTokens,
      unitPrice: offer.pricePerUnit.toString(),
      amount: (units * offer.pricePerUnit).toString(),
      attestationId: await chain.attestationId(finishedAt),
      startedAt,
      finishedAt,
      requestHash,
      responseHash,
      payerKey: auth.payerKey,
    });
    const receipt = signReceipt(unsigned, 'operator', config.receiptSigner);
    await store.putSigned(receipt, this.#now());
    metrics.receiptsSigned.inc();
    metrics.units.inc({ direction: 'in' }, Number(usage.promptTokens));
    metrics.units.inc({ direction: 'out' }, Number(usage.completionTokens));
    return receipt;
  }
}
