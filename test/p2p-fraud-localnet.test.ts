// Issue 7's required run on a real localnet: 4 validators (real CometBFT processes, real libp2p on
// loopback, each with a watcher whose key is funded at genesis) and 2 operators. Both operators
// gossip their batches to one node and submit them; the honest batch finalizes untouched; the
// cheater's batch, with one receipt whose amount was raised after the payer signed it, is challenged
// by a watcher — no test code builds or sends a challenge — and the cheater is slashed and
// tombstoned within the dispute window. Then a fifth node, started after the batches were
// published, fetches the honest batch by root from its peers and verifies it. A peer that floods
// every node with invalid messages is graylisted by all of them while an honest batch still reaches
// every node; and an attestation envelope the honest operator gossips, vouching for an attestation no
// trusted verifier signed, is reported by a watcher on its own: the operator loses its whole bond.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromBech32 } from '@cosmjs/encoding';
import { Registry } from '@cosmjs/proto-signing';
import { type DeliverTxResponse, SigningStargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { ErrBatchNotPending } from '../modules/receipts/errors.ts';
import { type CometClient, connectComet } from '@cosmjs/tendermint-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Localnet, libp2pAddress } from '../localnet/index.ts';
import { registryTypes } from '../sdk/registry/messages.ts';
import { receiptsTypes } from '../sdk/receipts/messages.ts';
import { type Role, receiptMsgs, roleWallets } from './support/receipts-chain.ts';
import { fixedKey, fixedSeed, receiptId, unsignedReceipt } from './support/receipts-fixtures.ts';
import { BECH32_LIMIT } from '../core/framework/address.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import type { P2pHost } from '../node/p2p/host.ts';
import { publishBatch } from '../node/p2p/publish.ts';
import { MemoryChain, startTestHost } from './support/p2p.ts';
import { receiptsTopic } from '../node/p2p/topics.ts';
import { attestationSignBytes } from '../sdk/registry/sign-bytes.ts';
import { MsgSubmitBatchResponse } from '../proto/gen/cairn/receipts/v1/tx.ts';
import * as q from '../proto/gen/cairn/receipts/v1/query.ts';
import { BatchStatus, FaultKind, type Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import { OperatorStatus, TeeType } from '../proto/gen/cairn/registry/v1/types.ts';
import * as regq from '../proto/gen/cairn/registry/v1/query.ts';
import { MsgSubmitAttestation } from '../proto/gen/cairn/registry/v1/tx.ts';
import { type Batch, batchTerms, buildBatch, inclusionProof, receiptProblems, signBatch, signReceipt } from '../sdk/index.ts';
import { msgs as registryMsgs } from './support/registry.ts';
import type { TestWallet } from './support/wallets.ts';
import { eventually, scrape, scrapeSum } from './support/localnet.ts';
import { testDir } from './support/test-dirs.ts';

const EPOCH = 50n;
const OPERATOR_BOND = 10_000_000n;
const MODEL = 'llama-3-8b';
const CLI = join(import.meta.dirname, '..', 'cli', 'cairn.ts');
const run = promisify(execFile);
const FEE = { amount: [{ denom: 'ucairn', amount: '40000' }], gas: '1500000' };
const payerKey = fixedKey('fraud-net-payer');
const honestKey = fixedKey('fraud-net-honest');
const cheatKey = fixedKey('fraud-net-cheat');
const verifierKey = fixedKey('fraud-net-verifier');
const forgerKey = fixedKey('fraud-net-forger');
const types = new Registry([...defaultRegistryTypes, ...registryTypes, ...receiptsTypes]);

let net: Localnet;
let w: Record<Role, TestWallet>;
let rpc: string;
let comet: CometClient;
let late: RunningNode | undefined;
const probes: P2pHost[] = [];
const clients = new Map<Role, SigningStargateClient>();

async function broadcast(role: Role, msgs: { typeUrl: string; value: unknown }[]): Promise<DeliverTxResponse> {
  let c = clients.get(role);
  if (c === undefined) {
    c = await SigningStargateClient.connectWithSigner(rpc, w[role].wallet, { registry: types, broadcastPollIntervalMs: 150 });
    clients.set(role, c);
  }
  return c.signAndBroadcast(w[role].address, msgs, FEE);
}

async function send(role: Role, msgs: { typeUrl: string; value: unknown }[]): Promise<Uint8Array[]> {
  const r = await broadcast(role, msgs);
  expect(r.code, r.rawLog).toBe(0);
  return r.msgResponses.map((m) => m.value);
}

async function query<Req, Res>(service: string, method: string, req: { encode(m: Req): { finish(): Uint8Array } }, res: { decode(b: Uint8Array): Res }, value: Req): Promise<Res> {
  const r = await comet.abciQuery({ path: `/${service}/${method}`, data: req.encode(value).finish() });
  if (r.code !== 0) throw new Error(`${method}: ${r.log ?? r.code}`);
  return res.decode(r.value);
}

const batchOf = async (id: bigint) => query('cairn.receipts.v1.Query', 'Batch', q.QueryBatchRequest, q.QueryBatchResponse, { id });
const operatorOf = async (address: string) => (await query('cairn.registry.v1.Query', 'Operator', regq.QueryOperatorRequest, regq.QueryOperatorResponse, { address })).operator!;

/** A block well inside an epoch (so receipts and their batch stay in it): its height, epoch and time. */
async function quietPoint(): Promise<{ epoch: bigint; time: bigint }> {
  for (;;) {
    const b = await comet.block();
    const height = BigInt(b.block.header.height);
    const epoch = (height - 1n) / EPOCH;
    if (height - epoch * EPOCH < EPOCH - 15n) return { epoch, time: BigInt(Math.floor(b.block.header.time.getTime() / 1000)) };
    await new Promise((r) => setTimeout(r, 300));
  }
}

function receipts(n: number, role: 'operator' | 'operator2', at: { epoch: bigint; time: bigint }): Receipt[] {
  const party = { chainId: net.chainId, operator: w[role].address, payer: w.payer.address, payerKey, operatorKey: role === 'operator' ? honestKey : cheatKey };
  return Array.from({ length: n }, (_, i) => {
    const r = unsignedReceipt(party, i, { id: receiptId(i, `fraud-net-${role}`), modelId: MODEL, epoch: at.epoch, startedAt: at.time, finishedAt: at.time });
    return signReceipt(signReceipt(r, 'payer', payerKey), 'operator', party.operatorKey);
  });
}

/** Gossips the batch to node0 (which forwards it), submits it, and reveals the sampled leaves except `withhold`. */
async function publishAndSubmit(role: 'operator' | 'operator2', batch: Batch, withhold?: number): Promise<bigint> {
  const height = BigInt((await comet.status()).syncInfo.latestBlockHeight);
  const key = role === 'operator' ? honestKey : cheatKey;
  const sent = await publishBatch({ chainId: net.chainId, height, batch, signer: key, peers: [(await libp2pAddress(net.node('node0')))!], logger: silentLogger });
  expect(sent).toBe(1);
  const [res] = await send(role, [receiptMsgs.submit(signBatch(batchTerms(batch, 'escrow'), payerKey))]);
  const { batchId } = MsgSubmitBatchResponse.decode(res!);
  // The sample is drawn sample_delay_blocks later (a watcher may have rejected the batch by then).
  const drawn = await eventually('the sample drawn', 20_000, async () => {
    const b = (await batchOf(batchId)).batch!;
    return b.sampleDrawn || b.status !== BatchStatus.BATCH_STATUS_PENDING ? b : undefined;
  });
  const sample = drawn.status === BatchStatus.BATCH_STATUS_PENDING ? drawn.sample.map((x) => x.index) : [];
  const reveal = sample.filter((i) => Number(i) !== withhold).map((i) => receiptMsgs.reveal(w[role].address, batchId, batch.receipts[Number(i)]!, inclusionProof(batch, Number(i))));
  if (reveal.length > 0) {
    const r = await broadcast(role, reveal);
    // A cheater's batch may already be rejected by a watcher between the draw and its reveal.
    if (withhold !== undefined && r.code === ErrBatchNotPending.code) return batchId;
    expect(r.code, r.rawLog).toBe(0);
  }
  return batchId;
}

beforeAll(async () => {
  w = await roleWallets();
  const dir = join(await testDir('cairn-fraud-net-'), 'net');
  net = await Localnet.create({
    dir,
    validators: 4,
    blockTimeMs: 300,
    accounts: (['operator', 'operator2', 'payer', 'author'] as const).map((r) => ({ address: w[r].address, amount: 1_000_000_000n })),
    genesis: {
      receipts: { params: { epoch_blocks: EPOCH.toString(), dispute_window_blocks: '40', reveal_window: '20', escrow_withdraw_delay: '80', sample_count: 2, challenge_bond: { denom: 'ucairn', amount: '1000' } } },
      registry: { params: { min_operator_bond: { denom: 'ucairn', amount: OPERATOR_BOND.toString() }, max_royalty_bps: 5000, trusted_verifiers: [Buffer.from(verifierKey.publicKey).toString('base64')] } },
      emission: { params: { enabled: false, capacity_challenges_per_epoch: 0 } },
    },
  });
  await net.up({ killOnExit: true, timeoutMs: 60_000 });
  rpc = net.rpcUrl('node0');
  comet = await connectComet(rpc);
  const bond = { denom: 'ucairn', amount: OPERATOR_BOND.toString() };
  await Promise.all([
    send('operator', [registryMsgs.registerOperator(w.operator.address, 0, { receiptKey: honestKey.publicKey, bond })]),
    send('operator2', [registryMsgs.registerOperator(w.operator2.address, 1, { receiptKey: cheatKey.publicKey, bond })]),
    send('author', [registryMsgs.registerModel(w.author.address, MODEL, { royaltyBps: 500, recipients: [{ address: w.author.address, weightBps: 10_000 }] })]),
    send('payer', [registryMsgs.authorizePayerKey(w.payer.address, payerKey.publicKey), receiptMsgs.deposit(w.payer.address, 100_000_000n)]),
  ]);
  // Every node must have the registrations committed before it can judge the operators' gossip.
  await net.waitForHeight((await comet.status()).syncInfo.latestBlockHeight + 1, 20_000);
}, 90_000);

afterAll(async () => {
  for (const c of clients.values()) c.disconnect();
  comet?.disconnect();
  await late?.stop();
  await Promise.all(probes.map((p) => p.stop()));
  await net?.down({ reset: true });
});

describe('gossip and watchers on a 4-validator localnet', () => {
  let honest: Batch;
  let honestId: bigint;

  it('finalizes the honest operator’s batch untouched, and a watcher proves the cheater’s forged receipt by itself: slashed and tombstoned within the dispute window', async () => {
    const at = await quietPoint();
    honest = buildBatch(receipts(200, 'operator', at));
    const cheat = receipts(50, 'operator2', at);
    // The operator raises a receipt's units and amount after the payer signed it, and signs it again.
    const original = cheat[7]!;
    const raised = { ...original, unitsOut: original.unitsOut + 1000n, amount: ((original.unitsIn + original.unitsOut + 1000n) * BigInt(original.unitPrice)).toString() };
    cheat[7] = signReceipt(raised, 'operator', cheatKey);
    const cheatBatch = buildBatch(cheat);
    const forgedIndex = cheatBatch.receipts.findIndex((r) => Buffer.compare(r.id, original.id) === 0);

    honestId = await publishAndSubmit('operator', honest);
    const cheatId = await publishAndSubmit('operator2', cheatBatch, forgedIndex);
    const metrics = net.nodes.map((n) => net.metricsUrl(n.name));
    // Gossip reached every node through node0.
    await eventually('both batches in every node’s batch store', 20_000, async () => ((await Promise.all(metrics.map(scrape))).every((m) => m.get('cairn_p2p_batch_store_batches') === 2) ? true : undefined));

    const rejected = await eventually('the cheater’s batch rejected', 30_000, async () => {
      const b = (await batchOf(cheatId)).batch!;
      return b.status === BatchStatus.BATCH_STATUS_REJECTED ? b : undefined;
    });
    const watchers = net.nodes.map((n) => n.watcher);
    expect(rejected.fault!.kind).toBe(FaultKind.FAULT_KIND_RECEIPT_FRAUD);
    expect(watchers).toContain(rejected.fault!.prover);
    expect(rejected.fault!.height).toBeLessThanOrEqual(rejected.disputeEnd);
    expect(rejected.fault!.tombstoned).toBe(true);
    const cheater = await operatorOf(w.operator2.address);
    expect(cheater.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(BigInt(cheater.bond!.amount)).toBe(OPERATOR_BOND / 2n);
    // Exactly one receipt challenge landed (the other watchers' copies are refused or never sent).
    await eventually('the winning watcher counted its challenge', 15_000, async () => ((await scrapeSum(metrics, 'cairn_watcher_challenges_submitted_total{kind="receipt"}')) === 1 ? true : undefined));

    const done = await eventually('the honest batch finalized', 40_000, async () => {
      const r = await batchOf(honestId);
      return r.batch!.status === BatchStatus.BATCH_STATUS_FINALIZED ? r : undefined;
    });
    expect(done.challenges).toEqual([]);
    expect(done.batch!.fault).toBeUndefined();
    expect((await operatorOf(w.operator.address)).status).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
    // Every watcher judged the honest batch (pending for the whole window); a watcher whose poll came
    // after the cheater's batch was already rejected never sees that one pending, so 1 or 2.
    for (const url of metrics) {
      const m = await scrape(url);
      expect(m.get('cairn_watcher_batches_checked_total')).toBeGreaterThanOrEqual(1);
      expect(m.get('cairn_watcher_batches_checked_total')).toBeLessThanOrEqual(2);
      expect(m.get('cairn_watcher_challenges_submitted_total{kind="request_receipt"}')).toBe(0);
    }
  }, 90_000);

  it('a node started after the batches were published fetches the honest one by root from its peers and verifies it', async () => {
    const added = await net.addNode();
    late = await startNode({ home: added.home, logger: silentLogger, withCometbft: true, config: { watcherEnabled: false } });
    const root = honest.header.root;
    // It judges a fetched batch against its own state, so it first syncs past the submission.
    const recorded = await eventually('the late node synced past the batch', 40_000, async () => {
      const r = await late!.app.query({ path: '/cairn.receipts.v1.Query/Batch', data: q.QueryBatchRequest.encode({ id: honestId }).finish(), height: 0n, prove: false } as Parameters<RunningNode['app']['query']>[0]);
      return r.code === 0 ? q.QueryBatchResponse.decode(r.value).batch : undefined;
    });
    expect(await late.p2p!.store.has(root)).toBe(false);
    await eventually('the late node connected over libp2p', 20_000, async () => (late!.p2p!.host.libp2p.getPeers().length >= 1 ? true : undefined));
    const got = await late.p2p!.host.fetchBatch(root);
    expect(got).toBeDefined();
    const rebuilt = buildBatch(got!.opened.body.batch!.receipts);
    expect(Buffer.from(rebuilt.header.root).equals(Buffer.from(root))).toBe(true);
    expect(rebuilt.receipts.flatMap((r) => receiptProblems(r, { chainId: net.chainId, operatorKey: honestKey.publicKey }))).toEqual([]);
    // The late node's own copy of the chain records the same root and totals.
    expect([Buffer.from(recorded!.root).toString('hex'), recorded!.count, BigInt(recorded!.amount!.amount)]).toEqual([Buffer.from(root).toString('hex'), rebuilt.header.count, rebuilt.header.amount]);
    expect(await late.p2p!.store.has(root)).toBe(true);
    expect(late.p2p!.host.counters.fetched).toBe(1);
  }, 60_000);

  /** A libp2p host outside the chain, connected to the four genesis nodes. */
  async function probe(): Promise<P2pHost> {
    const genesis = ['node0', 'node1', 'node2', 'node3'];
    const chain = new MemoryChain(net.chainId);
    chain.register(w.operator.address, honestKey.publicKey);
    const h = await startTestHost(chain, { bootstrap: (await Promise.all(genesis.map((n) => libp2pAddress(net.node(n))))).map((a) => a!) });
    probes.push(h);
    return h;
  }
  const genesisMetrics = () => ['node0', 'node1', 'node2', 'node3'].map((n) => net.metricsUrl(n));

  it('graylists a peer that floods every node with invalid messages, and an honest batch published after still reaches every node', async () => {
    const flooder = await probe();
    const topic = receiptsTopic(net.chainId);
    await eventually('the flooder subscribed-to by every genesis node', 20_000, async () => (flooder.pubsub.getSubscribers(topic).length >= 4 ? true : undefined));
    let sent = 0;
    await eventually('the flooder under the graylist threshold at every genesis node', 40_000, async () => {
      // Distinct garbage (distinct message ids, so deduplication spares nobody).
      for (let i = 0; i < 20; i++, sent++) {
        const junk = new Uint8Array(64).fill(sent & 0xff);
        junk[0] = 0xff;
        junk[1] = sent >> 8;
        await flooder.pubsub.publish(topic, junk).catch(() => undefined);
      }
      const graylisted = await Promise.all(genesisMetrics().map(async (u) => (await scrape(u)).get('cairn_p2p_graylisted_peers') ?? 0));
      return graylisted.every((n) => n >= 1) ? true : undefined;
    }, 500);
    expect(sent).toBeLessThan(2_000);
    const before = await Promise.all(genesisMetrics().map(async (u) => (await scrape(u)).get('cairn_p2p_batch_store_batches') ?? 0));
    const at = await quietPoint();
    const fresh = buildBatch(receipts(20, 'operator', at).map((r, i) => ({ ...r, id: receiptId(i, 'fraud-net-after-flood') })).map((r) => signReceipt(signReceipt(r, 'payer', payerKey), 'operator', honestKey)));
    const height = BigInt((await comet.status()).syncInfo.latestBlockHeight);
    expect(await publishBatch({ chainId: net.chainId, height, batch: fresh, signer: honestKey, peers: [(await libp2pAddress(net.node('node0')))!], logger: silentLogger })).toBe(1);
    await eventually('the honest batch in every genesis node’s batch store', 20_000, async () => {
      const now = await Promise.all(genesisMetrics().map(async (u) => (await scrape(u)).get('cairn_p2p_batch_store_batches') ?? 0));
      return now.every((n, i) => n === before[i]! + 1) ? true : undefined;
    });
  }, 90_000);

  it('a watcher reports an attestation the honest operator gossips with `cairn receipts publish-attestations` that no trusted verifier signed: its whole bond is slashed', async () => {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const fields = { chainId: net.chainId, operator: fromBech32(w.operator.address, BECH32_LIMIT).data, gpuId: 'gpu-0', teeType: TeeType.TEE_TYPE_SEV_SNP, measurement: new Uint8Array(48).fill(3), reportHash: new Uint8Array(32).fill(9), issuedAt: now - 60n, expiresAt: now + 3600n };
    const forged = MsgSubmitAttestation.toJSON({ ...fields, operator: w.operator.address, verifier: forgerKey.publicKey, signature: forgerKey.sign(attestationSignBytes(fields)) });
    const dir = await testDir('cairn-attest-');
    await writeFile(join(dir, 'attestations.json'), JSON.stringify([forged]));
    await writeFile(join(dir, 'key'), Buffer.from(fixedSeed('fraud-net-honest')).toString('hex'));
    const out = await run(process.execPath, [CLI, 'receipts', 'publish-attestations', join(dir, 'attestations.json'), '--operator', w.operator.address, '--key', join(dir, 'key'), '--peer', (await libp2pAddress(net.node('node0')))!, '--node', rpc, '-o', 'json']);
    expect(JSON.parse(out.stdout)).toMatchObject({ attestations: 1, peers: 1 });
    const punished = await eventually('the operator tombstoned', 30_000, async () => {
      const o = await operatorOf(w.operator.address);
      return o.status === OperatorStatus.OPERATOR_STATUS_TOMBSTONED ? o : undefined;
    });
    expect(punished.bond).toEqual({ denom: 'ucairn', amount: '0' });
    await eventually('one report counted across the watchers', 15_000, async () => ((await scrapeSum(genesisMetrics(), 'cairn_watcher_challenges_submitted_total{kind="forged_attestation"}')) === 1 ? true : undefined));
  }, 60_000);
});
