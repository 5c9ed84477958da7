// A minimal operator gateway on the wire contract (sdk/gateway/protocol.ts), for the payer
// gateway's tests: verifies the payer's request signature, forwards to an OpenAI-compatible
// upstream, signs a receipt for the usage it reports (a header, or an SSE event before [DONE]),
// takes co-signatures and lists the batches it wants signed. `cheat` makes it dishonest in one way.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { toHex } from '../../sdk/bytes.ts';
import { type Ed25519Signer, verifyEd25519 } from '../../sdk/ed25519.ts';
import {
  type BatchSignature,
  COSIGN_PATH,
  type CosignRequest,
  PENDING_BATCHES_PATH,
  type PendingBatch,
  RECEIPT_EVENT,
  RECEIPT_HEADER,
  encodeReceipt,
  parseOfferName,
  verifyRequest,
} from '../../sdk/gateway/protocol.ts';
import { type Batch, buildBatch } from '../../sdk/receipts/batch.ts';
import { receiptSignBytes, signReceipt } from '../../sdk/receipts/receipt.ts';

/** 'silent-settlement': takes the payer's co-signatures and pending-batch calls and never answers them. */
export type Cheat = 'none' | 'inflate-units' | 'wrong-price' | 'other-request' | 'other-response' | 'fail' | 'no-receipt' | 'silent-settlement';

export interface FakeOperatorOptions {
  readonly chainId: string;
  readonly operator: string;
  readonly receiptKey: Ed25519Signer;
  /** http://127.0.0.1:<port>/v1 */
  readonly upstream: string;
  readonly price: bigint;
  readonly epoch: () => bigint;
}

