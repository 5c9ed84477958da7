// Issue 13, finding 3, on a real localnet: 4 validators (real CometBFT processes, real libp2p on
// loopback, each with its watcher). An operator withholds a batch's data: it gossips nothing and
// reveals only what the chain asks for — its sample, and the leaves the watchers request, drawn at
// random — so that batch finalizes and is paid. It then claims one of those receipts again in a
// second batch, gossiped like an honest one. The watchers remembered the receipts the first batch
// revealed on chain, match the second claim and prove it with ChallengeDoubleClaim by themselves: the
// second batch is rejected and the operator tombstoned. Before that (finding 1), another operator
// slips into an honest gossiped batch a receipt signed by a payer key the payer never authorised:
// both signatures verify, and a watcher, judging with the chain's own function, proves it.
// No test code builds or sends a challenge. Finding 2: a forger whose forged leaf is sampled and
// who keeps it back gets receipt fraud (half its bond, tombstone), not the cheaper data-unavailable
// fault. Finding 8: the double claimer first tries the claimed receipt under its own address
// upper-cased, which the chain refuses at the door with nothing locked.
import { join } from 'node:path';
import { Registry } from '@cosmjs/proto-signing';
import { SigningStargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { type CometClient, connectComet } from '@cosmjs/tendermint-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Localnet, libp2pAddress } from '../localnet/index.ts';
import { silentLogger } from '../node/log.ts';
import { publishBatch } from '../node/p2p/publish.ts';
import * as q from '../proto/gen/cairn/receipts/v1/query.ts';
import { MsgSubmitBatchResponse } from '../proto/gen/cairn/receipts/v1/tx.ts';
import { BatchStatus, FaultKind, type Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import * as regq from '../proto/gen/cairn/registry/v1/query.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { type Batch, batchTerms, buildBatch, inclusionProof, signBatch, signReceipt } from '../sdk/index.ts';
import { receiptsTypes } from '../sdk/receipts/messages.ts';
import { registryTypes } from '../sdk/registry/messages.ts';
import { eventually, scrapeSum } from './support/localnet.ts';
import { type Role, receiptMsgs, roleWallets } from './support/receipts-chain.ts';
import { fixedKey, receiptId, unsignedReceipt } from './support/receipts-fixtures.ts';
import { msgs as registryMsgs } from './support/registry.ts';
import type { TestWallet } from './support/wallets.ts';
import { testDir } from './support/test-dirs.ts';

const EPOCH = 200n;
const OPERATOR_BOND = 10_000_000n;
const MODEL = 'llama-3-8b';
const FEE = { amount: [{ denom: 'ucairn', amount: '40000' }], gas: '1500000' };
const payerKey = fixedKey('withheld-net-payer');
const operatorKey = fixedKey('withheld-net-operator');
const operator2Key = fixedKey('withheld-net-operator2');
const rogueKey = fixedKey('withheld-net-rogue');
const forgerKey = fixedKey('withheld-net-forger');
const types = new Registry([...defaultRegistryTypes, ...registryTypes, ...receiptsTypes]);

let net: Localnet;
let w: Record<Role, TestWallet>;
let rpc: string;
let comet: CometClient;
const clients = new Map<Role, SigningStargateClient>();

async function send(role: Role, msgs: { typeUrl: string; value: unknown }[]): Promise<{ code: number; log: string; responses: Uint8Array[] }> {
  let c = clients.get(role);
  if (c === undefined) {
    c = await SigningStargateClient.connectWithSigner(rpc, w[role].wallet, { registry: types, broadcastPollIntervalMs: 150 });
    clients.set(role, c);
  }
  const r = await c.signAndBroadcast(w[role].address, msgs, FEE);
  return { code: r.code, log: r.rawLog ?? '', responses: r.msgResponses.map((m) => m.value) };
}

async function ok(role: Role, msgs: { typeUrl: string; value: unknown }[]): Promise<Uint8Array[]> {
  const r = await send(role, msgs);
  expect(r.code, r.log).toBe(0);
  return r.responses;
}

async function query<Req, Res>(service: string, method: string, req: { encode(m: Req): { finish(): Uint8Array } }, res: { decode(b: Uint8Array): Res }, value: Req): Promise<Res> {
  const r = await comet.abciQuery({ path: `/${service}/${method}`, data: req.encode(value).finish() });
  if (r.code !== 0) throw new Error(`${method}: ${r.log ?? r.code}`);
  return res.decode(r.value);
}

const batchOf = async (id: bigint) => query('cairn.receipts.v1.Query', 'Batch', q.QueryBatchRequest, q.QueryBatchResponse, { id });
const escrowOf = async (payer: string) => (await query('cairn.receipts.v1.Query', 'Escrow', q.QueryEscrowRequest, q.QueryEscrowResponse, { payer })).escrow!;
const operatorOf = async (address: string) => (await query('cairn.registry.v1.Query', 'Operator', regq.QueryOperatorRequest, regq.QueryOperatorResponse, { address })).operator!;

/** The current epoch and block time, early enough in the epoch for both batches to stay in it. */
async function quietPoint(): Promise<{ epoch: bigint; time: bigint }> {
  for (;;) {
    const b = await comet.block();
    const height = BigInt(b.block.header.height);
    const epoch = (height - 1n) / EPOCH;
    if (height - epoch * EPOCH < EPOCH / 4n) return { epoch, time: BigInt(Math.floor(b.block.header.time.getTime() / 1000)) };
    await new Promise((r) => setTimeout(r, 300));
  }
}

// The griefer role plays a third operator: the forger of finding 2.
type Operator = 'operator' | 'operator2' | 'griefer';
const receiptKeyOf = (role: Operator) => ({ operator: operatorKey, operator2: operator2Key, griefer: forgerKey })[role];

function receipts(from: number, n: number, at: { epoch: bigint; time: bigint }, role: Operator = 'operator', signer = payerKey): Receipt[] {
  const party = { chainId: net.chainId, operator: w[role].address, payer: w.payer.address, payerKey: signer, operatorKey: receiptKeyOf(role) };
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const r = unsignedReceipt(party, i, { id: receiptId(i, `withheld-net-${role}`), modelId: MODEL, epoch: at.epoch, startedAt: at.time, finishedAt: at.time });
    return signReceipt(signReceipt(r, 'payer', signer), 'operator', receiptKeyOf(role));
  });
}

