// End to end on a real localnet (4 validators with their watchers, 2 playground operators): the
// `openai` client → `cairn payer serve` → `cairn operator serve` ×2 → the demo upstream, for two base
// models (different authors, prices and royalty recipients) and an adapter, chat and completions,
// plain and streaming.
//
// First 1,000 requests; then, on the same chain and gateway homes, a stream of requests while each
// operator gateway is SIGKILLed once (twice in all) and the payer gateway once, each restarted on
// its home at once. Then, once everything settled: every receipt the payer gateway co-signed is in
// exactly one finalized batch (no root twice; each batch's count and amount are its receipts'),
// every answer the application got in full has its receipt there (by request and response hash),
// the watchers judged the batches and challenged nothing, and every account moved by exactly what
// the receipts imply: the test splits each batch itself (SPEC §royalty, with the royalty params and
// the models' terms read from the chain) and compares with the chain's balance deltas to the unit —
// the payer's escrow, the escrow account, the operators (net of their own transactions' fees), the
// authors and royalty recipients, the treasury, and the burned supply.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { QueryClient } from '@cosmjs/stargate';
import { type CometClient, connectComet } from '@cosmjs/tendermint-rpc';
import { QueryClientImpl as BankQuery } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { moduleAddress } from '../core/framework/address.ts';
import { Localnet, libp2pAddress } from '../localnet/index.ts';
import type { PlaygroundAccount } from '../localnet/playground.ts';
import { ESCROW_ACCOUNT } from '../modules/receipts/keys.ts';
import { TREASURY_ACCOUNT } from '../modules/royalty/keys.ts';
import { rpcCall } from '../node/cometbft/rpc.ts';
import { freePorts } from '../node/cometbft/ports.ts';
import { type OpenAiUpstream, startOpenAiUpstream } from '../node/gateway/demo-upstream.ts';
import { PayerStore } from '../node/gateway/payer/store.ts';
import { type Batch as ChainBatch, BatchStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { ModelKind } from '../proto/gen/cairn/registry/v1/types.ts';
import type { Params as RoyaltyParams } from '../proto/gen/cairn/royalty/v1/types.ts';
import { bankMsgs } from '../sdk/bank/messages.ts';
import { toHex } from '../sdk/bytes.ts';
import { Keyring } from '../sdk/keyring/keyring.ts';
import { type AbciQuery, protobufRpc } from '../sdk/queries.ts';
import type { Receipt } from '../sdk/receipts/receipt.ts';
import { queryReceipts } from '../sdk/receipts/queries.ts';
import { registryMsgs } from '../sdk/registry/messages.ts';
import { queryRegistry } from '../sdk/registry/queries.ts';
import { queryRoyalty } from '../sdk/royalty/queries.ts';
import { eventually, scrape } from './support/localnet.ts';
import { PlaygroundSender } from './support/paid-batch.ts';
import { testDir } from './support/test-dirs.ts';

const REPO = resolve(import.meta.dirname, '..');
const PHASE1 = 1000;
/** Answered requests at least in the phase with the kills (it goes on until the last restart; some are cut by the kills). */
const PHASE2 = 150;
/** A kill after each this many more answers. */
const KILL_EVERY = 30;
const CONCURRENCY = 8;
/** Batches are cut at this size, or this long after their oldest receipt: few batches, short tail. */
const BATCH_SIZE = 250;
const BATCH_AGE_SECONDS = 20;
const DENOM = 'ucairn';
/** The second base model: its own author, two royalty recipients, its own price. */
const MODEL2 = 'cairn-e2e/second-base';
const MODEL2_PRICE = 3n;
const MODEL2_ROYALTY_BPS = 450;
const BPS = 10_000n;

let net: Localnet;
let upstream: OpenAiUpstream;
let dir: string;
let comet: CometClient;
let base: QueryClient;
const children: ChildProcess[] = [];

/** A `cairn` process that can be killed and started again with the same arguments. */
class Cairn {
  child!: ChildProcess;
  #log = '';
  readonly args: readonly string[];

  constructor(args: readonly string[]) {
    this.args = args;
    this.start();
  }

  start(): void {
    const child = spawn(process.execPath, [join(REPO, 'cli/cairn.ts'), ...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer): void => void (this.#log = (this.#log + d.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    children.push(child);
    this.child = child;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.#log;
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }
}

const abciAt =
  (height?: number): AbciQuery =>
  async (path, request) =>
    (await base.queryAbci(path, request, height)).value;
const bankAt = (height: number): BankQuery => new BankQuery(protobufRpc(abciAt(height)));
const address = (module: string): string => toBech32('cairn', moduleAddress(module));

interface Snapshot {
  readonly height: number;
  readonly balances: ReadonlyMap<string, bigint>;
  readonly supply: bigint;
  readonly escrow: { readonly available: bigint; readonly locked: bigint };
  readonly epoch: bigint;
}

/** The tracked accounts' balances, the supply, the payer's escrow and the epoch, all at one height. */
async function snapshot(accounts: readonly string[], payer: string): Promise<Snapshot> {
  // The app's last committed height: CometBFT's status counts a block as soon as it is stored, before
  // the app has committed it, and a query at that height is then in the app's future.
  const height = (await comet.abciInfo()).lastBlockHeight!;
  const bank = bankAt(height);
  const balances = new Map<string, bigint>();
  for (const a of accounts) balances.set(a, BigInt((await bank.Balance({ address: a, denom: DENOM })).balance?.amount ?? '0'));
  const receipts = queryReceipts(abciAt(height));
  const e = (await receipts.escrow({ payer })).escrow!;
  return {
    height,
    balances,
    supply: BigInt((await bank.SupplyOf({ denom: DENOM })).amount!.amount),
    escrow: { available: BigInt(e.available), locked: BigInt(e.locked) },
    epoch: (await receipts.epoch({})).current!.epoch,
  };
}

/** What `payer` paid in fees for its transactions in blocks (from, to]. */
async function feesPaid(payer: string, from: number, to: number): Promise<bigint> {
  let total = 0n;
  for (let page = 1; ; page++) {
    const r = (await rpcCall(net.rpcUrl('node0'), 'tx_search', { query: `tx.fee_payer='${payer}' AND tx.height>${from} AND tx.height<=${to}`, page: String(page), per_page: '100' })) as {
      txs: { tx_result: { events: { type: string; attributes: { key: string; value: string }[] }[] } }[];
      total_count: string;
    };
    for (const t of r.txs) {
      const fee = t.tx_result.events.find((e) => e.type === 'tx' && e.attributes.some((a) => a.key === 'fee_payer' && a.value === payer))?.attributes.find((a) => a.key === 'fee')?.value ?? '';
      const m = /^([0-9]+)ucairn$/.exec(fee);
      if (fee !== '' && m === null) throw new Error(`unexpected fee "${fee}"`);
      total += m === null ? 0n : BigInt(m[1]!);
    }
    if (page * 100 >= Number(r.total_count)) return total;
  }
}

interface Terms {
  readonly model: { readonly id: string; readonly bps: bigint; readonly recipients: readonly { address: string; weightBps: number }[] };
  readonly base?: Terms['model'];
}

/** SPEC §royalty, written out again here: fee (burned part, treasury), royalties by weight, the rest to the operator. */
function splitBySpec(total: bigint, terms: Terms, p: RoyaltyParams): { burned: bigint; treasury: bigint; royalties: { address: string; modelId: string; amount: bigint }[]; operator: bigint } {
  const fee = (total * BigInt(p.protocolFeeBps)) / BPS;
  const burned = (fee * BigInt(p.burnBps)) / BPS;
  const treasury = (fee * (BPS - BigInt(p.burnBps))) / BPS;
  const m = terms.model.bps;
  const b = terms.base?.bps ?? 0n;
  const cap = BigInt(p.maxTotalRoyaltyBps);
  const pool = (total * (m + b > cap ? cap : m + b)) / BPS;
  const modelPool = m + b > cap ? (pool * m) / (m + b) : (total * m) / BPS;
  const basePool = m + b > cap ? (pool * b) / (m + b) : (total * b) / BPS;
  const royalties = [
    ...terms.model.recipients.map((r) => ({ address: r.address, modelId: terms.model.id, amount: (modelPool * BigInt(r.weightBps)) / BPS })),
    ...(terms.base?.recipients ?? []).map((r) => ({ address: r.address, modelId: terms.base!.id, amount: (basePool * BigInt(r.weightBps)) / BPS })),
  ];
  return { burned, treasury, royalties, operator: total - burned - treasury - royalties.reduce((n, r) => n + r.amount, 0n) };
}

interface Settlement {
  readonly receipts: readonly Receipt[];
  readonly batches: readonly ChainBatch[];
  readonly total: bigint;
  /** Address → the amount the receipts imply it got. */
  readonly expected: ReadonlyMap<string, bigint>;
}

/**
 * Every receipt the payer gateway kept (its store, read once it stopped) in exactly one of the
 * payer's finalized batches; each batch split by the SPEC; the accounts' deltas between the snapshots.
 */
async function checkSettlement(before: Snapshot, after: Snapshot, payer: string, operators: readonly string[]): Promise<Settlement> {
  const store = new PayerStore(payerData);
  await store.open();
  const receipts = await store.receipts();
  const marks = await store.signedInto(receipts.map((r) => toHex(r.id)));
  await store.close();

  const batches = (await queryReceipts(abciAt(after.height)).batches({ payer, pagination: { limit: 1000n } })).batches;
  // No root (no receipt set) claimed twice, every batch finalized.
  expect(new Set(batches.map((b) => toHex(b.root))).size).toBe(batches.length);
  expect(batches.filter((b) => b.status !== BatchStatus.BATCH_STATUS_FINALIZED).map((b) => b.id)).toEqual([]);

  const byRoot = new Map(batches.map((b) => [toHex(b.root), { batch: b, receipts: [] as Receipt[] }]));
  for (const r of receipts) {
    const into = byRoot.get(marks.get(toHex(r.id)) ?? 'none');
    expect(into, `receipt ${toHex(r.id)} in a finalized batch`).toBeDefined();
    into!.receipts.push(r);
  }

  const registry = queryRegistry(abciAt(after.height));
  const params = (await queryRoyalty(abciAt(after.height)).params({})).params!;
  const termsOf = new Map<string, Terms['model']>();
  const modelTerms = async (id: string): Promise<Terms['model']> => {
    let t = termsOf.get(id);
    if (t === undefined) {
      const m = (await registry.model({ id })).model!;
      t = { id, bps: BigInt(m.royaltyBps), recipients: m.recipients.map((r) => ({ address: r.address, weightBps: r.weightBps })) };
      termsOf.set(id, t);
    }
    return t;
  };
  const expected = new Map<string, bigint>();
  const add = (a: string, n: bigint): void => void expected.set(a, (expected.get(a) ?? 0n) + n);
  let total = 0n;
  let burned = 0n;
  for (const { batch, receipts: rs } of byRoot.values()) {
    const amount = rs.reduce((n, r) => n + BigInt(r.amount), 0n);
    expect({ count: BigInt(rs.length), amount }).toEqual({ count: batch.count, amount: BigInt(batch.amount!.amount) });
    for (const r of rs) expect(r.operator).toBe(batch.operator);
    const terms: Terms = batch.adapterId === '' ? { model: await modelTerms(batch.modelId) } : { model: await modelTerms(batch.adapterId), base: await modelTerms(batch.modelId) };
    const s = splitBySpec(amount, terms, params);
    // The chain's record of the split agrees, payout by payout.
    expect({ burned: BigInt(batch.split!.feeBurned), treasury: BigInt(batch.split!.feeTreasury), operator: BigInt(batch.split!.operatorAmount), royalties: batch.split!.royalties.map((r) => ({ address: r.address, modelId: r.modelId, amount: BigInt(r.amount) })) }).toEqual({
      burned: s.burned,
      treasury: s.treasury,
      operator: s.operator,
      royalties: s.royalties,
    });
    total += amount;
    burned += s.burned;
    add(batch.operator, s.operator);
    add(address(TREASURY_ACCOUNT), s.treasury);
    for (const r of s.royalties) add(r.address, r.amount);
  }

  // The chain's balances moved by exactly that, to the unit.
  const delta = (a: string): bigint => after.balances.get(a)! - before.balances.get(a)!;
  expect(after.epoch, 'no epoch closed (nothing minted) between the snapshots').toBe(before.epoch);
  expect(before.escrow.available - after.escrow.available).toBe(total);
  expect(after.escrow.locked).toBe(0n);
  expect(delta(address(ESCROW_ACCOUNT))).toBe(-total);
  expect(delta(payer)).toBe(0n);
  expect(before.supply - after.supply).toBe(burned);
  for (const a of before.balances.keys()) {
    if (a === payer || a === address(ESCROW_ACCOUNT)) continue;
    const fees = operators.includes(a) ? await feesPaid(a, before.height, after.height) : 0n;
    expect({ account: a, delta: delta(a) + fees }).toEqual({ account: a, delta: expected.get(a) ?? 0n });
  }
  return { receipts, batches, total, expected };
}

/** Watchers' challenges and requests the chain accepted, and batches they judged, over all nodes. */
async function watchers(): Promise<{ challenges: number; checked: number }> {
  let challenges = 0;
  let checked = 0;
  for (const n of net.nodes) {
    for (const [series, v] of await scrape(net.metricsUrl(n.name))) {
      if (series.startsWith('cairn_watcher_challenges_submitted_total')) challenges += v;
      if (series === 'cairn_watcher_batches_checked_total') checked += v;
    }
  }
  return { challenges, checked };
}


const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

let payer: Cairn;
let operatorGateways: Cairn[];
let operatorUrls: string[];
let client: OpenAI;
let models: string[];
let accounts: string[];
let payerData: string;
let before: Snapshot;
/** Tracked address → a name for the report. */
const names = new Map<string, string>();

/** What the application sent (by the REQUEST_HEADER it tagged the request with) and the bytes it got back. */
const REQUEST_HEADER = 'x-e2e-request';
const sent = new Map<string, { requestHash: string; response: Promise<Uint8Array | undefined> }>();
const recordingFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const res = await fetch(url, init);
  const tag = new Headers(init?.headers).get(REQUEST_HEADER);
  if (tag !== null && typeof init?.body === 'string') {
    sent.set(tag, { requestHash: sha256Hex(Buffer.from(init.body)), response: res.clone().arrayBuffer().then((b) => new Uint8Array(b), () => undefined) });
  }
  return res;
};

beforeAll(async () => {
  dir = await testDir('cairn-gateways-e2e-');
  net = await Localnet.create({
    dir: join(dir, 'net'),
    validators: 4,
    operators: 2,
    blockTimeMs: 500,
    // One long epoch: nothing is minted during the test (minting would move the operators' balances).
    // A reveal window (60 blocks, ~30 s) longer than a gateway's restart on a loaded machine: a
    // sampled leaf not revealed in it is fraud (tombstone), whatever the reason.
    genesis: { receipts: { params: { epoch_blocks: '100000', dispute_window_blocks: '65', reveal_window: '60', sample_count: 2, challenge_bond: { denom: DENOM, amount: '1000' } } } },
  });
  await net.up({ killOnExit: true, timeoutMs: 180_000 });
  upstream = await startOpenAiUpstream();
  comet = await connectComet(net.rpcUrl('node0'));
  base = new QueryClient(comet);

  // The second base model: its author (funded by the faucet) and a contributor share its royalty.
  const p = net.manifest.playground!;
  const keyring = new Keyring({ dir: p.keyringDir, backend: 'test' });
  const account = async (key: string): Promise<PlaygroundAccount> => ({ key, address: (await keyring.add(key)).key.address });
  const author2 = await account('author2');
  const contributor = await account('contributor');
  const sender = new PlaygroundSender(net);
  try {
    await sender.ok({ key: 'faucet', address: net.manifest.faucet.address }, [bankMsgs.MsgSend({ fromAddress: net.manifest.faucet.address, toAddress: author2.address, amount: [{ denom: DENOM, amount: '10000000' }] })]);
    await sender.ok(author2, [
      registryMsgs.MsgRegisterModel({
        author: author2.address,
        id: MODEL2,
        kind: ModelKind.MODEL_KIND_BASE,
        baseModelId: '',
        contentHash: `sha256:${sha256Hex(new TextEncoder().encode(MODEL2))}`,
        license: 'MIT',
        evals: [],
        royaltyBps: MODEL2_ROYALTY_BPS,
        recipients: [
          { address: author2.address, weightBps: 7000 },
          { address: contributor.address, weightBps: 3000 },
        ],
        previousVersion: '',
      }),
    ]);
    await Promise.all(p.operators.map((o) => sender.ok(o, [registryMsgs.MsgServeModel({ operator: o.address, modelId: MODEL2, pricePerUnit: { denom: DENOM, amount: MODEL2_PRICE.toString() } })])));
  } finally {
    sender.disconnect();
  }
  const tracked: [string, string][] = [
    ['payer', p.payer.address],
    ['escrow', address(ESCROW_ACCOUNT)],
    ...p.operators.map((o): [string, string] => [o.key, o.address]),
    ['author', p.author.address],
    ['author2', author2.address],
    ['contributor', contributor.address],
    ['treasury', address(TREASURY_ACCOUNT)],
  ];
  for (const [n, a] of tracked) names.set(a, n);
  accounts = tracked.map(([, a]) => a);
  models = [p.model, `${p.model}@${p.adapter}`, MODEL2];

  const peer = (await libp2pAddress(net.node('node0')))!;
  const ports = await freePorts(3);
  const common = ['--node', net.rpcUrl('node0'), '--keyring-backend', 'test', '--keyring-dir', p.keyringDir];
  operatorUrls = p.operators.map((_, i) => `http://127.0.0.1:${ports[i]}`);
  operatorGateways = p.operators.map(
    (o, i) => new Cairn(['operator', 'serve', '--home', join(dir, `op${i}`), ...common, '--key', o.key, '--receipt-key', o.receiptKeyFile, '--upstream', upstream.url, '--listen', `127.0.0.1:${ports[i]}`, '--peer', peer, '--batch-size', String(BATCH_SIZE), '--batch-age', String(BATCH_AGE_SECONDS)]),
  );
  payerData = join(dir, 'payer-data');
  payer = new Cairn(['payer', 'serve', '--home', join(dir, 'payer'), ...common, '--from', p.payer.key, '--payer-key', p.payer.payerKeyFile, '--listen', `127.0.0.1:${ports[2]}`, '--data', payerData, '--set-aside', '1', '--set-aside-max', '2', ...p.operators.flatMap((o, i) => ['--endpoint', `${o.address}=${operatorUrls[i]}`])]);
  client = new OpenAI({ baseURL: `http://127.0.0.1:${ports[2]}/v1`, apiKey: 'unused', maxRetries: 0, fetch: recordingFetch });
  await payerUp();
  for (let i = 0; i < operatorGateways.length; i++) await operatorUp(i);
  before = await snapshot(accounts, p.payer.address);
}, 400_000);

afterAll(async () => {
  await Promise.all(children.map(async (c) => (c.exitCode === null && c.signalCode === null ? (c.kill('SIGTERM'), await once(c, 'exit')) : undefined)));
  comet?.disconnect();
  await upstream?.close();
  await net?.down({ reset: true });
});

async function payerUp(): Promise<void> {
  await eventually('the payer gateway lists the three offers', 240_000, async () => {
    if (!payer.running) throw new Error(`cairn payer serve exited: ${payer.log}`);
    const listed = (await client.models.list().catch(() => undefined))?.data.map((m) => m.id) ?? [];
    return models.every((m) => listed.includes(m)) ? true : undefined;
  });
}

async function operatorUp(i: number): Promise<void> {
  await eventually(`operator gateway ${i} up`, 240_000, async () => {
    if (!operatorGateways[i]!.running) throw new Error(`cairn operator serve exited: ${operatorGateways[i]!.log}`);
    return (await fetch(`${operatorUrls[i]}/v1/models`).then((r) => r.ok, () => false)) ? true : undefined;
  });
}

interface Answer {
  readonly requestHash: string;
  readonly responseHash: string;
}

/**
 * Request `i` (model, endpoint, plain or streaming, prompt and max_tokens vary with i) through the
 * openai client; checks what it got and returns the hashes its receipt must carry: of the request
 * body, and of the response (a plain body; a stream's events before `data: [DONE]`). Throws when the
 * application did not get a whole answer (a stream without its `data: [DONE]` included).
 */
async function request(i: number): Promise<Answer> {
  const model = models[i % 3]!;
  const kind = (['chat-stream', 'chat', 'completion', 'completion-stream'] as const)[i % 4]!;
  const words = 2 + (i % 7);
  const prompt = [`r${i}`, ...Array.from({ length: words - 1 }, (_, k) => `word${k}`)].join(' ');
  const max = 3 + (i % 11);
  const options = { headers: { [REQUEST_HEADER]: String(i) } };
  const usage: unknown[] = [];
  if (kind === 'chat-stream') {
    let text = '';
    for await (const c of await client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }], max_tokens: max, stream: true, stream_options: { include_usage: true } }, options)) {
      text += c.choices[0]?.delta.content ?? '';
      if (c.usage) usage.push(c.usage);
    }
    expect(text.split(' ')).toHaveLength(max);
  } else if (kind === 'chat') {
    const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }], max_tokens: max }, options);
    expect(r.choices[0]!.message.content!.split(' ')).toHaveLength(max);
    usage.push(r.usage);
  } else if (kind === 'completion') {
    const r = await client.completions.create({ model, prompt, max_tokens: max }, options);
    expect(r.choices[0]!.text.split(' ')).toHaveLength(max);
    usage.push(r.usage);
  } else {
    for await (const c of await client.completions.create({ model, prompt, max_tokens: max, stream: true, stream_options: { include_usage: true } }, options)) if (c.usage) usage.push(c.usage);
  }
  expect(usage).toEqual([{ prompt_tokens: words, completion_tokens: max, total_tokens: words + max }]);
  const s = sent.get(String(i))!;
  const bytes = await s.response;
  if (bytes === undefined) throw new Error(`request ${i}: the response broke off`);
  if (!kind.endsWith('stream')) return { requestHash: s.requestHash, responseHash: sha256Hex(bytes) };
  const done = Buffer.from('data: [DONE]\n\n');
  if (!Buffer.from(bytes.subarray(bytes.length - done.length)).equals(done)) throw new Error(`request ${i}: the stream ended without data: [DONE]`);
  return { requestHash: s.requestHash, responseHash: sha256Hex(bytes.subarray(0, bytes.length - done.length)) };
}

