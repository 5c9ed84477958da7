// The operator gateway in process: a real HTTP server, LevelDB store and test upstream, with the
// chain replaced by a fake whose answers the tests set (payer keys, offers, epoch, batches).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { type Batch as ChainBatch, BatchStatus, Params, type Receipt } from '../../../proto/gen/cairn/receipts/v1/types.ts';
import { MsgSubmitBatch } from '../../../proto/gen/cairn/receipts/v1/tx.ts';
import { generateEd25519, verifyEd25519 } from '../../../sdk/ed25519.ts';
import { COSIGN_PATH, PENDING_BATCHES_PATH, RECEIPT_HEADER, batchSignaturePath, decodeReceipt, signRequest, type PendingBatch } from '../../../sdk/gateway/protocol.ts';
import { sha256 } from '../../../sdk/hash.ts';
import { buildBatch } from '../../../sdk/receipts/batch.ts';
import { signBatchAsPayer, signedLedger } from '../../../sdk/receipts/batch-signature.ts';
import { receiptSignBytes, signReceipt } from '../../../sdk/receipts/receipt.ts';
import { silentLogger } from '../../log.ts';
import { type OpenAiUpstream, startOpenAiUpstream } from '../demo-upstream.ts';
import { sseEvents } from '../sse.ts';
import { UpstreamClient } from '../upstream.ts';
import type { PayerKeyState, ServedOffer } from './chain.ts';
import { OperatorGateway, STATUS_PATH, type GatewayStatus } from './gateway.ts';
import type { SettlementChain, TxOutcome } from './settle.ts';

const CHAIN = 'cairn-test-1';
const OPERATOR = 'cairn1qyqszqgpqyqszqgpqyqszqgpqyqszqgpr8jfuv';
const PAYER = 'cairn1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrnn4dam';
const MODEL = 'acme/llama';
const PRICE = 3n;
const LIMIT = 200n;

const receiptKey = generateEd25519().signer;
const payerKey = generateEd25519().signer;
const strangerKey = generateEd25519().signer;

interface Fake {
  chain: SettlementChain;
  keys: Map<string, PayerKeyState>;
  submitted: EncodeObject[][];
  batches: Map<bigint, ChainBatch>;
  height: bigint;
}

function fakeChain(): Fake {
  const offers = new Map<string, ServedOffer>([[MODEL, { name: MODEL, modelId: MODEL, adapterId: '', denom: 'ucairn', pricePerUnit: PRICE }]]);
  const f: Fake = {
    keys: new Map([[Buffer.from(payerKey.publicKey).toString('hex'), 'authorised']]),
    submitted: [],
    batches: new Map(),
    height: 10n,
    chain: undefined as unknown as SettlementChain,
  };
  f.chain = {
    payerKey: async (_payer, key) => f.keys.get(Buffer.from(key).toString('hex')) ?? 'unknown',
    offers: async () => offers,
    epoch: async () => ({ epoch: 0n, startTime: 0n }),
    attestationId: async () => new Uint8Array(),
    params: async () => Params.fromPartial({ maxBatchCount: 1000n, maxBatchAgeEpochs: 2n }),
    // one block ahead of the receipts, so every receipt is old enough to batch
    tip: async () => ({ height: f.height, time: BigInt(Math.floor(Date.now() / 1000) + 5) }),
    findBatch: async (_payer, _epoch, root) => [...f.batches.values()].find((b) => Buffer.from(b.root).equals(Buffer.from(root)))?.id,
    batch: async (id) => ({ batch: f.batches.get(id)!, requests: [] }),
  };
  return f;
}

let dir: string;
let upstream: OpenAiUpstream;
let fake: Fake;
let gateway: OperatorGateway;

