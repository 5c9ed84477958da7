// `cairn operator serve` as a real process on a real localnet (`--operators 2`: receipt key files, a
// payer with escrow and an authorised payer key), in front of the test OpenAI-compatible upstream,
// run from its home's app.toml [operator-gateway] (as `cairn init` writes it, with the keys set) and
// one flag, --listen, that overrides its key.
// The test plays the payer's gateway: it signs requests with the payer key, checks and co-signs the
// receipts, and signs the batches the operator gateway offers (signBatchAsPayer, from the receipts
// it co-signed itself). Everything else — cutting, publishing, submitting, revealing the sample,
// following the batch to finalization — the operator gateway does alone. Then the gateway is
// SIGKILLed mid-settlement and restarted: it resumes, never submits a root twice, and every
// receipt ends in exactly one finalized batch. Then the second playground operator runs a dishonest
// operator gateway (test/support/dishonest-operator.ts) beside it, and a real payer gateway
// (node/gateway/payer) in this process sends requests to both: it refuses the dishonest one's
// overpriced receipt, sets it aside and fails over; that gateway's batch of receipts the payer never
// co-signed (the refused one and one for a request never made) reaches the chain anyway, with the
// signature of a payer key that signs what it is shown, and the node's watcher proves it: the batch
// pays nothing, the operator is slashed and tombstoned, and the honest operator's batches are paid.
// Last, the third operator's gateway is honest until its first batch (signed by a payer gateway) is
// paid, then claims one of its receipts again in a second batch: the payer gateway refuses to sign
// it; signed carelessly, it reaches the chain, and the watcher proves the double claim.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryClient } from '@cosmjs/stargate';
import { type CometClient, connectComet } from '@cosmjs/tendermint-rpc';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { Localnet, libp2pAddress } from '../localnet/index.ts';
import type { GatewayStatus } from '../node/gateway/operator/gateway.ts';
import { freePort } from '../node/cometbft/ports.ts';
import { DEFAULT_APP_CONFIG, editAppConfig, writeAppConfig } from '../node/config.ts';
import { BatchStatus, FaultKind, type Receipt, SettlementMode } from '../proto/gen/cairn/receipts/v1/types.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { silentLogger } from '../node/log.ts';
import { queryPayerChain } from '../node/gateway/payer/chain.ts';
import { PayerGateway } from '../node/gateway/payer/gateway.ts';
import { registryMsgs } from '../sdk/registry/messages.ts';
import { queryRegistry } from '../sdk/registry/queries.ts';
import { ed25519FromSeed } from '../sdk/ed25519.ts';
import { COSIGN_PATH, PENDING_BATCHES_PATH, RECEIPT_HEADER, batchSignaturePath, decodeReceipt, signRequest, type PendingBatch } from '../sdk/gateway/protocol.ts';
import { buildBatch } from '../sdk/receipts/batch.ts';
import { signBatch, signBatchAsPayer, signedLedger } from '../sdk/receipts/batch-signature.ts';
import { queryReceipts } from '../sdk/receipts/queries.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { queryClientAbci } from '../sdk/queries.ts';
import { startDishonestGateway } from './support/dishonest-operator.ts';
import { eventually } from './support/localnet.ts';
import { PlaygroundSender } from './support/paid-batch.ts';
import { type OpenAiUpstream, startOpenAiUpstream } from '../node/gateway/demo-upstream.ts';
import { testDir } from './support/test-dirs.ts';

const CLI = fileURLToPath(new URL('../cli/cairn.ts', import.meta.url));
const PRICE = 2n; // the playground's price per unit

let net: Localnet;
let upstream: OpenAiUpstream;
let comet: CometClient;
let gatewayUrl: string;
let gateway: ChildProcess | undefined;
let gatewayLog = '';
let dataDir: string;
let home: string;
let payerSigner: ReturnType<typeof ed25519FromSeed>;
let sender: PlaygroundSender;
/** Gateways a test started, stopped in reverse order after the last test. */
const started: { stop(): Promise<void> }[] = [];
/** Every receipt this "payer gateway" co-signed, by id. */
const cosigned = new Map<string, Receipt>();