/** Waits until the payer gateway signed every receipt it kept into a batch, and the payer's batches on chain are all finalized and hold them all. */
async function settled(): Promise<void> {
  const receiptsQ = queryReceipts(abciAt());
  const outcome = await eventually(
    'every receipt in a finalized batch',
    400_000,
    async () => {
      const m = await scrape(`${client.baseURL.replace(/\/v1$/, '')}/metrics`);
      const unsigned = m.get('cairn_payer_receipts_kept{batch="unsigned"}');
      const kept = m.get('cairn_payer_receipts_kept{batch="signed"}')!;
      const batches = (await receiptsQ.batches({ payer: net.manifest.playground!.payer.address, pagination: { limit: 1000n } })).batches;
      const rejected = batches.filter((b) => b.status === BatchStatus.BATCH_STATUS_REJECTED);
      if (rejected.length > 0) return `${rejected.map((b) => `batch ${b.id} of ${b.operator} rejected: ${b.fault?.detail ?? ''}`).join('; ')}; the operator gateways said: ${settlementLines()}`;
      const open = batches.filter((b) => b.status !== BatchStatus.BATCH_STATUS_FINALIZED);
      const onChain = batches.reduce((n, b) => n + Number(b.count), 0);
      if (unsigned === 0 && open.length === 0 && onChain === kept) return 'settled';
      // Thrown, so that a time-out says where it stood.
      const states = await Promise.all(operatorUrls.map((u) => fetch(`${u}/cairn/v1/status`).then(async (r) => JSON.stringify(((await r.json()) as { batches: unknown }).batches), (e: unknown) => String(e))));
      throw new Error(`payer: ${kept} receipts signed into batches, ${unsigned} not; chain: ${onChain} receipts in ${batches.length} batches, ${open.length} not finalized; operators: ${states.join(' ')}`);
    },
    1000,
  );
  expect(outcome).toBe('settled');
}