async function submit(batch: Batch, role: Operator = 'operator'): Promise<bigint> {
  const [res] = await ok(role, [receiptMsgs.submit(signBatch(batchTerms(batch, 'escrow'), payerKey))]);
  return MsgSubmitBatchResponse.decode(res!).batchId;
}

async function gossip(batch: Batch, role: Operator): Promise<void> {
  const height = BigInt((await comet.status()).syncInfo.latestBlockHeight);
  const sent = await publishBatch({ chainId: net.chainId, height, batch, signer: receiptKeyOf(role), peers: [(await libp2pAddress(net.node('node0')))!], logger: silentLogger });
  expect(sent).toBe(1);
}

/**
 * What the operator does each time it looks: reveals the leaves the chain asks for and it has not
 * answered yet (sampled, or requested by someone); returns the batch as the chain records it.
 */
async function answer(id: bigint, batch: Batch, answered: Set<bigint>, role: Operator = 'operator'): Promise<q.QueryBatchResponse> {
  const r = await batchOf(id);
  const asked = [...r.batch!.sample.filter((s) => !s.revealed).map((s) => s.index), ...r.requests.map((x) => x.index)].filter((i) => !answered.has(i));
  if (asked.length > 0 && r.batch!.status === BatchStatus.BATCH_STATUS_PENDING) {
    const sent = await send(role, asked.map((i) => receiptMsgs.reveal(w[role].address, id, batch.receipts[Number(i)]!, inclusionProof(batch, Number(i)))));
    if (sent.code === 0) for (const i of asked) answered.add(i);
  }
  return r;
}