async function startGateway(): Promise<void> {
  const p = net.manifest.playground!;
  const port = Number(new URL(gatewayUrl).port);
  const child = spawn(process.execPath, [CLI, 'operator', 'serve', '--home', home, '--keyring-backend', 'test', '--keyring-dir', p.keyringDir, '--node', net.rpcUrl('node0'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (gatewayLog += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (gatewayLog += d.toString()));
  gateway = child;
  await eventually('the operator gateway to listen', 60_000, async () => ((await fetch(`${gatewayUrl}/v1/models`).catch(() => undefined))?.ok === true ? true : undefined), 300);
}

function killGateway(): Promise<void> {
  const child = gateway!;
  gateway = undefined;
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function status(): Promise<GatewayStatus> {
  return (await (await fetch(`${gatewayUrl}/cairn/v1/status`)).json()) as GatewayStatus;
}

/** One request as the payer's gateway makes it; returns the receipt after checking and co-signing it. */
async function request(i: number): Promise<Receipt> {
  const p = net.manifest.playground!;
  const op = p.operators[0]!;
  const stream = i % 2 === 1;
  const model = i % 3 === 2 ? `${p.model}@${p.adapter}` : p.model;
  const words = Array.from({ length: 3 + (i % 5) }, (_, k) => `w${k}`).join(' ');
  const body = new TextEncoder().encode(JSON.stringify({ model, messages: [{ role: 'user', content: words }], max_tokens: 4 + (i % 3), stream }));
  const id = new Uint8Array(randomBytes(32));
  const headers = signRequest(net.chainId, op.address, p.payer.address, id, BigInt(Math.floor(Date.now() / 1000)), body, payerSigner);
  const res = await fetch(`${gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
  expect(res.status).toBe(200);
  let receipt: Receipt;
  if (stream) {
    const text = await res.text();
    const m = /event: cairn-receipt\ndata: (\S+)\n\ndata: \[DONE\]\n\n$/.exec(text);
    expect(m).not.toBeNull();
    receipt = decodeReceipt(m![1]!);
  } else {
    await res.arrayBuffer();
    receipt = decodeReceipt(res.headers.get(RECEIPT_HEADER)!);
  }
  expect(receipt.amount).toBe(String((receipt.unitsIn + receipt.unitsOut) * PRICE));
  expect(receipt.unitsIn).toBe(BigInt(3 + (i % 5)));
  expect(receipt.unitsOut).toBe(BigInt(4 + (i % 3)));
  const signed = signReceipt(receipt, 'payer', payerSigner);
  const idHex = Buffer.from(id).toString('hex');
  cosigned.set(idHex, signed);
  const r = await fetch(`${gatewayUrl}${COSIGN_PATH}`, { method: 'POST', body: JSON.stringify({ payer: p.payer.address, signatures: [{ id: idHex, payerSignature: Buffer.from(signed.payerSignature).toString('hex') }] }) });
  expect(r.status).toBe(200);
  return signed;
}

/** Signs every batch the gateway offers, as a payer gateway would: rebuilt from its own receipts. */
async function signOfferedBatches(): Promise<number> {
  const p = net.manifest.playground!;
  const { batches } = (await (await fetch(`${gatewayUrl}${PENDING_BATCHES_PATH}?payer=${p.payer.address}`)).json()) as { batches: PendingBatch[] };
  for (const b of batches) {
    const mine = b.receiptIds.map((id) => cosigned.get(id)!);
    const batch = buildBatch(mine);
    expect(Buffer.from(batch.header.root).toString('hex')).toBe(b.root);
    const msg = signBatchAsPayer(batch, 'escrow', payerSigner, signedLedger(mine));
    const r = await fetch(`${gatewayUrl}${batchSignaturePath(b.root)}`, { method: 'POST', body: JSON.stringify({ payerKey: Buffer.from(msg.payerKey).toString('hex'), payerSignature: Buffer.from(msg.payerSignature).toString('hex') }) });
    expect(r.status).toBe(200);
  }
  return batches.length;
}

/** The batches an operator gateway at `url` offers the playground payer for its signature. */
/** A payer gateway of the playground payer reaching operators at `endpoints`, and a chat request through it with the openai client. */
async function startPayerGateway(data: string, endpoints: [string, string][]) {
  const p = net.manifest.playground!;
  const payerGateway = new PayerGateway({
    host: '127.0.0.1',
    port: 0,
    chainId: net.chainId,
    payer: p.payer.address,
    payerKey: payerSigner,
    dataDir: join(dataDir, '..', data),
    chain: queryPayerChain(queryClientAbci(new QueryClient(comet))),
    selection: { denom: 'ucairn' },
    endpoints: new Map(endpoints),
    batchPollIntervalMs: 500,
    logger: silentLogger,
  });
  await payerGateway.start();
  started.push(payerGateway);
  const client = new OpenAI({ baseURL: payerGateway.url, apiKey: 'unused', maxRetries: 0 });
  const ask = (i: number) => client.chat.completions.create({ model: p.model, messages: [{ role: 'user', content: `one two three ${i}` }], max_tokens: 3 });
  return { payerGateway, ask };
}

async function offeredBatches(url: string): Promise<PendingBatch[]> {
  return ((await (await fetch(`${url}${PENDING_BATCHES_PATH}?payer=${net.manifest.playground!.payer.address}`)).json()) as { batches: PendingBatch[] }).batches;
}

/** The payer key signs the totals it is shown, without rebuilding them from its own receipts (no payer gateway does). */
async function signCarelessly(url: string, offered: PendingBatch): Promise<void> {
  const careless = signBatch({ chainId: offered.chainId, operator: offered.operator, payer: offered.payer, modelId: offered.modelId, adapterId: offered.adapterId, epoch: BigInt(offered.epoch), mode: SettlementMode.SETTLEMENT_MODE_ESCROW, root: Buffer.from(offered.root, 'hex'), count: BigInt(offered.count), units: BigInt(offered.units), amount: offered.amount, paymentRefsRoot: new Uint8Array() }, payerSigner);
  const posted = await fetch(`${url}${batchSignaturePath(offered.root)}`, { method: 'POST', body: JSON.stringify({ payerKey: Buffer.from(careless.payerKey).toString('hex'), payerSignature: Buffer.from(careless.payerSignature).toString('hex') }) });
  expect(posted.status).toBe(200);
}

async function chainBatches(operatorIndex = 0): Promise<{ id: bigint; root: string; status: BatchStatus; count: bigint; operatorAmount: string }[]> {
  const op = net.manifest.playground!.operators[operatorIndex]!;
  const r = await queryReceipts(queryClientAbci(new QueryClient(comet))).batches({ operator: op.address, pagination: { limit: 500n } });
  return r.batches.map((b) => ({ id: b.id, root: Buffer.from(b.root).toString('hex'), status: b.status, count: b.count, operatorAmount: b.split?.operatorAmount ?? '0' }));
}

beforeAll(async () => {
  const dir = join(await testDir('cairn-opgw-net-'), 'net');
  dataDir = join(dir, 'gateway-data');
  net = await Localnet.create({
    dir,
    validators: 1,
    operators: 3,
    blockTimeMs: 500,
    genesis: {
      receipts: { params: { dispute_window_blocks: '50', reveal_window: '30', escrow_withdraw_delay: '100', sample_count: 2 } },
      // no capacity challenges: this test has no benchmark runner to answer them
      emission: { params: { capacity_challenges_per_epoch: 0 } },
    },
  });
  await net.up({ killOnExit: true, timeoutMs: 120_000 });
  comet = await connectComet(net.rpcUrl('node0'));
  // The third operator offers the model only in the last test (its registered endpoint is a
  // placeholder): the payer gateway of the test before must not pick it.
  sender = new PlaygroundSender(net);
  const third = net.manifest.playground!.operators[2]!;
  await sender.ok(third, [registryMsgs.MsgStopServing({ operator: third.address, modelId: net.manifest.playground!.model })]);
  upstream = await startOpenAiUpstream();
  payerSigner = ed25519FromSeed(new Uint8Array(Buffer.from((await readFile(net.manifest.playground!.payer.payerKeyFile, 'utf8')).trim(), 'hex')));
  gatewayUrl = `http://127.0.0.1:${await freePort()}`;
  home = join(dir, 'operator-home');
  await mkdir(join(home, 'config'), { recursive: true });
  await writeAppConfig(home, DEFAULT_APP_CONFIG);
  const op = net.manifest.playground!.operators[0]!;
  const gw = (key: string, value: string | number | string[]) => ({ section: 'operator-gateway', key, value });
  await editAppConfig(home, [
    gw('upstream', upstream.url),
    gw('key', op.key),
    gw('receipt-key', op.receiptKeyFile),
    gw('peers', [(await libp2pAddress(net.nodes[0]!))!]),
    gw('batch-size', 4),
    gw('batch-age', 2),
    gw('data', dataDir),
    gw('credit-limit', '100000000ucairn'),
    gw('listen', '127.0.0.1:1'), // --listen overrides it
  ]);
  await startGateway();
}, 240_000);

afterAll(async () => {
  for (const g of started.reverse()) await g.stop();
  sender?.disconnect();
  if (gateway !== undefined) await killGateway();
  if (process.env['CAIRN_KEEP_GATEWAY_LOG'] !== undefined) await writeFile(process.env['CAIRN_KEEP_GATEWAY_LOG'], gatewayLog);
  comet?.disconnect();
  await upstream?.close();
  await net?.down({ reset: true });
});

describe('cairn operator serve on a localnet', () => {
  it('serves signed requests, and batches, publishes, submits, reveals and gets paid by itself', async () => {
    onTestFailed(() => console.log(`operator gateway log:\n${gatewayLog.slice(-6000)}`));
    for (let i = 0; i < 8; i++) await request(i);
    // two models (the base and the adapter): at least two batches
    await eventually('batches offered to the payer', 60_000, async () => ((await signOfferedBatches()) > 0 && (await status()).batches['awaiting_signature'] === 0 ? true : undefined), 1000);
    const s = await eventually('every batch finalized', 180_000, async () => {
      await signOfferedBatches();
      const st = await status();
      return st.pending.length === 0 && (st.batches['finalized'] ?? 0) >= 2 ? st : undefined;
    }, 1000);
    const onChain = await chainBatches();
    expect(onChain.every((b) => b.status === BatchStatus.BATCH_STATUS_FINALIZED)).toBe(true);
    expect(onChain.reduce((n, b) => n + b.count, 0n)).toBe(8n);
    expect(s.earnings).toBe(onChain.reduce((n, b) => n + BigInt(b.operatorAmount), 0n).toString());
    expect(BigInt(s.earnings)).toBeGreaterThan(0n);
  }, 300_000);

  it('resumes after SIGKILL mid-settlement without losing a receipt or submitting a root twice', async () => {
    onTestFailed(() => console.log(`operator gateway log:\n${gatewayLog.slice(-6000)}`));
    const before = (await chainBatches()).length;
    for (let i = 0; i < 8; i++) await request(100 + i);
    await eventually('batches offered', 60_000, async () => ((await signOfferedBatches()) > 0 ? true : undefined), 500);
    // killed right after the payer signed: the gateway is about to (or just did) publish and submit
    await killGateway();
    await startGateway();
    await eventually('every batch finalized after the restart', 180_000, async () => {
      await signOfferedBatches();
      const st = await status();
      return st.pending.length === 0 ? st : undefined;
    }, 1000);
    const onChain = await chainBatches();
    const roots = onChain.map((b) => b.root);
    expect(new Set(roots).size).toBe(roots.length);
    expect(onChain.length).toBeGreaterThan(before);
    expect(onChain.every((b) => b.status === BatchStatus.BATCH_STATUS_FINALIZED)).toBe(true);
    // every receipt the payer co-signed is in exactly one finalized batch
    expect(onChain.reduce((n, b) => n + b.count, 0n)).toBe(BigInt(cosigned.size));
    const s = await status();
    expect(s.earnings).toBe(onChain.reduce((n, b) => n + BigInt(b.operatorAmount), 0n).toString());
    expect(s.credit).toEqual([]);
  }, 300_000);
  it('a dishonest operator gateway: its overpriced receipt is refused and failed over, and its batch of receipts the payer never co-signed, which reaches the chain anyway, is proved by the watcher and pays nothing; the honest operator is paid', async () => {
    onTestFailed(() => console.log(`operator gateway log:\n${gatewayLog.slice(-6000)}`));
    const p = net.manifest.playground!;
    const [honest, cheat] = [p.operators[0]!, p.operators[1]!];
    const query = queryClientAbci(new QueryClient(comet));
    const bondBefore = BigInt((await queryRegistry(query).operator({ address: cheat.address })).operator!.bond!.amount);
    const honestBefore = (await chainBatches()).length;
    const dishonest = await startDishonestGateway(net, { operatorIndex: 1, upstreamUrl: upstream.url, peers: [(await libp2pAddress(net.nodes[0]!))!], dataDir: join(dataDir, '..', 'dishonest-data'), cheats: { overchargePerUnit: 1n, cosignsItself: true, hidesReveals: true }, batchSize: 2 });
    started.push(dishonest);
    const { payerGateway, ask } = await startPayerGateway('payer-data', [[honest.address, gatewayUrl], [cheat.address, dishonest.gateway.url]]);
    // Both serve the model at one price and reputation: each request tries either first, at random.
    for (let i = 0; (await payerGateway.misbehaviours()).length === 0; i++) {
      expect(i, 'the dishonest operator was never tried first').toBeLessThan(40);
      expect((await ask(i)).usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3 });
    }
    const [refused] = await payerGateway.misbehaviours();
    expect(refused).toMatchObject({ operator: cheat.address, kind: 'receipt' });
    expect(refused!.detail).toMatch(/unit_price is 3, not 2/);
    const signedByCheat = async () => /cairn_operator_gateway_receipts_signed_total (\d+)/.exec(await dishonest.gateway.metrics.registry.metrics())?.[1];
    expect(await signedByCheat()).toBe('1');
    // Set aside for an hour: every next request goes to the honest operator.
    for (let i = 100; i < 104; i++) await ask(i);
    expect(await signedByCheat()).toBe('1');

    // The dishonest gateway batches the refused receipt with one it forges for a request never made.
    await dishonest.forge(p.model, payerSigner.publicKey, 500n);
    const offered = await eventually('the dishonest batch offered for signature', 30_000, async () => (await offeredBatches(dishonest.gateway.url))[0], 300);
    expect([offered.count, offered.amount]).toEqual(['2', String(7n * 3n + 500n * 2n)]);
    // A payer gateway never signs it (test/payer-gateway.test.ts): it co-signed none of these receipts.
    // A payer key that signs whatever totals it is shown does, and so the batch reaches the chain.
    await signCarelessly(dishonest.gateway.url, offered);

    const rejected = await eventually('the dishonest batch rejected on chain', 60_000, async () => {
      const [b] = (await queryReceipts(query).batches({ operator: cheat.address, pagination: { limit: 10n } })).batches;
      return b !== undefined && b.status !== BatchStatus.BATCH_STATUS_PENDING ? b : undefined;
    }, 500);
    expect(rejected.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(Buffer.from(rejected.root).toString('hex')).toBe(offered.root);
    expect(rejected.fault!.kind).toBe(FaultKind.FAULT_KIND_RECEIPT_FRAUD);
    expect(rejected.fault!.detail).toMatch(/payer_signature must be 64 bytes/);
    expect(rejected.fault!.prover).toBe(net.nodes[0]!.watcher);
    expect(rejected.split).toBeUndefined();
    const punished = (await queryRegistry(query).operator({ address: cheat.address })).operator!;
    expect(punished.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(BigInt(punished.bond!.amount)).toBe(bondBefore / 2n);
    const cheatStatus = await eventually('the dishonest gateway saw its batch faulted', 20_000, async () => {
      const st = await dishonest.gateway.status();
      return st.batches['faulted'] === 1 ? st : undefined;
    }, 500);
    expect(cheatStatus.earnings).toBe('0');

    // The honest operator's batches of the receipts the payer gateway co-signed are signed by it and paid.
    const cosignedByPayer = payerGateway.store.receiptCount();
    const paid = await eventually('the honest operator’s new batches finalized', 120_000, async () => {
      const mine = (await chainBatches()).slice(honestBefore);
      const done = mine.length > 0 && mine.every((b) => b.status === BatchStatus.BATCH_STATUS_FINALIZED) && mine.reduce((n, b) => n + b.count, 0n) === BigInt(cosignedByPayer);
      return done ? mine : undefined;
    }, 1000);
    expect(paid.every((b) => BigInt(b.operatorAmount) > 0n)).toBe(true);
  }, 240_000);
  it('a dishonest operator gateway claims a receipt of its paid batch again in a second batch: the payer gateway refuses to sign it; signed carelessly, it reaches the chain, the watcher proves the double claim, it pays nothing, the operator is slashed and tombstoned, and the first batch stays paid', async () => {
    onTestFailed(() => console.log(`operator gateway log:\n${gatewayLog.slice(-6000)}`));
    const p = net.manifest.playground!;
    const op = p.operators[2]!;
    const query = queryClientAbci(new QueryClient(comet));
    const receipts = queryReceipts(query);
    const escrow = async () => {
      const e = (await receipts.escrow({ payer: p.payer.address })).escrow!;
      return { total: BigInt(e.available) + BigInt(e.locked), locked: BigInt(e.locked) };
    };
    // Back in the catalog, and the cheapest: the payer gateway picks it first for every request.
    await sender.ok(op, [registryMsgs.MsgServeModel({ operator: op.address, modelId: p.model, pricePerUnit: { denom: 'ucairn', amount: '1' } })]);
    const bondBefore = BigInt((await queryRegistry(query).operator({ address: op.address })).operator!.bond!.amount);
    const cheat = await startDishonestGateway(net, { operatorIndex: 2, upstreamUrl: upstream.url, peers: [(await libp2pAddress(net.nodes[0]!))!], dataDir: join(dataDir, '..', 'double-claim-data'), cheats: {}, batchSize: 2 });
    started.push(cheat);
    const { payerGateway, ask } = await startPayerGateway('double-claim-payer-data', [[op.address, cheat.gateway.url]]);

    // Honest first: two receipts the payer gateway co-signed, cut into a batch it signs; paid.
    for (let i = 0; i < 2; i++) await ask(i);
    expect((await payerGateway.store.receipts()).map((r) => [r.operator, r.unitPrice])).toEqual([[op.address, '1'], [op.address, '1']]);
    const batch1 = await eventually('the first batch cut', 30_000, async () => (await cheat.gateway.store.batches())[0], 300);
    expect(batch1.receiptIds).toHaveLength(2);
    const first = await eventually('the first batch finalized', 120_000, async () => {
      const [b] = (await receipts.batches({ operator: op.address, pagination: { limit: 10n } })).batches;
      return b?.status === BatchStatus.BATCH_STATUS_FINALIZED ? b : undefined;
    }, 1000);
    expect(Buffer.from(first.root).toString('hex')).toBe(batch1.root);
    expect(first.amount?.amount).toBe(String(2n * (4n + 3n)));
    expect(BigInt(first.split!.operatorAmount)).toBeGreaterThan(0n);
    const escrowBefore = await escrow();

    // Then one of its receipts counts as unbatched again, and a fresh request's receipt joins it.
    const reclaimed = batch1.receiptIds[0]!;
    await cheat.reclaim(p.payer.address, reclaimed);
    await ask(2);
    const offered = await eventually('the second batch offered for signature', 30_000, async () => (await offeredBatches(cheat.gateway.url))[0], 300);
    expect(offered.receiptIds).toContain(reclaimed);
    expect(offered.count).toBe('2');
    // The payer gateway signed the reclaimed receipt into the first batch: it refuses the second,
    // which stays unsigned.
    const refused = await eventually('the payer gateway refused the second batch', 30_000, async () => (await payerGateway.misbehaviours()).find((m) => m.kind === 'batch'), 300);
    expect(refused).toMatchObject({ operator: op.address, detail: `batch ${offered.root}: receipt ${reclaimed} was already signed into batch ${batch1.root}` });
    expect(await payerGateway.metrics.registry.metrics()).toContain('cairn_payer_batches_total{result="refused"} 1');
    expect((await cheat.gateway.status()).batches['awaiting_signature']).toBe(1);

    // Signed carelessly, it reaches the chain, and node0's watcher, which saw the receipt in the
    // first batch's data, proves the double claim.
    await signCarelessly(cheat.gateway.url, offered);
    const rejected = await eventually('the second batch rejected on chain', 60_000, async () => {
      const b = (await receipts.batches({ operator: op.address, pagination: { limit: 10n } })).batches.find((x) => Buffer.from(x.root).toString('hex') === offered.root);
      return b !== undefined && b.status !== BatchStatus.BATCH_STATUS_PENDING ? b : undefined;
    }, 500);
    expect(rejected.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(rejected.split).toBeUndefined();
    const fault = rejected.fault!;
    expect(fault.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
    expect(fault.detail).toMatch(new RegExp(`^receipt ${reclaimed} is leaf \\d+ of batch (${first.id} and leaf \\d+ of batch ${rejected.id}|${rejected.id} and leaf \\d+ of batch ${first.id})$`));
    expect(fault.prover).toBe(net.nodes[0]!.watcher);
    // SPEC: a double claim costs 5000 bps of the bond and a tombstone; the prover gets 20% of it.
    expect(fault.slashed?.amount).toBe((bondBefore / 2n).toString());
    expect(fault.reward?.amount).toBe((bondBefore / 2n / 5n).toString());
    const punished = (await queryRegistry(query).operator({ address: op.address })).operator!;
    expect(punished.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(BigInt(punished.bond!.amount)).toBe(bondBefore - bondBefore / 2n);
    // Nothing paid for it (the payer's escrow is whole again), and the first batch's payout stands.
    expect(await escrow()).toEqual(escrowBefore);
    expect((await receipts.batch({ id: first.id })).batch).toEqual(first);
    const cheatStatus = await eventually('the dishonest gateway saw its second batch faulted', 20_000, async () => {
      const st = await cheat.gateway.status();
      return st.batches['faulted'] === 1 ? st : undefined;
    }, 500);
    expect(cheatStatus.batches['finalized']).toBe(1);
    expect(cheatStatus.earnings).toBe(first.split!.operatorAmount);
  }, 240_000);
});
