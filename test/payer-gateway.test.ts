// The payer gateway (`cairn payer serve`) between the `openai` client and operator gateways on the
// wire contract (test/support/fake-operator.ts), against the in-process chain's catalog: receipts
// checked, co-signed, kept and their co-signatures delivered; dishonest operators refused and
// failed over; batches signed only when rebuilt from its own receipts, never a receipt twice.
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryReceipts } from '../sdk/receipts/queries.ts';
import { toHex } from '../sdk/bytes.ts';
import { batchTerms } from '../sdk/receipts/batch.ts';
import { verifyBatchSignature } from '../sdk/receipts/batch-signature.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { silentLogger } from '../node/log.ts';
import { queryPayerChain } from '../node/gateway/payer/chain.ts';
import { PayerGateway, type PayerGatewayOptions } from '../node/gateway/payer/gateway.ts';
import { type FakeOperator, type Cheat, startFakeOperator } from './support/fake-operator.ts';
import { type OpenAiUpstream, startOpenAiUpstream } from '../node/gateway/demo-upstream.ts';
import { BASE_MODEL, CHAIN_ID, DENOM, ReceiptsChain } from './support/receipts-chain.ts';
import { msgs as registryMsgs } from './support/registry.ts';
import { testDir } from './support/test-dirs.ts';