async function startGateway(): Promise<OperatorGateway> {
  const g = new OperatorGateway({
    chainId: CHAIN,
    operator: OPERATOR,
    receiptSigner: receiptKey,
    upstream: new UpstreamClient({ baseUrl: upstream.url }),
    modelMap: new Map([[MODEL, 'tiny-llama']]),
    creditLimit: LIMIT,
    host: '127.0.0.1',
    port: 0,
    dataDir: join(dir, 'gateway'),
    chain: fake.chain,
    submit: async (msgs): Promise<TxOutcome> => {
      fake.submitted.push(msgs);
      const m = msgs[0]!;
      if (m.typeUrl.endsWith('MsgSubmitBatch')) {
        const v = m.value as MsgSubmitBatch;
        const id = BigInt(fake.batches.size + 1);
        fake.batches.set(id, { id, root: v.root, status: BatchStatus.BATCH_STATUS_PENDING, sampleDrawn: true, sample: [{ index: 0n, revealed: false }] } as unknown as ChainBatch);
        return { code: 0, log: '', events: [{ type: 'batch_submitted', attributes: [{ key: 'batch_id', value: id.toString() }] }] };
      }
      return { code: 0, log: '', events: [] };
    },
    publish: async () => {},
    logger: silentLogger,
    batchSize: 3,
    batchAgeMs: 60_000,
    // settlement is driven by the tests (tick) here
    settleIntervalMs: 0,
    maxBodyBytes: 2048,
  });
  await g.start();
  return g;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-opgw-'));
  upstream = await startOpenAiUpstream({ models: ['tiny-llama'] });
  fake = fakeChain();
  gateway = await startGateway();
});