export interface FakeOperator {
  readonly url: string;
  cheat: Cheat;
  /** Receipts this operator signed, by id hex (with the payer's signature once co-signed). */
  readonly receipts: Map<string, Receipt>;
  /** The request body each receipt is for, by id hex. */
  readonly bodies: Map<string, string>;
  readonly requests: number;
  /** Settlement calls held unanswered ('silent-settlement'). */
  readonly held: number;
  /** Offers `receipts` (co-signed or not) as a pending batch; returns it. */
  offerBatch(receipts: readonly Receipt[], mode?: 'escrow' | 'offchain'): Batch;
  /** Payer batch signatures received, by root hex. */
  readonly batchSignatures: Map<string, BatchSignature>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

export async function startFakeOperator(o: FakeOperatorOptions): Promise<FakeOperator> {
  const receipts = new Map<string, Receipt>();
  const bodies = new Map<string, string>();
  const pending = new Map<string, PendingBatch>();
  const batchSignatures = new Map<string, BatchSignature>();
  let requests = 0;
  let held = 0;

  const receiptFor = (auth: { payer: string; payerKey: Uint8Array; receiptId: Uint8Array }, model: string, requestBody: Uint8Array, responseHash: Uint8Array, usage: { prompt_tokens: number; completion_tokens: number }, started: bigint): Receipt => {
    const { modelId, adapterId } = parseOfferName(model);
    const price = fake.cheat === 'wrong-price' ? o.price + 1n : o.price;
    const unitsOut = BigInt(usage.completion_tokens) + (fake.cheat === 'inflate-units' ? 5n : 0n);
    const unitsIn = BigInt(usage.prompt_tokens);
    const r = signReceipt(
      {
        chainId: o.chainId,
        id: auth.receiptId,
        operator: o.operator,
        payer: auth.payer,
        modelId,
        adapterId,
        epoch: o.epoch(),
        unitsIn,
        unitsOut,
        unitPrice: price.toString(),
        amount: ((unitsIn + unitsOut) * price).toString(),
        paymentRef: new Uint8Array(),
        attestationId: new Uint8Array(),
        startedAt: started,
        finishedAt: BigInt(Math.floor(Date.now() / 1000)),
        requestHash: fake.cheat === 'other-request' ? sha256(new TextEncoder().encode('another request')) : sha256(requestBody),
        responseHash: fake.cheat === 'other-response' ? sha256(new TextEncoder().encode('another response')) : responseHash,
        payerKey: auth.payerKey,
        payerSignature: new Uint8Array(),
        operatorSignature: new Uint8Array(),
      },
      'operator',
      o.receiptKey,
    );
    receipts.set(toHex(r.id), r);
    bodies.set(toHex(r.id), new TextDecoder().decode(requestBody));
    return r;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const body = await readBody(req);
    const json = (status: number, v: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    if (fake.cheat === 'silent-settlement' && (path === COSIGN_PATH || path === PENDING_BATCHES_PATH)) {
      held++;
      return new Promise<void>((resolve) => res.once('close', resolve));
    }
    if (req.method === 'POST' && path === COSIGN_PATH) {
      const c = JSON.parse(new TextDecoder().decode(body)) as CosignRequest;
      for (const s of c.signatures) {
        const r = receipts.get(s.id);
        const sig = new Uint8Array(Buffer.from(s.payerSignature, 'hex'));
        if (r === undefined || !verifyEd25519(r.payerKey, receiptSignBytes(r), sig)) return json(400, { error: { message: `bad co-signature for ${s.id}`, type: 'invalid_request_error', code: 'bad_cosignature' } });
        receipts.set(s.id, { ...r, payerSignature: sig });
      }
      return json(200, { accepted: c.signatures.length });
    }
    if (req.method === 'GET' && path === PENDING_BATCHES_PATH) return json(200, { batches: [...pending.values()] });
    const m = /^\/cairn\/v1\/batches\/([0-9a-f]{64})\/signature$/.exec(path);
    if (req.method === 'POST' && m !== null) {
      batchSignatures.set(m[1]!, JSON.parse(new TextDecoder().decode(body)) as BatchSignature);
      pending.delete(m[1]!);
      return json(200, {});
    }
    if (req.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/v1/completions')) return json(404, { error: { message: 'no route', type: 'invalid_request_error', code: 'not_found' } });
    requests++;
    let auth;
    try {
      auth = verifyRequest(o.chainId, o.operator, req.headers, body, BigInt(Math.floor(Date.now() / 1000)));
    } catch (e) {
      return json(401, { error: { message: (e as Error).message, type: 'authentication_error', code: 'bad_signature' } });
    }
    if (fake.cheat === 'fail') return json(500, { error: { message: 'this operator is broken', type: 'internal_server_error', code: 'internal' } });
    const started = BigInt(Math.floor(Date.now() / 1000));
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { model: string; stream?: boolean };
    const up = await fetch(o.upstream + path.slice(3), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (parsed.stream !== true) {
      const out = new Uint8Array(await up.arrayBuffer());
      const usage = (JSON.parse(new TextDecoder().decode(out)) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
      const r = receiptFor(auth, parsed.model, body, sha256(out), usage, started);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fake.cheat !== 'no-receipt') headers[RECEIPT_HEADER] = encodeReceipt(r);
      res.writeHead(up.status, headers).end(out);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const hash = createHash('sha256');
    let usage = { prompt_tokens: 0, completion_tokens: 0 };
    let text = '';
    for await (const chunk of up.body as unknown as AsyncIterable<Uint8Array>) {
      text += new TextDecoder().decode(chunk);
      let at: number;
      while ((at = text.indexOf('\n\n')) >= 0) {
        const event = text.slice(0, at + 2);
        text = text.slice(at + 2);
        if (event.startsWith('data: [DONE]')) continue;
        const data = JSON.parse(event.slice(6)) as { usage?: typeof usage };
        if (data.usage !== undefined) usage = data.usage;
        hash.update(event);
        res.write(event);
      }
    }
    const r = receiptFor(auth, parsed.model, body, new Uint8Array(hash.digest()), usage, started);
    if (fake.cheat !== 'no-receipt') res.write(`event: ${RECEIPT_EVENT}\ndata: ${encodeReceipt(r)}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeOperator = {
    url: `http://127.0.0.1:${port}`,
    cheat: 'none',
    receipts,
    bodies,
    get requests() {
      return requests;
    },
    get held() {
      return held;
    },
    batchSignatures,
    offerBatch(list, mode = 'escrow') {
      const b = buildBatch(list);
      const h = b.header;
      pending.set(toHex(h.root), {
        root: toHex(h.root),
        chainId: h.chainId,
        operator: h.operator,
        payer: h.payer,
        modelId: h.modelId,
        adapterId: h.adapterId,
        epoch: h.epoch.toString(),
        mode,
        count: h.count.toString(),
        units: h.units.toString(),
        amount: h.amount.toString(),
        receiptIds: b.receipts.map((r) => toHex(r.id)),
      });
      return b;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
