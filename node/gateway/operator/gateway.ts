// The operator gateway (`cairn operator serve`): an OpenAI-compatible HTTP server in front of the
// operator's inference server, with the endpoints of the payer contract (sdk/gateway/protocol.ts),
// its status and metrics, and the settlement loop. A Service (node/service.ts): start() opens the
// store, listens and starts settling; stop() stops taking requests, waits for the settlement step in
// flight and closes the store.
//
// Routes: GET /v1/models; POST /v1/chat/completions, /v1/completions; POST COSIGN_PATH;
// GET PENDING_BATCHES_PATH?payer=; POST /cairn/v1/batches/<root>/signature; GET STATUS_PATH;
// GET /metrics.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { COSIGN_PATH, type CosignRequest, PENDING_BATCHES_PATH, type PendingBatch } from '../../../sdk/gateway/protocol.ts';
import { ED25519_SIGNATURE_LENGTH, type Ed25519Signer, verifyEd25519 } from '../../../sdk/ed25519.ts';
import { receiptSignBytes } from '../../../sdk/receipts/receipt.ts';
import type { Logger } from '../../log.ts';
import { workSignal } from '../../abort.ts';
import { baseUrl, listenHttp } from '../../listen.ts';
import { PeriodicTask } from '../../periodic.ts';
import { Lifecycle, type Service, type StartOptions } from '../../service.ts';
import { type UpstreamClient, keepAlive } from '../upstream.ts';
import { operatorMetrics, type OperatorMetrics } from './metrics.ts';
import { OperatorServer, Refusal, readBody, sendJson, sendRefusal } from './serve.ts';
import { BatchSignatureError, type SettlementChain, type SettlementDeps, Settlement, isFinal } from './settle.ts';
import { BATCH_STATES, GatewayStore, decodeStoredReceipt } from './store.ts';

export const STATUS_PATH = '/cairn/v1/status';
const SIGNATURE_PATH = /^\/cairn\/v1\/batches\/([0-9a-f]{64})\/signature$/;

export interface OperatorGatewayOptions {
  readonly chainId: string;
  readonly operator: string;
  readonly receiptSigner: Ed25519Signer;
  readonly upstream: UpstreamClient;
  readonly modelMap?: ReadonlyMap<string, string>;
  readonly creditLimit: bigint;
  readonly host: string;
  /** 0: any free port (see `url` once started). */
  readonly port: number;
  /** The gateway's LevelDB directory. */
  readonly dataDir: string;
  readonly chain: SettlementChain;
  readonly submit: SettlementDeps['submit'];
  readonly publish: SettlementDeps['publish'];
  readonly logger: Logger;
  readonly batchSize?: number;
  readonly batchAgeMs?: number;
  /** Between settlement passes (default 2 s); 0: none run by themselves (call settlement.tick()). */
  readonly settleIntervalMs?: number;
  readonly maxBodyBytes?: number;
  readonly maxResponseBytes?: number;
}

export interface GatewayStatus {
  readonly chainId: string;
  readonly operator: string;
  readonly batches: Record<string, number>;
  /** Batches not yet finalized, faulted or expired. */
  readonly pending: readonly { root: string; state: string; payer: string; model: string; epoch: string; count: string; amount: string; batchId?: string; openRequests: number; lastError?: string }[];
  /** Sum of what finalized batches paid the operator. */
  readonly earnings: string;
  readonly openRequests: number;
  readonly credit: readonly { payer: string; owed: string; limit: string }[];
}

export class OperatorGateway implements Service {
  readonly #o: OperatorGatewayOptions;
  readonly #life = new Lifecycle('operator gateway');
  readonly store: GatewayStore;
  readonly metrics: OperatorMetrics;
  readonly settlement: Settlement;
  readonly #server: OperatorServer;
  #http: Server | undefined;
  /** The settlement's two lanes, each on its own timer. */
  #lanes: PeriodicTask[] = [];