const PRICE_1 = 2n;
const PRICE_2 = 3n;

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('payer gateway', () => {
  let rc: ReceiptsChain;
  let upstream: OpenAiUpstream;
  let op1: FakeOperator;
  let op2: FakeOperator;
  let dir: string;
  let epoch: bigint;
  const gateways: PayerGateway[] = [];

  const options = (name: string, o: Partial<PayerGatewayOptions> = {}): PayerGatewayOptions => ({
    host: '127.0.0.1',
    port: 0,
    chainId: CHAIN_ID,
    payer: rc.address('payer'),
    payerKey: rc.payerKey,
    dataDir: join(dir, name),
    chain: queryPayerChain(async (path, data) => {
      const r = await rc.chain.query(path, data);
      if (r.code !== 0) throw new Error(r.log);
      return r.value;
    }),
    selection: { denom: DENOM },
    endpoints: new Map([
      [rc.address('operator'), op1.url],
      [rc.address('operator2'), `${op2.url}/v1`],
    ]),
    setAside: { firstMs: 0, maxMs: 0, dishonestMs: 0 },
    cosignIntervalMs: 20,
    batchPollIntervalMs: 50,
    logger: silentLogger,
    ...o,
  });
  const start = async (name: string, o: Partial<PayerGatewayOptions> = {}): Promise<{ gw: PayerGateway; client: OpenAI }> => {
    const gw = new PayerGateway(options(name, o));
    await gw.start();
    gateways.push(gw);
    return { gw, client: new OpenAI({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 }) };
  };
  const stop = async (gw: PayerGateway): Promise<void> => {
    gateways.splice(gateways.indexOf(gw), 1);
    await gw.stop();
  };

  beforeAll(async () => {
    rc = await ReceiptsChain.start();
    await rc.ok('operator', registryMsgs.serveModel(rc.address('operator'), BASE_MODEL, PRICE_1));
    await rc.ok('operator2', registryMsgs.serveModel(rc.address('operator2'), BASE_MODEL, PRICE_2));
    epoch = (await queryReceipts(async (p, d) => (await rc.chain.query(p, d)).value).epoch()).current!.epoch;
    upstream = await startOpenAiUpstream();
    op1 = await startFakeOperator({ chainId: CHAIN_ID, operator: rc.address('operator'), receiptKey: rc.operatorKey, upstream: upstream.url, price: PRICE_1, epoch: () => epoch });
    op2 = await startFakeOperator({ chainId: CHAIN_ID, operator: rc.address('operator2'), receiptKey: rc.operator2Key, upstream: upstream.url, price: PRICE_2, epoch: () => epoch });
    dir = await testDir('cairn-payer-');
  }, 120_000);

  afterEach(() => {
    op1.cheat = 'none';
    op2.cheat = 'none';
  });

  afterAll(async () => {
    for (const gw of gateways.splice(0)) await gw.stop();
    await op1?.close();
    await op2?.close();
    await upstream?.close();
  });

  it('serves the openai client plain and streaming through the cheapest operator, and keeps a co-signed receipt for each', async () => {
    const { gw, client } = await start('honest');
    expect((await client.models.list()).data.map((m) => m.id)).toEqual([BASE_MODEL]);
    // Idle connections are kept long: a client reusing one is not reset under its request.
    expect((await fetch(`${gw.url}/models`)).headers.get('keep-alive')).toBe('timeout=65');

    const chat = await client.chat.completions.create({ model: BASE_MODEL, messages: [{ role: 'user', content: 'one two three' }], max_tokens: 4 });
    expect(chat.choices[0]?.message.content).toBe('w0 w1 w2 w3');
    expect(chat.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4 });
    const completion = await client.completions.create({ model: BASE_MODEL, prompt: 'a b', max_tokens: 2 });
    expect(completion.choices[0]?.text).toBe('w0 w1');

    // A stream without include_usage: the gateway asked for the usage (it checks units against
    // it) but the application sees the stream it asked for, ending normally, no receipt event.
    const pieces: string[] = [];
    let sawUsage = false;
    for await (const c of await client.chat.completions.create({ model: BASE_MODEL, messages: [{ role: 'user', content: 'x y' }], max_tokens: 3, stream: true })) {
      pieces.push(c.choices[0]?.delta.content ?? '');
      if (c.usage) sawUsage = true;
    }
    expect(pieces.join('')).toBe('w0 w1 w2');
    expect(sawUsage).toBe(false);
    const usage: unknown[] = [];
    for await (const c of await client.completions.create({ model: BASE_MODEL, prompt: 'p q r s', max_tokens: 2, stream: true, stream_options: { include_usage: true } })) if (c.usage) usage.push(c.usage);
    expect(usage).toEqual([{ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 }]);

    // Four receipts of operator 1 (the cheaper), all co-signed, kept and delivered.
    expect(gw.store.receiptCount()).toBe(4);
    await until('co-signatures delivered', () => [...op1.receipts.values()].every((r) => r.payerSignature.length === 64) || undefined);
    // (3 + 4) × 2, (2 + 2) × 2, (2 + 3) × 2, (4 + 2) × 2
    expect([...op1.receipts.values()].map((r) => r.amount)).toEqual(['14', '8', '10', '12']);
    expect(op2.receipts.size).toBe(0);
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toContain('cairn_payer_receipts_total{result="cosigned"} 4');
    expect(metrics).toContain('cairn_payer_spend_total 44');
    await stop(gw);
  });

  const cheats: Cheat[] = ['inflate-units', 'wrong-price', 'other-request', 'other-response', 'no-receipt', 'fail'];
  it.each(cheats)('refuses an operator that cheats (%s), co-signs nothing of it, and fails over to an honest one', async (cheat) => {
    const { gw, client } = await start(`cheat-${cheat}`);
    op1.cheat = cheat;
    const before = new Set(op1.receipts.keys());
    const chat = await client.chat.completions.create({ model: BASE_MODEL, messages: [{ role: 'user', content: 'one two' }], max_tokens: 3 });
    expect(chat.choices[0]?.message.content).toBe('w0 w1 w2');
    // Served by operator 2; operator 1's receipt (if any) was never co-signed.
    const stored = await gw.store.receipt(toHex([...op2.receipts.values()].at(-1)!.id));
    expect(stored?.operator).toBe(rc.address('operator2'));
    expect(gw.store.receiptCount()).toBe(1);
    await gw.settlement.flushCosignatures();
    for (const [id, r] of op1.receipts) if (!before.has(id)) expect(r.payerSignature.length).toBe(0);
    const m = await gw.misbehaviours();
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ operator: rc.address('operator'), kind: cheat === 'fail' ? 'error' : 'receipt' });
    expect(await gw.metrics.registry.metrics()).toMatch(/cairn_payer_failovers_total\{reason="(error|receipt)"\} 1/);
    await stop(gw);
  });

  it('cuts a stream whose receipt is bad with an error the openai client raises, and fails a stream over before its first byte', async () => {
    const { gw, client } = await start('stream-cheat');
    op1.cheat = 'inflate-units';
    const got: string[] = [];
    await expect(async () => {
      for await (const c of await client.chat.completions.create({ model: BASE_MODEL, messages: [{ role: 'user', content: 'a' }], max_tokens: 2, stream: true })) got.push(c.choices[0]?.delta.content ?? '');
    }).rejects.toThrow(/units_out 7 is not|units_out is 7, not 2/);
    expect(got.join('')).toBe('w0 w1');
    expect(gw.store.receiptCount()).toBe(0);
    op1.cheat = 'fail';
    const pieces: string[] = [];
    for await (const c of await client.completions.create({ model: BASE_MODEL, prompt: 'a', max_tokens: 2, stream: true })) pieces.push(c.choices[0]?.text ?? '');
    expect(pieces.join('')).toBe('w0 w1');
    expect((await gw.misbehaviours()).map((m) => m.kind)).toEqual(['receipt', 'error']);
    await stop(gw);
  });

  it('stops picking an operator that misbehaved for a while', async () => {
    const { gw, client } = await start('ban', { setAside: { firstMs: 60_000, maxMs: 60_000, dishonestMs: 60_000 } });
    op1.cheat = 'fail';
    await client.completions.create({ model: BASE_MODEL, prompt: 'a', max_tokens: 1 });
    const asked = op1.requests;
    op1.cheat = 'none';
    await client.completions.create({ model: BASE_MODEL, prompt: 'a', max_tokens: 1 });
    expect(op1.requests).toBe(asked);
    await stop(gw);
  });

  it('stops at once while an operator sits on its co-signatures and pending batches: the rounds end before the store closes, and the co-signature is sent after a restart', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => void warnings.push(m), error: (m: string) => void warnings.push(m) };
    const quiet = { cosignIntervalMs: 3_600_000, batchPollIntervalMs: 3_600_000, logger };
    const { gw, client } = await start('silent', quiet);
    await client.completions.create({ model: BASE_MODEL, prompt: 'a', max_tokens: 1 });
    const [id] = [...(await gw.store.undelivered()).values()].flat().map((r) => toHex(r.id));
    op1.cheat = 'silent-settlement';
    const heldBefore = op1.held;
    const rounds = Promise.all([gw.settlement.flushCosignatures(), gw.settlement.pollBatches()]);
    await until('both calls held by the operator', () => op1.held >= heldBefore + 2);
    const stopping = Date.now();
    await stop(gw);
    // Well inside the 30 s an operator call may take: the calls were aborted, not waited out.
    expect(Date.now() - stopping).toBeLessThan(10_000);
    await rounds;
    expect(warnings).toEqual([]);
    op1.cheat = 'none';
    const again = await start('silent', { cosignIntervalMs: 20 });
    await until('the co-signature delivered after the restart', async () => (await again.gw.store.undelivered()).size === 0 || undefined);
    expect(op1.receipts.get(id!)?.payerSignature.length).toBe(64);
    await stop(again.gw);
  });

  it('signs a batch rebuilt from its own receipts, refuses one with a receipt it never co-signed or already signed into another, across restarts', async () => {
    const first = await start('batches');
    let gw = first.gw;
    const client = first.client;
    for (let i = 0; i < 4; i++) await client.completions.create({ model: BASE_MODEL, prompt: `p ${i}`, max_tokens: 2 });
    await until('co-signatures delivered', async () => (await gw.store.undelivered()).size === 0 || undefined);
    const mine = [...op1.receipts.values()].filter((r) => r.payerSignature.length === 64 && r.payer === rc.address('payer'));
    const ids = new Set(await Promise.all(mine.map(async (r) => ((await gw.store.receipt(toHex(r.id))) === undefined ? '' : toHex(r.id)))));
    const own = mine.filter((r) => ids.has(toHex(r.id)));
    expect(own).toHaveLength(4);

    const good = op1.offerBatch(own.slice(0, 3));
    const root = toHex(good.header.root);
    const sig = await until('batch signature', () => op1.batchSignatures.get(root));
    expect(verifyBatchSignature({ ...batchTerms(good, 'escrow'), payerKey: Buffer.from(sig.payerKey, 'hex'), payerSignature: Buffer.from(sig.payerSignature, 'hex') })).toBe(true);

    // A receipt for a request never made: signed by the operator alone.
    const forged = signReceipt({ ...own[3]!, id: new Uint8Array(32).fill(9), unitsOut: 100n, amount: ((own[3]!.unitsIn + 100n) * PRICE_1).toString(), payerSignature: new Uint8Array() }, 'operator', rc.operatorKey);
    const foreign = op1.offerBatch([own[3]!, forged]);
    // A receipt already in the signed batch, offered again beside a fresh one.
    const reused = op1.offerBatch([own[0]!, own[3]!]);
    await until('both refused', async () => ((await gw.misbehaviours()).filter((m) => m.kind === 'batch').length >= 2 ? true : undefined));
    expect(op1.batchSignatures.has(toHex(foreign.header.root))).toBe(false);
    expect(op1.batchSignatures.has(toHex(reused.header.root))).toBe(false);
    const details = (await gw.misbehaviours()).map((m) => m.detail).join('\n');
    expect(details).toContain('was never co-signed by this gateway');
    expect(details).toContain(`was already signed into batch ${root}`);
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toContain('cairn_payer_batches_total{result="refused"} 2');
    // Three of the four receipts are in the batch it signed.
    expect(metrics).toContain('cairn_payer_receipts_kept{batch="signed"} 3');
    expect(metrics).toContain('cairn_payer_receipts_kept{batch="unsigned"} 1');

    // After a restart the marks are still there: the reused id is refused again, and the first
    // batch, offered again, gets the same signature (the same batch, not a second one).
    await stop(gw);
    op1.batchSignatures.clear();
    op1.offerBatch(own.slice(0, 3));
    gw = (await start('batches')).gw;
    const again = await until('batch signature again', () => op1.batchSignatures.get(root));
    expect(again).toEqual(sig);
    await until('reused refused again', async () => ((await gw.misbehaviours()).filter((m) => m.kind === 'batch').length >= 4 ? true : undefined));
    expect(op1.batchSignatures.has(toHex(reused.header.root))).toBe(false);
    await stop(gw);
  });

  it('tops up the escrow below its threshold, one deposit at a time', async () => {
    const deposits: bigint[] = [];
    // Each deposit is held until the test releases it; after its checks they resolve at once, so that
    // stop() never waits on a deposit nobody will release.
    const held: (() => void)[] = [];
    let holding = true;
    const { gw } = await start('escrow', {
      escrowCheckIntervalMs: 10,
      escrow: {
        threshold: 10n ** 30n,
        amount: 5000n,
        deposit: (amount) => {
          deposits.push(amount);
          return holding ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve();
        },
      },
    });
    await until('a deposit', () => deposits.length > 0 || undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(deposits).toEqual([5000n]);
    held.shift()!();
    await until('a second deposit once the first is done', () => deposits.length > 1 || undefined);
    holding = false;
    for (const release of held.splice(0)) release();
    expect(await gw.metrics.registry.metrics()).toMatch(/cairn_payer_escrow_topups_total\{result="ok"\} [1-9]/);
    await stop(gw);
  });
});