afterEach(async () => {
  await gateway.stop();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

const enc = new TextEncoder();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const now = (): bigint => BigInt(Math.floor(Date.now() / 1000));

async function call(path: string, body: unknown, opts: { signer?: typeof payerKey; id?: Uint8Array; operator?: string; raw?: Uint8Array } = {}): Promise<Response> {
  const bytes = opts.raw ?? enc.encode(JSON.stringify(body));
  const id = opts.id ?? new Uint8Array(randomBytes(32));
  const headers = signRequest(CHAIN, opts.operator ?? OPERATOR, PAYER, id, now(), bytes, opts.signer ?? payerKey);
  return fetch(`${gateway.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: bytes });
}

const chat = (words: string, maxTokens: number, extra: Record<string, unknown> = {}) => ({ model: MODEL, messages: [{ role: 'user', content: words }], max_tokens: maxTokens, ...extra });

async function cosign(receipts: readonly Receipt[]): Promise<Response> {
  const signatures = receipts.map((r) => ({ id: Buffer.from(r.id).toString('hex'), payerSignature: Buffer.from(payerKey.sign(receiptSignBytes(r))).toString('hex') }));
  return fetch(`${gateway.url}${COSIGN_PATH}`, { method: 'POST', body: JSON.stringify({ payer: PAYER, signatures }) });
}

async function status(): Promise<GatewayStatus> {
  return (await (await fetch(`${gateway.url}${STATUS_PATH}`)).json()) as GatewayStatus;
}

describe('the operator gateway serves', () => {
  it('a plain completion with a signed receipt metered from the upstream usage, stored before it is returned', async () => {
    const body = chat('one two three four', 5);
    const res = await call('/v1/chat/completions', body);
    expect(res.status).toBe(200);
    const text = await res.text();
    const r = decodeReceipt(res.headers.get(RECEIPT_HEADER)!);
    expect([r.chainId, r.operator, r.payer, r.modelId, r.adapterId, r.epoch]).toEqual([CHAIN, OPERATOR, PAYER, MODEL, '', 0n]);
    expect([r.unitsIn, r.unitsOut, r.unitPrice, r.amount]).toEqual([4n, 5n, '3', String(9n * PRICE)]);
    expect(hex(r.requestHash)).toBe(hex(sha256(enc.encode(JSON.stringify(body)))));
    expect(hex(r.responseHash)).toBe(hex(sha256(enc.encode(text))));
    expect(hex(r.payerKey)).toBe(hex(payerKey.publicKey));
    expect(r.payerSignature.length).toBe(0);
    expect(verifyEd25519(receiptKey.publicKey, receiptSignBytes(r), r.operatorSignature)).toBe(true);
    // the upstream saw its own model name
    expect(upstream.received.at(-1)?.body['model']).toBe('tiny-llama');
    expect((await status()).credit).toEqual([{ payer: PAYER, owed: '27', limit: String(LIMIT) }]);
    // and the receipt survives a restart
    await gateway.stop();
    gateway = await startGateway();
    expect((await status()).credit[0]?.owed).toBe('27');
  });

  it('a stream, forcing include_usage, with the receipt event after the usage chunk and before [DONE]', async () => {
    const res = await call('/v1/completions', { model: MODEL, prompt: 'a b', max_tokens: 3, stream: true });
    expect(res.status).toBe(200);
    expect(upstream.received.at(-1)?.body['stream_options']).toEqual({ include_usage: true });
    const events = [];
    for await (const e of sseEvents(res.body as unknown as AsyncIterable<Uint8Array>)) events.push(e);
    const at = events.findIndex((e) => e.event === 'cairn-receipt');
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(at).toBe(events.length - 2);
    expect(JSON.parse(events[at - 1]!.data).usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
    const r = decodeReceipt(events[at]!.data);
    expect([r.unitsIn, r.unitsOut, r.amount]).toEqual([2n, 3n, '15']);
    expect(hex(r.responseHash)).toBe(hex(sha256(Buffer.concat(events.slice(0, at).map((e) => e.raw)))));
  });

  it('/v1/models lists the on-chain offers', async () => {
    const res = await fetch(`${gateway.url}/v1/models`);
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
    const models = (await res.json()) as { data: { id: string; price_per_unit: string }[] };
    expect(models.data).toEqual([expect.objectContaining({ id: MODEL, price_per_unit: '3ucairn' })]);
  });
});

describe('the operator gateway refuses, OpenAI-shaped, and signs nothing', () => {
  it('each bad request with its status', async () => {
    const expectError = async (res: Promise<Response>, status: number, code: string): Promise<void> => {
      const r = await res;
      expect(r.status).toBe(status);
      const body = (await r.json()) as { error: { message: string; code: string; type: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).not.toBe('');
      expect(r.headers.get(RECEIPT_HEADER)).toBeNull();
    };
    await expectError(call('/v1/chat/completions', chat('x', 1), { operator: 'cairn1qgpqyqszqgpqyqszqgpqyqszqgpqyqszjr5vh6' }), 401, 'bad_signature');
    await expectError(fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat('x', 1)) }), 401, 'bad_signature');
    await expectError(call('/v1/chat/completions', chat('x', 1), { signer: strangerKey }), 403, 'unknown_payer_key');
    fake.keys.set(Buffer.from(strangerKey.publicKey).toString('hex'), 'revoked');
    await expectError(call('/v1/chat/completions', chat('x', 1), { signer: strangerKey }), 403, 'revoked_payer_key');
    await expectError(call('/v1/chat/completions', { ...chat('x', 1), model: 'other/model' }), 404, 'model_not_found');
    await expectError(call('/v1/chat/completions', undefined, { raw: enc.encode('{not json') }), 400, 'invalid_json');
    await expectError(call('/v1/chat/completions', { messages: [] }), 400, 'missing_model');
    await expectError(call('/v1/chat/completions', chat('x '.repeat(2000), 1)), 413, 'body_too_large');
    const id = new Uint8Array(randomBytes(32));
    expect((await call('/v1/chat/completions', chat('x', 1), { id })).status).toBe(200);
    await expectError(call('/v1/chat/completions', chat('y', 1), { id }), 409, 'receipt_id_reused');
    upstream.fail = true;
    await expectError(call('/v1/chat/completions', chat('x', 1)), 502, 'upstream_error');
    upstream.fail = false;
    upstream.usage = 'never';
    await expectError(call('/v1/chat/completions', chat('x', 1)), 502, 'upstream_no_usage');
    upstream.usage = 'when-asked';
    // only the one served request left a receipt
    expect((await status()).credit[0]?.owed).toBe(String(2n * PRICE));
  });

  it('a payer that never co-signs is refused at its credit limit, and co-signing frees it', async () => {
    const receipts: Receipt[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 20 && refused === undefined; i++) {
      const res = await call('/v1/chat/completions', chat('a b c d e', 5)); // 10 units: 30ucairn each
      if (res.status === 200) receipts.push(decodeReceipt(res.headers.get(RECEIPT_HEADER)!));
      else refused = res;
    }
    expect(refused?.status).toBe(402);
    const exposure = receipts.reduce((n, r) => n + BigInt(r.amount), 0n);
    expect(exposure).toBeGreaterThanOrEqual(LIMIT);
    expect(exposure).toBeLessThan(LIMIT + 30n); // at most one request beyond the limit
    expect(BigInt((await status()).credit[0]!.owed)).toBe(exposure);
    // a forged co-signature is refused and changes nothing
    const forged = await fetch(`${gateway.url}${COSIGN_PATH}`, { method: 'POST', body: JSON.stringify({ payer: PAYER, signatures: [{ id: Buffer.from(receipts[0]!.id).toString('hex'), payerSignature: '00'.repeat(64) }] }) });
    expect(forged.status).toBe(400);
    expect(BigInt((await status()).credit[0]!.owed)).toBe(exposure);
    expect((await cosign(receipts)).status).toBe(200);
    expect((await status()).credit).toEqual([]);
    expect((await call('/v1/chat/completions', chat('a', 1))).status).toBe(200);
  });
});

describe('the operator gateway settles', () => {
  it('cuts co-signed receipts into a batch, takes the payer’s signature, submits once, reveals and records the payout, across a restart', async () => {
    const receipts: Receipt[] = [];
    for (let i = 0; i < 3; i++) receipts.push(decodeReceipt((await call('/v1/chat/completions', chat('a b', 2))).headers.get(RECEIPT_HEADER)!));
    expect((await cosign(receipts)).status).toBe(200);
    await gateway.settlement.tick();
    const pending = ((await (await fetch(`${gateway.url}${PENDING_BATCHES_PATH}?payer=${PAYER}`)).json()) as { batches: PendingBatch[] }).batches;
    expect(pending).toHaveLength(1);
    const cosigned = receipts.map((r) => signReceipt(r, 'payer', payerKey));
    const batch = buildBatch(cosigned);
    expect(pending[0]!.root).toBe(Buffer.from(batch.header.root).toString('hex'));
    expect(pending[0]!.receiptIds).toEqual(batch.receipts.map((r) => Buffer.from(r.id).toString('hex')));
    const signed = signBatchAsPayer(batch, 'escrow', payerKey, signedLedger(cosigned));
    // a signature over other terms is refused
    const bad = await fetch(`${gateway.url}${batchSignaturePath(pending[0]!.root)}`, { method: 'POST', body: JSON.stringify({ payerKey: Buffer.from(payerKey.publicKey).toString('hex'), payerSignature: '11'.repeat(64) }) });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${gateway.url}${batchSignaturePath(pending[0]!.root)}`, { method: 'POST', body: JSON.stringify({ payerKey: Buffer.from(signed.payerKey).toString('hex'), payerSignature: Buffer.from(signed.payerSignature).toString('hex') }) });
    expect(ok.status).toBe(200);

    // killed and restarted before submitting: it resumes from the store
    await gateway.stop();
    gateway = await startGateway();
    await gateway.settlement.tick(); // submits, then (sample drawn) reveals leaf 0
    expect(fake.submitted.map((m) => m[0]!.typeUrl.split('.').at(-1))).toEqual(['MsgSubmitBatch']);
    expect(MsgSubmitBatch.toJSON(fake.submitted[0]![0]!.value as MsgSubmitBatch)).toEqual(MsgSubmitBatch.toJSON(signed));
    await gateway.settlement.tick();
    expect(fake.submitted.map((m) => m[0]!.typeUrl.split('.').at(-1))).toEqual(['MsgSubmitBatch', 'MsgRevealReceipt']);
    const onChain = fake.batches.get(1n)!;
    Object.assign(onChain, { sample: [{ index: 0n, revealed: true }] });
    await gateway.settlement.tick();
    expect(fake.submitted).toHaveLength(2);
    Object.assign(onChain, { status: BatchStatus.BATCH_STATUS_FINALIZED, split: { operatorAmount: '30' } });
    await gateway.settlement.tick();
    const s = await status();
    expect(s.batches['finalized']).toBe(1);
    expect(s.earnings).toBe('30');
    expect(s.pending).toEqual([]);
    // a new receipt after all that goes into a new batch, never the old one
    await gateway.settlement.tick();
    expect(fake.submitted).toHaveLength(2);
  });
});