beforeAll(async () => {
  w = await roleWallets();
  const dir = join(await testDir('cairn-withheld-net-'), 'net');
  net = await Localnet.create({
    dir,
    validators: 4,
    blockTimeMs: 300,
    accounts: (['operator', 'operator2', 'griefer', 'payer', 'author'] as const).map((r) => ({ address: w[r].address, amount: 1_000_000_000n })),
    genesis: {
      receipts: { params: { epoch_blocks: EPOCH.toString(), dispute_window_blocks: '40', reveal_window: '20', escrow_withdraw_delay: '80', sample_count: 2, max_open_requests: 3, challenge_bond: { denom: 'ucairn', amount: '1000' } } },
      registry: { params: { min_operator_bond: { denom: 'ucairn', amount: OPERATOR_BOND.toString() }, max_royalty_bps: 5000 } },
      emission: { params: { enabled: false, capacity_challenges_per_epoch: 0 } },
    },
  });
  await net.up({ killOnExit: true, timeoutMs: 60_000 });
  rpc = net.rpcUrl('node0');
  comet = await connectComet(rpc);
  const bond = { denom: 'ucairn', amount: OPERATOR_BOND.toString() };
  await Promise.all([
    ok('operator', [registryMsgs.registerOperator(w.operator.address, 0, { receiptKey: operatorKey.publicKey, bond })]),
    ok('operator2', [registryMsgs.registerOperator(w.operator2.address, 1, { receiptKey: operator2Key.publicKey, bond })]),
    ok('griefer', [registryMsgs.registerOperator(w.griefer.address, 2, { receiptKey: forgerKey.publicKey, bond })]),
    ok('author', [registryMsgs.registerModel(w.author.address, MODEL, { royaltyBps: 500, recipients: [{ address: w.author.address, weightBps: 10_000 }] })]),
    ok('payer', [registryMsgs.authorizePayerKey(w.payer.address, payerKey.publicKey), receiptMsgs.deposit(w.payer.address, 100_000_000n)]),
  ]);
  // Every node must have the registration committed before it can judge the operator's gossip.
  await net.waitForHeight((await comet.status()).syncInfo.latestBlockHeight + 1, 20_000);
}, 90_000);

afterAll(async () => {
  for (const c of clients.values()) c.disconnect();
  comet?.disconnect();
  await net?.down({ reset: true });
});