/** The operator gateways' last log lines about settlement (a failure's message is all CI keeps). */
function settlementLines(): string {
  return operatorGateways.map((g, i) => `operator${i}: ${g.log.split('\n').filter((l) => /settlement|reveal|submitted|publish/.test(l)).slice(-12).join(' | ')}`).join(' || ');
}

/** On a failure, the gateways' last log lines. */
function dumpLogsOnFailure(): void {
  onTestFailed(() => {
    for (const [name, proc] of [['payer', payer] as const, ...operatorGateways.map((g, i) => [`operator${i}`, g] as const)]) console.log(`---- ${name} gateway log (tail) ----\n${proc.log.slice(-6000)}`);
  });
}

describe('payer gateway → operator gateways → upstream on a 4-validator localnet', () => {
  const answers: Answer[] = [];
  let cut = 0;
  /** The last few reasons requests were cut. */
  const cuts: string[] = [];

  it(`${PHASE1} requests from the openai client, plain and streaming, chat and completions, 3 offers, 2 operators: all answered`, async () => {
    dumpLogsOnFailure();
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < PHASE1; i = next++) answers.push(await request(i));
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`gateways e2e: ${PHASE1} requests answered in ${Date.now() - t0} ms`);
    expect(answers).toHaveLength(PHASE1);
  }, 600_000);

  it('more requests while each operator gateway is SIGKILLed once and the payer gateway once, each restarted on its home', async () => {
    dumpLogsOnFailure();
    expect(answers, 'the first phase ran').toHaveLength(PHASE1);
    let answered = 0;
    let next = PHASE1;
    let killed = false;
    let payerDown: Promise<void> | undefined;
    const worker = async (): Promise<void> => {
      while (!killed || answered < PHASE2) {
        try {
          answers.push(await request(next++));
          answered++;
        } catch (e) {
          cut++;
          cuts.push((e as Error).message.slice(0, 300));
          if (cuts.length > 5) cuts.shift();
          await payerDown;
        }
      }
    };
    const restart = async (proc: Cairn, up: () => Promise<void>): Promise<void> => {
      await proc.stop('SIGKILL');
      proc.start();
      await up();
    };
    const after = (n: number): Promise<boolean> =>
      eventually(`${n} answers`, 120_000, async () => {
        if (answered >= n) return true;
        throw new Error(`${answered} answered, ${cut} cut; last cut: ${cuts.join(' | ')}`);
      }, 50);
    const kills = async (): Promise<void> => {
      await after(KILL_EVERY);
      await restart(operatorGateways[0]!, () => operatorUp(0));
      await after(answered + KILL_EVERY);
      await restart(operatorGateways[1]!, () => operatorUp(1));
      await after(answered + KILL_EVERY);
      payerDown = restart(payer, payerUp);
      await payerDown;
      payerDown = undefined;
      killed = true;
    };
    const t0 = Date.now();
    await Promise.all([kills(), ...Array.from({ length: CONCURRENCY }, worker)]);
    console.log(`gateways e2e: with 3 kills, ${answered} requests answered and ${cut} cut in ${Date.now() - t0} ms (last cut: ${cuts.join(' | ')})`);
    expect(answered).toBeGreaterThanOrEqual(PHASE2);
  }, 600_000);

  it('every receipt ends in exactly one finalized batch, every answer has its receipt, and every account holds exactly what the receipts imply', async () => {
    dumpLogsOnFailure();
    expect(answers.length, 'both phases ran').toBeGreaterThanOrEqual(PHASE1 + PHASE2);
    const p = net.manifest.playground!;
    const t0 = Date.now();
    await settled();
    const waited = Date.now() - t0;
    await payer.stop('SIGTERM');
    const after = await snapshot(accounts, p.payer.address);
    const s = await checkSettlement(before, after, p.payer.address, p.operators.map((o) => o.address));

    // Every whole answer has its receipt (request and response hashes), paid in a finalized batch;
    // a receipt may also exist for an answer a kill cut on its way to the application.
    const paid = new Set(s.receipts.map((r) => `${toHex(r.requestHash)} ${toHex(r.responseHash)}`));
    expect(answers.filter((a) => !paid.has(`${a.requestHash} ${a.responseHash}`))).toEqual([]);
    expect(s.receipts.length).toBeGreaterThanOrEqual(answers.length);
    expect(s.receipts.length).toBeLessThanOrEqual(answers.length + cut);
    // Both operators served every offer; the watchers judged the batches and challenged nothing.
    expect(new Set(s.batches.map((b) => `${b.operator} ${b.modelId}@${b.adapterId}`)).size).toBe(6);
    const w = await watchers();
    expect(w.challenges).toBe(0);
    expect(w.checked).toBeGreaterThan(0);
    console.log(
      `gateways e2e: settled ${waited} ms after the last request; ${s.receipts.length} receipts in ${s.batches.length} batches, ${s.total}${DENOM} from escrow: ` +
        [...s.expected].map(([a, n]) => `${names.get(a) ?? a} +${n}`).join(', ') +
        `, burned ${before.supply - after.supply}`,
    );
  }, 600_000);
});