  constructor(opts: OperatorGatewayOptions) {
    this.#o = opts;
    this.store = new GatewayStore(opts.dataDir);
    this.metrics = operatorMetrics(this.store);
    this.#server = new OperatorServer({
      config: {
        chainId: opts.chainId,
        operator: opts.operator,
        receiptSigner: opts.receiptSigner,
        upstream: opts.upstream,
        modelMap: opts.modelMap ?? new Map(),
        creditLimit: opts.creditLimit,
        maxBodyBytes: opts.maxBodyBytes ?? 4 << 20,
        maxResponseBytes: opts.maxResponseBytes ?? 64 << 20,
      },
      chain: opts.chain,
      store: this.store,
      metrics: this.metrics,
      logger: opts.logger,
    });
    this.settlement = new Settlement({
      chainId: opts.chainId,
      operator: opts.operator,
      store: this.store,
      chain: opts.chain,
      submit: opts.submit,
      publish: opts.publish,
      metrics: this.metrics,
      logger: opts.logger,
      batchSize: opts.batchSize ?? 1000,
      batchAgeMs: opts.batchAgeMs ?? 60_000,
    });
  }

  /** http://host:port once started. */
  get url(): string {
    if (this.#http?.listening !== true) throw new Error('the operator gateway is not listening');
    return baseUrl(this.#http);
  }

  start(opts: StartOptions = {}): Promise<void> {
    return this.#life.start(opts, () => this.#up(), () => this.stop());
  }

  stop(): Promise<void> {
    return this.#life.stop(async () => {
      const http = this.#http;
      if (http !== undefined) {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      }
      await Promise.all(this.#lanes.map((lane) => lane.stop()));
      await this.store.close().catch(() => undefined);
    });
  }

  async #up(): Promise<void> {
    await this.store.open();
    const http = keepAlive(createServer((req, res) => void this.#route(req, res)));
    this.#http = http;
    await listenHttp(http, this.#o.host, this.#o.port, (reason) => new Error(`the operator gateway cannot listen on ${this.#o.host}:${this.#o.port}: ${reason}; change --listen (or listen in app.toml [operator-gateway])`));
    const every = this.#o.settleIntervalMs ?? 2000;
    if (every > 0) {
      const lane = (name: string, job: () => Promise<void>): PeriodicTask =>
        new PeriodicTask({ name: `settlement ${name}`, job, intervalMs: every, passAtStart: true, onError: (e) => this.#o.logger.warn(`settlement ${name} pass failed`, { error: e.message }) });
      this.#lanes = [lane('follow', this.settlement.follow), lane('progress', this.settlement.progress)];
      await Promise.all(this.#lanes.map((l) => l.start()));
    }
    this.#o.logger.info('operator gateway listening', { url: this.url, operator: this.#o.operator, upstream: this.#o.upstream.baseUrl });
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const path = url.pathname;
    const signal = this.#life.signal;
    try {
      if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/completions')) {
        // Aborted when the gateway stops or the client goes away.
        const work = workSignal(signal);
        const gone = (): void => work.abort();
        res.on('close', gone);
        try {
          await this.#server.completion(path === '/v1/chat/completions' ? '/chat/completions' : '/completions', req, res, work.signal);
        } finally {
          work.done();
          res.off('close', gone);
        }
        return;
      }
      if (req.method === 'GET' && path === '/v1/models') return await this.#models(res);
      if (req.method === 'POST' && path === COSIGN_PATH) return await this.#cosign(req, res);
      if (req.method === 'GET' && path === PENDING_BATCHES_PATH) return await this.#pending(url.searchParams.get('payer'), res);
      const sig = SIGNATURE_PATH.exec(path);
      if (req.method === 'POST' && sig !== null) return await this.#batchSignature(sig[1]!, req, res);
      if (req.method === 'GET' && path === STATUS_PATH) return sendJson(res, 200, await this.status());
      if (req.method === 'GET' && path === '/metrics') {
        const text = await this.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text);
        return;
      }
      throw new Refusal(404, 'not_found', `no route ${req.method ?? ''} ${path}`);
    } catch (e) {
      sendRefusal(res, e instanceof Refusal ? e : new Refusal(500, 'internal_error', (e as Error).message, 'api_error'));
    }
  }

  async #models(res: ServerResponse): Promise<void> {
    const offers = await this.#o.chain.offers();
    sendJson(res, 200, {
      object: 'list',
      data: [...offers.values()].map((o) => ({ id: o.name, object: 'model', created: 0, owned_by: this.#o.operator, price_per_unit: `${o.pricePerUnit}${o.denom}` })),
    });
  }

  async #jsonBody<T>(req: IncomingMessage): Promise<T> {
    const body = await readBody(req, 4 << 20);
    try {
      return JSON.parse(Buffer.from(body).toString('utf8')) as T;
    } catch {
      throw new Refusal(400, 'invalid_json', 'the request body is not JSON');
    }
  }

  async #cosign(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.#jsonBody<CosignRequest>(req);
    if (typeof body?.payer !== 'string' || !Array.isArray(body.signatures)) throw new Refusal(400, 'invalid_body', 'a co-signature request is { "payer", "signatures": [{ "id", "payerSignature" }] }');
    let accepted = 0;
    const refused: string[] = [];
    for (const s of body.signatures) {
      const id = typeof s?.id === 'string' ? s.id : '';
      const sigHex = typeof s?.payerSignature === 'string' ? s.payerSignature : '';
      const rec = /^[0-9a-f]{64}$/.test(id) ? await this.store.getReceipt(body.payer, id) : undefined;
      if (rec === undefined) {
        refused.push(`${id}: no receipt of payer ${body.payer} with this id`);
        continue;
      }
      if (rec.cosigned) {
        accepted++;
        continue;
      }
      const receipt = decodeStoredReceipt(rec);
      const signature = /^[0-9a-f]+$/.test(sigHex) ? new Uint8Array(Buffer.from(sigHex, 'hex')) : new Uint8Array();
      if (signature.length !== ED25519_SIGNATURE_LENGTH || !verifyEd25519(receipt.payerKey, receiptSignBytes(receipt), signature)) {
        refused.push(`${id}: the signature does not verify with the receipt's payer key`);
        continue;
      }
      if (await this.store.putCosigned(body.payer, id, Receipt.fromPartial({ ...receipt, payerSignature: signature }))) this.metrics.receiptsCosigned.inc();
      accepted++;
    }
    if (refused.length > 0) throw new Refusal(400, 'bad_cosignature', `${refused.length} co-signature(s) refused (${accepted} accepted): ${refused.slice(0, 5).join('; ')}`);
    sendJson(res, 200, { accepted });
  }

  async #pending(payer: string | null, res: ServerResponse): Promise<void> {
    if (payer === null || payer === '') throw new Refusal(400, 'missing_payer', `GET ${PENDING_BATCHES_PATH}?payer=<address>`);
    const batches: PendingBatch[] = (await this.store.batches())
      .filter((b) => b.payer === payer && b.state === 'awaiting_signature')
      .map((b) => ({ root: b.root, chainId: this.#o.chainId, operator: this.#o.operator, payer: b.payer, modelId: b.modelId, adapterId: b.adapterId, epoch: b.epoch, mode: 'escrow', count: b.count, units: b.units, amount: b.amount, receiptIds: b.receiptIds }));
    sendJson(res, 200, { batches });
  }

  async #batchSignature(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.#jsonBody<{ payerKey?: unknown; payerSignature?: unknown }>(req);
    const hex = (v: unknown, n: number): Uint8Array => {
      if (typeof v !== 'string' || v.length !== n * 2 || !/^[0-9a-f]+$/.test(v)) throw new Refusal(400, 'invalid_body', `a batch signature is { "payerKey": ${n === 32 ? '64' : '128'} hex digits, "payerSignature": 128 hex digits }`);
      return new Uint8Array(Buffer.from(v, 'hex'));
    };
    const key = hex(body?.payerKey, 32);
    const signature = hex(body?.payerSignature, 64);
    try {
      const b = await this.settlement.acceptSignature(root, key, signature);
      sendJson(res, 200, { root, state: b.state });
    } catch (e) {
      if (e instanceof BatchSignatureError) throw new Refusal(/no batch/.test(e.message) ? 404 : 400, 'bad_batch_signature', e.message);
      throw e;
    }
  }

  async status(): Promise<GatewayStatus> {
    const all = await this.store.batches();
    const batches = Object.fromEntries(BATCH_STATES.map((s) => [s, 0]));
    let earnings = 0n;
    for (const b of all) {
      batches[b.state] = (batches[b.state] ?? 0) + 1;
      if (b.state === 'finalized') earnings += BigInt(b.operatorAmount ?? '0');
    }
    const open = this.settlement.openRequests;
    const pending = all
      .filter((b) => !isFinal(b))
      .map((b) => ({
        root: b.root,
        state: b.state,
        payer: b.payer,
        model: b.adapterId === '' ? b.modelId : `${b.modelId}@${b.adapterId}`,
        epoch: b.epoch,
        count: b.count,
        amount: b.amount,
        openRequests: open.get(b.root) ?? 0,
        ...(b.batchId === undefined ? {} : { batchId: b.batchId }),
        ...(b.lastError === undefined ? {} : { lastError: b.lastError }),
      }));
    return {
      chainId: this.#o.chainId,
      operator: this.#o.operator,
      batches,
      pending,
      earnings: earnings.toString(),
      openRequests: pending.reduce((n, p) => n + p.openRequests, 0),
      credit: [...this.store.owedByPayer()].map(([payer, owed]) => ({ payer, owed: owed.toString(), limit: this.#o.creditLimit.toString() })),
    };
  }
}