describe('watchers on a 4-validator localnet', () => {
  it('prove a receipt signed by a payer key the payer never authorised, slipped into a gossiped batch', async () => {
    const at = await quietPoint();
    const forged = receipts(100, 1, at, 'operator2', rogueKey)[0]!;
    const batch = buildBatch([...receipts(0, 8, at, 'operator2'), forged]);
    const forgedIndex = batch.receipts.indexOf(forged);
    await gossip(batch, 'operator2');
    const id = await submit(batch, 'operator2');
    // The operator reveals what the chain asks for, except the forged leaf.
    const answered = new Set<bigint>([BigInt(forgedIndex)]);
    const rejected = await eventually('the batch rejected', 30_000, async () => {
      const b = (await answer(id, batch, answered, 'operator2')).batch!;
      return b.status === BatchStatus.BATCH_STATUS_REJECTED ? b : undefined;
    });
    expect(rejected.fault!.kind).toBe(FaultKind.FAULT_KIND_RECEIPT_FRAUD);
    expect(rejected.fault!.detail).toContain(`leaf ${forgedIndex}: payer_key ${Buffer.from(rogueKey.publicKey).toString('hex')} was not authorised by the payer`);
    expect(net.nodes.map((n) => n.watcher)).toContain(rejected.fault!.prover);
    expect((await operatorOf(w.operator2.address)).status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    await eventually('the winning watcher counted its challenge', 15_000, async () => ((await scrapeSum(net.nodes.map((n) => net.metricsUrl(n.name)), 'cairn_watcher_challenges_submitted_total{kind="receipt"}')) === 1 ? true : undefined));
  }, 60_000);

  it('a forger whose forged leaf is sampled and who keeps it back gets receipt fraud (half its bond, tombstone), not data unavailable', async () => {
    const at = await quietPoint();
    // Two receipts and a sample of two: the forged leaf is sampled whatever the draw.
    const [honest, original] = receipts(200, 2, at, 'griefer');
    const raised = { ...original!, unitsOut: original!.unitsOut + 1000n, amount: ((original!.unitsIn + original!.unitsOut + 1000n) * BigInt(original!.unitPrice)).toString() };
    const batch = buildBatch([honest!, signReceipt(raised, 'operator', forgerKey)]);
    const forgedIndex = batch.receipts.findIndex((r) => r.amount === raised.amount);
    // Nothing is gossiped (the watchers have no data to judge) and the forged leaf is never revealed.
    const id = await submit(batch, 'griefer');
    const answered = new Set<bigint>([BigInt(forgedIndex)]);
    const rejected = await eventually('the forger’s batch rejected', 40_000, async () => {
      const b = (await answer(id, batch, answered, 'griefer')).batch!;
      return b.status === BatchStatus.BATCH_STATUS_REJECTED ? b : undefined;
    });
    expect(rejected.sample.map((x) => x.index).sort()).toEqual([0n, 1n]);
    expect(rejected.fault).toMatchObject({ kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD, tombstoned: true, prover: '' });
    expect(rejected.fault!.detail).toMatch(new RegExp(`^unrevealed sample: sampled leaves ${forgedIndex} not revealed`));
    expect(rejected.fault!.height).toBe(rejected.revealDeadline);
    const forger = await operatorOf(w.griefer.address);
    expect(forger.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(BigInt(forger.bond!.amount)).toBe(OPERATOR_BOND / 2n);
  }, 60_000);

  it('catch a receipt claimed again after the batch that first claimed it withheld its data and was paid', async () => {
    const at = await quietPoint();
    const all = receipts(0, 10, at);
    const withheld = buildBatch(all.slice(0, 6));
    const firstId = await submit(withheld);
    const metrics = net.nodes.map((n) => net.metricsUrl(n.name));

    // The operator answers every request the watchers make (leaves they draw at random), so the
    // withheld batch survives its window and is paid.
    const answered = new Set<bigint>();
    const first = await eventually('the withheld batch finalized, every request answered', 60_000, async () => {
      const r = await answer(firstId, withheld, answered);
      return r.batch!.status === BatchStatus.BATCH_STATUS_FINALIZED ? r.batch! : r.batch!.status === BatchStatus.BATCH_STATUS_PENDING ? undefined : Promise.reject(new Error(`batch ${firstId} is ${r.batch!.status}`));
    }, 300);
    expect(first.fault).toBeUndefined();
    // The watchers asked for leaves on their own (beyond the sample), and never got the data.
    const requested = await scrapeSum(metrics, 'cairn_watcher_challenges_submitted_total{kind="request_receipt"}');
    expect(requested).toBeGreaterThan(0);
    expect(answered.size).toBe(first.sample.length + requested);
    expect(await scrapeSum(metrics, 'cairn_watcher_data_missing_total')).toBeGreaterThan(0);

    // A receipt the chain saw revealed (the first sampled leaf), claimed again in a gossiped batch.
    const revealedLeaf = first.sample[0]!.index;
    const again = withheld.receipts[Number(revealedLeaf)]!;
    const second = buildBatch([again, ...all.slice(6)]);
    // Finding 8: first under its own address upper-cased (same bytes, so the tx signature and the
    // payer's batch signature still verify). The chain refuses that spelling at the door.
    const escrowBefore = await escrowOf(w.payer.address);
    const shouted = { ...signBatch(batchTerms(second, 'escrow'), payerKey), operator: w.operator.address.toUpperCase() };
    const refused = await send('operator', [receiptMsgs.submit(shouted)]).then(
      (r) => `code ${r.code}: ${r.log}`,
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/code 7\b/);
    expect(refused).toContain(`upper-case spelling; write it as ${w.operator.address}`);
    expect(await escrowOf(w.payer.address)).toEqual(escrowBefore);

    await gossip(second, 'operator');
    const secondId = await submit(second);

    const answeredSecond = new Set<bigint>();
    const rejected = await eventually('the second batch rejected', 30_000, async () => {
      const b = (await answer(secondId, second, answeredSecond)).batch!;
      return b.status === BatchStatus.BATCH_STATUS_REJECTED ? b : undefined;
    });
    expect(rejected.fault!.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
    expect(net.nodes.map((n) => n.watcher)).toContain(rejected.fault!.prover);
    expect(rejected.fault!.height).toBeLessThanOrEqual(rejected.disputeEnd);
    const operator = await operatorOf(w.operator.address);
    expect(operator.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(BigInt(operator.bond!.amount)).toBe(OPERATOR_BOND / 2n);
    await eventually('the winning watcher counted its challenge', 15_000, async () => ((await scrapeSum(metrics, 'cairn_watcher_challenges_submitted_total{kind="double_claim"}')) === 1 ? true : undefined));
  }, 150_000);
});
