// Issue 13's rows that had never run on a real node, on a real localnet: 4 validators (real CometBFT
// processes, each node with its watcher and availability prober) and the 3 GPU operators of
// `localnet up --operators 3`, over several short epochs with minting on. Everything is checked
// through the queries a user would make (emission, registry, receipts, bank at a height, tx search):
//
// - operator0 serves paid receipts each epoch: emission pays it and the validators at the epoch's end,
//   within a budget that halves every epoch as the test genesis schedules it, and the supply grows
//   by exactly what was minted;
// - the validators' probers find operator0's endpoint up and the others down, and their reports land
//   on chain every epoch; the stake-weighted median becomes operator0's uptime;
// - the chain's capacity challenges: operator0 and operator1 answer theirs (as their benchmark runner
//   would), operator2 cannot, and is slashed for fake capacity, jailed and loses the GPU commitment;
//   a bonded challenge naming operator0 upper-cased (issue 13, finding 8) is refused;
// - operator0's reputation grows from paid epochs, uptime and passed challenges, in the registry too;
// - reservations: one started by operator0, one operator1 never starts (the payer is refunded and
//   operator1 slashed), and one on the jailed operator2 refused at the door.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { type EncodeObject, decodeTxRaw } from '@cosmjs/proto-signing';
import { QueryClient, SigningStargateClient } from '@cosmjs/stargate';
import { type CometClient, connectComet } from '@cosmjs/tendermint-rpc';
import { QueryClientImpl as BankQuery } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleAddress } from '../core/framework/address.ts';
import { Localnet, libp2pAddress } from '../localnet/index.ts';
import { OPERATOR_BOND, type PlaygroundOperator, answerCapacityChallenges } from '../localnet/playground.ts';
import { FEE_COLLECTOR } from '../modules/auth/api.ts';
import { silentLogger } from '../node/log.ts';
import { publishBatch } from '../node/p2p/publish.ts';
import { type CapacityChallenge, ChallengeStatus } from '../proto/gen/cairn/emission/v1/types.ts';
import { MsgReportAvailability } from '../proto/gen/cairn/emission/v1/tx.ts';
import { MsgReportRefusalResponse, MsgReserveCapacityResponse, MsgSubmitBatchResponse } from '../proto/gen/cairn/receipts/v1/tx.ts';
import { BatchStatus, ReservationStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { ed25519FromSeed } from '../sdk/ed25519.ts';
import { EMISSION_TYPE_URLS, emissionMsgs } from '../sdk/emission/messages.ts';
import { queryEmission } from '../sdk/emission/queries.ts';
import { Keyring } from '../sdk/keyring/keyring.ts';
import { type Batch, buildBatch, inclusionProof, signBatchAsPayer, signReceipt, signedLedger } from '../sdk/index.ts';
import { type AbciQuery, protobufRpc } from '../sdk/queries.ts';
import { receiptsMsgs } from '../sdk/receipts/messages.ts';
import { queryReceipts } from '../sdk/receipts/queries.ts';
import { registryMsgs } from '../sdk/registry/messages.ts';
import { queryRegistry } from '../sdk/registry/queries.ts';
import { eventually, scrapeSum } from './support/localnet.ts';
import { type LoopbackHttps, startLoopbackHttps } from './support/loopback-https.ts';
import { receiptId, unsignedReceipt } from './support/receipts-fixtures.ts';
import { testDir } from './support/test-dirs.ts';

const EPOCH = 36n;
/** Epoch 0's budget; one epoch a year and a halving every year: epoch e's budget is YEAR0 / 2^e. */
const YEAR0 = 200_000n;
const BPS = 10_000n;
const VALIDATOR_SHARE_BPS = 2000n;
const START_WINDOW = 8n;
const FEE = { amount: [{ denom: 'ucairn', amount: '40000' }], gas: '1500000' };
const FEE_AMOUNT = 40_000n;

let net: Localnet;
let comet: CometClient;
let base: QueryClient;
let https: LoopbackHttps;
let operators: readonly PlaygroundOperator[];
let payer: { address: string; key: string };
const clients = new Map<string, SigningStargateClient>();
const savedCa = process.env['NODE_EXTRA_CA_CERTS'];

/** ABCI queries at `height` (0: the latest). */
const abciAt =
  (height = 0): AbciQuery =>
  async (path, request) =>
    (await base.queryAbci(path, request, height === 0 ? undefined : height)).value;
const emission = (height = 0) => queryEmission(abciAt(height));
const receipts = queryReceipts(abciAt());
const registry = queryRegistry(abciAt());
const bank = (height: number) => new BankQuery(protobufRpc(abciAt(height)));
const balance = async (address: string, height: number): Promise<bigint> => BigInt((await bank(height).Balance({ address, denom: 'ucairn' })).balance!.amount);
const supply = async (height: number): Promise<bigint> => BigInt((await bank(height).SupplyOf({ denom: 'ucairn' })).amount!.amount);
const height = async (): Promise<bigint> => BigInt((await comet.status()).syncInfo.latestBlockHeight);
const endOf = (epoch: bigint): bigint => (epoch + 1n) * EPOCH;

/** One transaction at a time per account (the test and the benchmark runners share operators' keys). */
const turns = new Map<string, Promise<unknown>>();
function inTurn<T>(key: string, job: () => Promise<T>): Promise<T> {
  const run = (turns.get(key) ?? Promise.resolve()).then(job, job);
  turns.set(key, run.catch(() => undefined));
  return run;
}

function send(who: { address: string; key: string }, msgs: EncodeObject[]): Promise<{ code: number; log: string; height: number; responses: Uint8Array[] }> {
  return inTurn(who.key, async () => {
    let c = clients.get(who.key);
    if (c === undefined) {
      c = await SigningStargateClient.connectWithSigner(net.rpcUrl('node0'), await new Keyring({ dir: net.manifest.playground!.keyringDir, backend: 'test' }).signer(who.key), { registry: cairnRegistry(), broadcastPollIntervalMs: 150 });
      clients.set(who.key, c);
    }
    const r = await c.signAndBroadcast(who.address, msgs, FEE);
    return { code: r.code, log: r.rawLog ?? '', height: r.height, responses: r.msgResponses.map((m) => m.value) };
  });
}

async function ok(who: { address: string; key: string }, msgs: EncodeObject[]): Promise<{ height: number; responses: Uint8Array[] }> {
  const r = await send(who, msgs);
  expect(r.code, r.log).toBe(0);
  return r;
}

/** Waits for a block early in its epoch (so the test's own transactions stay clear of the epoch's last blocks). */
async function earlyInEpoch(latest = EPOCH / 3n): Promise<{ epoch: bigint; time: bigint }> {
  return eventually('a block early in an epoch', 60_000, async () => {
    const b = await comet.block();
    const h = BigInt(b.block.header.height);
    const epoch = (h - 1n) / EPOCH;
    return h - epoch * EPOCH <= latest ? { epoch, time: BigInt(Math.floor(b.block.header.time.getTime() / 1000)) } : undefined;
  });
}

const seedKey = async (file: string) => ed25519FromSeed(new Uint8Array(Buffer.from((await readFile(file, 'utf8')).trim(), 'hex')));

/**
 * operator0 serves ten receipts (~19 CAIRN) early in an epoch, the payer's software signs the batch
 * it rebuilt from its own receipts, operator0 gossips it to the watchers, submits it and reveals
 * whatever the chain asks until it finalizes. Returns the epoch and the batch.
 */
async function serveOneEpoch(label: string): Promise<{ epoch: bigint; batch: Batch }> {
  const p = net.manifest.playground!;
  const op = operators[0]!;
  const [payerKey, operatorKey] = await Promise.all([seedKey(p.payer.payerKeyFile), seedKey(op.receiptKeyFile)]);
  const at = await earlyInEpoch();
  const party = { chainId: net.chainId, operator: op.address, payer: p.payer.address, payerKey, operatorKey };
  const signed = Array.from({ length: 10 }, (_, i) =>
    signReceipt(unsignedReceipt(party, i, { id: receiptId(i, `emission-net-${label}`), modelId: p.model, epoch: at.epoch, startedAt: at.time, finishedAt: at.time, unitPrice: '6000' }), 'payer', payerKey),
  );
  const batch = buildBatch(signed.map((r) => signReceipt(r, 'operator', operatorKey)));
  const submit = signBatchAsPayer(batch, 'escrow', payerKey, signedLedger(signed));
  expect(await publishBatch({ chainId: net.chainId, height: await height(), batch, signer: operatorKey, peers: [(await libp2pAddress(net.node('node0')))!], logger: silentLogger })).toBe(1);
  const { responses } = await ok(op, [receiptsMsgs.MsgSubmitBatch(submit)]);
  const id = MsgSubmitBatchResponse.decode(responses[0]!).batchId;
  const answered = new Set<bigint>();
  const settled = await eventually(`batch ${id} finalized`, 120_000, async () => {
    const r = await receipts.batch({ id });
    const b = r.batch!;
    if (b.status === BatchStatus.BATCH_STATUS_FINALIZED) return b.settledHeight;
    if (b.status !== BatchStatus.BATCH_STATUS_PENDING) throw new Error(`batch ${id} is ${b.status}: ${b.fault?.detail ?? ''}`);
    const asked = [...b.sample.filter((s) => !s.revealed).map((s) => s.index), ...r.requests.map((x) => x.index)].filter((i) => !answered.has(i));
    if (asked.length > 0) {
      const sent = await send(op, asked.map((i) => receiptsMsgs.MsgRevealReceipt({ sender: op.address, batchId: id, receipt: batch.receipts[Number(i)]!, proof: inclusionProof(batch, Number(i)) })));
      if (sent.code === 0) for (const i of asked) answered.add(i);
    }
    return undefined;
  }, 300);
  // Usage counts in the epoch the batch finalized in: submitted by block 10 of 36 with a 15-block
  // window, that is the same epoch, and well before its last block.
  expect((settled - 1n) / EPOCH).toBe(at.epoch);
  expect(settled).toBeLessThan(endOf(at.epoch));
  return { epoch: at.epoch, batch };
}

/** What operator0's and operator1's benchmark runners do: answer every capacity challenge the chain picks. operator2 has none. */
let runners: Promise<void> | undefined;
let stopRunners = false;
async function runBenchmarks(): Promise<void> {
  const p = net.manifest.playground!;
  while (!stopRunners) {
    // A node busy under load: the next round tries again (the window is 20 blocks).
    for (const op of operators.slice(0, 2)) await inTurn(op.key, () => answerCapacityChallenges({ ...p, operators: [op] }, { rpc: net.rpcUrl('node0'), chainId: net.chainId })).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 400));
  }
}

/** Every capacity challenge so far, as anyone lists them: ids count up from 1. */
async function allChallenges(): Promise<CapacityChallenge[]> {
  const out: CapacityChallenge[] = [];
  for (let id = 1n; ; id++) {
    const c = await emission().challenge({ id }).catch(() => undefined);
    if (c?.challenge === undefined) return out;
    out.push(c.challenge);
  }
}

beforeAll(async () => {
  // operator0's endpoint: a real HTTPS server on loopback, trusted by the nodes' probers (the
  // playground's endpoints are unreachable .invalid names, so operator1 and operator2 stay down).
  https = await startLoopbackHttps();
  process.env['NODE_EXTRA_CA_CERTS'] = https.caFile;
  const dir = join(await testDir('cairn-emission-net-'), 'net');
  net = await Localnet.create({
    dir,
    validators: 4,
    operators: 3,
    blockTimeMs: 400,
    availabilityProbeMs: 1000,
    genesis: {
      receipts: { params: { epoch_blocks: EPOCH.toString(), dispute_window_blocks: '15', reveal_window: '10', escrow_withdraw_delay: '30', sample_count: 2, start_window: START_WINDOW.toString(), challenge_bond: { denom: 'ucairn', amount: '1000' } } },
      // Tiny budgets that halve every epoch, so the schedule (not the fee guard) bounds what is
      // minted; one operator may take the whole pool; every GPU is challenged every epoch.
      emission: { params: { year0_budget: YEAR0.toString(), epochs_per_year: '1', halving_interval_years: 1, max_operator_share_bps: 10_000, capacity_challenges_per_epoch: 3, capacity_window: '20' } },
    },
  });
  await net.up({ killOnExit: true, timeoutMs: 180_000 });
  comet = await connectComet(net.rpcUrl('node0'));
  base = new QueryClient(comet);
  const p = net.manifest.playground!;
  operators = p.operators;
  payer = p.payer;
  runners = runBenchmarks();
  const op0 = operators[0]!;
  await ok(op0, [registryMsgs.MsgUpdateOperator({ operator: op0.address, moniker: op0.key, endpoints: [`${https.url}/v1`], region: 'local', linkedHosts: [] })]);
}, 300_000);

afterAll(async () => {
  stopRunners = true;
  await runners;
  for (const c of clients.values()) c.disconnect();
  comet?.disconnect();
  await net?.down({ reset: true });
  await https?.close();
  if (savedCa === undefined) delete process.env['NODE_EXTRA_CA_CERTS'];
  else process.env['NODE_EXTRA_CA_CERTS'] = savedCa;
});

describe('emission on a 4-validator localnet with the playground’s operators', () => {
  const served: { epoch: bigint; batch: Batch }[] = [];

  it('mints each epoch what operator0’s paid usage earned, within a budget that halves as scheduled: operator0 and the validators are paid and the supply grows by exactly what was minted', async () => {
    served.push(await serveOneEpoch('a'));
    served.push(await serveOneEpoch('b'));
    const [first, second] = served.map((s) => s.epoch);
    expect(second).toBeGreaterThan(first!);
    await eventually(`the end of epoch ${second}`, 60_000, async () => ((await height()) > endOf(second!) ? true : undefined));

    const distribution = toBech32('cairn', moduleAddress('distribution'));
    const feeCollector = toBech32('cairn', moduleAddress(FEE_COLLECTOR));
    for (const { epoch, batch } of served) {
      const { emission: e, rewards } = await emission().epoch({ epoch });
      const H = Number(e!.height);
      expect(BigInt(H)).toBe(endOf(epoch));
      // The schedule: epoch e's budget is YEAR0 / 2^e (one epoch a year, a halving every year).
      expect(e!.scheduled).toBe((YEAR0 / 2n ** epoch).toString());
      expect(e!.budget).toBe(e!.scheduled);
      const budget = BigInt(e!.budget);
      // operator0 is the only operator with paid usage: the usage and jobs weights are all its own.
      const r0 = rewards.find((r) => r.operator === operators[0]!.address)!;
      expect(BigInt(r0.escrowAmount)).toBe(batch.header.amount);
      const pool = (budget * (BPS - VALIDATOR_SHARE_BPS)) / BPS;
      expect(BigInt(r0.usageReward)).toBe((pool * 6000n) / BPS);
      expect(BigInt(r0.jobsReward)).toBe((pool * 2000n) / BPS);
      // Its fees (5% of ~19 CAIRN) allow far more than the budget: the schedule bounds it.
      expect(r0.feeGuardCut).toBe('0');
      expect(BigInt(r0.total)).toBeGreaterThan(0n);
      const minted = BigInt(e!.minted);
      expect(minted).toBe(BigInt(e!.operatorsMinted) + BigInt(e!.validatorsMinted));
      expect(minted).toBeLessThanOrEqual(budget);
      expect(BigInt(e!.validatorsMinted)).toBe(rewards.reduce((n, r) => n + BigInt(r.validatorsReward), 0n));
      expect(BigInt(e!.validatorsMinted)).toBeGreaterThan(0n);

      // What anyone sees in the bank at the epoch's last block and the one before. Nothing else
      // mints or burns in that block: the batches finalized earlier in the epoch, fake-capacity
      // faults fall 21 blocks after an epoch's end, and the test's own transactions (the refusal's
      // slash) keep clear of epoch ends.
      expect(await supply(H)).toBe(BigInt(e!.supplyAfter));
      expect((await supply(H)) - (await supply(H - 1))).toBe(minted);
      expect((await balance(operators[0]!.address, H)) - (await balance(operators[0]!.address, H - 1))).toBe(BigInt(r0.total));
      // Distribution received the last block's fees (its begin block) and the validators' share of
      // the emission (its end block), and pays them out to validators and delegators by power.
      const received = (await balance(distribution, H)) - (await balance(distribution, H - 1));
      expect(received).toBe((await balance(feeCollector, H - 1)) + BigInt(e!.validatorsMinted));
    }
    // The minted total is the sum of the epochs' mints (quiet epochs mint nothing).
    const status = await emission(Number(endOf(second!))).status();
    const epochs = await Promise.all(Array.from({ length: Number(second!) + 1 }, (_, i) => emission().epoch({ epoch: BigInt(i) })));
    expect(BigInt(status.mintedTotal)).toBe(epochs.reduce((n, x) => n + BigInt(x.emission?.minted ?? '0'), 0n));
  }, 300_000);

  it('the validators’ probers report every epoch: operator0 up, the others down; the stake-weighted median is operator0’s uptime', async () => {
    const watchers = new Set(net.nodes.map((n) => n.watcher!));
    const validators = new Set(net.nodes.map((n) => n.operator!.address));
    const served0 = served.map((s) => s.epoch);
    // Reports as anyone finds them: the transactions carrying MsgReportAvailability, by epoch.
    const reportsOf = async (epoch: bigint) => {
      const txs = await comet.txSearchAll({ query: `report_availability.epoch='${epoch}'` });
      return txs.txs.flatMap((t) => decodeTxRaw(t.tx).body.messages.filter((m) => m.typeUrl === EMISSION_TYPE_URLS.MsgReportAvailability).map((m) => MsgReportAvailability.decode(m.value)));
    };
    const reports = await eventually('reports of three validators for an epoch operator0 served in', 30_000, async () => {
      for (const epoch of served0) {
        const r = await reportsOf(epoch);
        if (new Set(r.map((x) => x.validator)).size >= 3) return r;
      }
      return undefined;
    });
    for (const r of reports) {
      expect(validators).toContain(r.validator);
      // Signed by the node's watcher key, which the validator named its reporter when the localnet came up.
      expect(watchers).toContain(r.reporter);
      const byOperator = new Map(r.reports.map((x) => [x.operator, x.uptimeBps]));
      expect(byOperator.get(operators[0]!.address)).toBeGreaterThan(0);
      expect(byOperator.get(operators[1]!.address)).toBe(0);
    }
    expect(https.requests()).toBeGreaterThan(0);
    const metrics = net.nodes.map((n) => net.metricsUrl(n.name));
    expect(await scrapeSum(metrics, 'cairn_availability_reports_total')).toBeGreaterThanOrEqual(3);
    // The epoch's reward for uptime: operator0 alone was up, so the whole uptime weight is its own.
    const epoch = reports[0]!.epoch;
    const { emission: e, rewards } = await emission().epoch({ epoch });
    const r0 = rewards.find((r) => r.operator === operators[0]!.address)!;
    const pool = (BigInt(e!.budget) * (BPS - VALIDATOR_SHARE_BPS)) / BPS;
    expect(BigInt(r0.uptimeReward)).toBe((pool * 1000n) / BPS);
  }, 60_000);

  it('capacity challenges: operator0 and operator1 prove theirs; operator2 cannot and is slashed for fake capacity, jailed and loses the GPU commitment; a challenge naming operator0 upper-cased is refused', async () => {
    const failed = await eventually('operator2 slashed for fake capacity', 60_000, async () => (await allChallenges()).find((c) => c.status === ChallengeStatus.CHALLENGE_STATUS_FAILED));
    expect(failed.operator).toBe(operators[2]!.address);
    const o2 = await registry.operator({ address: operators[2]!.address });
    expect(o2.operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_JAILED);
    // fake_capacity_bps 2000 of the bond, burned (a chain pick has no challenger to reward).
    expect(BigInt(o2.operator!.bond!.amount)).toBe((OPERATOR_BOND * 8000n) / BPS);
    expect(o2.gpus).toEqual([]);
    const settled = (await allChallenges()).filter((c) => c.status !== ChallengeStatus.CHALLENGE_STATUS_OPEN);
    for (const op of operators.slice(0, 2)) {
      const mine = settled.filter((c) => c.operator === op.address);
      expect(mine.length, `${op.key}'s challenges`).toBeGreaterThan(0);
      expect(mine.map((c) => c.status)).toEqual(mine.map(() => ChallengeStatus.CHALLENGE_STATUS_PASSED));
      const o = await registry.operator({ address: op.address });
      expect(o.operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
      expect(o.gpus.map((g) => g.count)).toEqual([8]);
    }
    // Finding 8's second half: a bonded challenge naming operator0 upper-cased (the same bytes)
    // would open a challenge its normal proof misses; the chain refuses that spelling.
    const faucet = { address: net.manifest.faucet.address, key: 'faucet' };
    const shouted = await send(faucet, [emissionMsgs.MsgChallengeCapacity({ challenger: faucet.address, operator: operators[0]!.address.toUpperCase(), gpuId: operators[0]!.gpuId })]).then((r) => `code ${r.code}: ${r.log}`, (e: Error) => e.message);
    expect(shouted).toMatch(/code 7\b/);
    expect(shouted).toContain(`upper-case spelling; write it as ${operators[0]!.address}`);
  }, 90_000);

  it('reputation: operator0’s paid epochs, uptime and passed challenges raise its score, in the registry’s catalog too', async () => {
    const last = served.at(-1)!.epoch;
    const rep = (await emission().reputation({ operator: operators[0]!.address })).reputation!;
    expect(rep.updatedEpoch).toBeGreaterThanOrEqual(last);
    expect(rep.activeEpochs).toBeGreaterThanOrEqual(2n);
    expect(BigInt(rep.paidAmount)).toBeGreaterThanOrEqual(served.reduce((n, s) => n + s.batch.header.amount, 0n));
    expect(rep.challengesPassed).toBeGreaterThanOrEqual(1n);
    expect(rep.faults).toBe(0n);
    expect(rep.score).toBeGreaterThan(0);
    expect((await registry.operator({ address: operators[0]!.address })).operator!.reputation).toBe(BigInt(rep.score));
    // The epoch's reputation root commits to it.
    const roots = await emission().roots({ epoch: rep.updatedEpoch });
    expect(roots.reputation!.operators).toBeGreaterThanOrEqual(1n);
  }, 30_000);

  it('reservations: operator0 starts one; operator1 never starts its own, so the payer is refunded and operator1 slashed; one on the jailed operator2 is refused', async () => {
    const [op0, op1, op2] = operators as [PlaygroundOperator, PlaygroundOperator, PlaygroundOperator];
    await earlyInEpoch(EPOCH / 2n);
    const reserve = (op: PlaygroundOperator) => receiptsMsgs.MsgReserveCapacity({ payer: payer.address, operator: op.address, gpuId: op.gpuId, gpuCount: 1, hours: 1n });
    const { responses } = await ok(payer, [reserve(op0), reserve(op1)]);
    const [started, refused] = responses.map((r) => MsgReserveCapacityResponse.decode(r));
    // 2 CAIRN an hour per GPU (the playground's price), held by the chain until the job ran.
    expect(started!.amount).toEqual({ denom: 'ucairn', amount: '2000000' });
    await ok(op0, [receiptsMsgs.MsgStartReservation({ operator: op0.address, reservationId: started!.reservationId })]);
    expect((await receipts.reservation({ id: started!.reservationId })).reservation!.status).toBe(ReservationStatus.RESERVATION_STATUS_ACTIVE);

    // The jailed operator2 cannot be reserved: refused, nothing taken but the fee.
    const before = await receipts.reservations({ payer: payer.address });
    const door = await send(payer, [reserve(op2)]).then((r) => `code ${r.code}: ${r.log}`, (e: Error) => e.message);
    expect(door).toMatch(/code 8\b[^]*operator is not active/);
    expect((await receipts.reservations({ payer: payer.address })).reservations).toHaveLength(before.reservations.length);

    // operator1 lets its start window pass; the payer reports it and gets the price back.
    await eventually('operator1’s start window over', 30_000, async () => ((await height()) > refused!.startDeadline ? true : undefined));
    await earlyInEpoch(EPOCH - 8n);
    const bond1 = BigInt((await registry.operator({ address: op1.address })).operator!.bond!.amount);
    const report = await ok(payer, [receiptsMsgs.MsgReportRefusal({ payer: payer.address, reservationId: refused!.reservationId })]);
    expect(MsgReportRefusalResponse.decode(report.responses[0]!).refunded).toEqual(refused!.amount);
    const r1 = (await receipts.reservation({ id: refused!.reservationId })).reservation!;
    expect(r1.status).toBe(ReservationStatus.RESERVATION_STATUS_REFUSED);
    // refusal_bps 100 of operator1's bond; a fifth of it to the payer who reported it.
    const slash = (bond1 * 100n) / BPS;
    expect(BigInt((await registry.operator({ address: op1.address })).operator!.bond!.amount)).toBe(bond1 - slash);
    const gained = (await balance(payer.address, report.height)) - (await balance(payer.address, report.height - 1));
    expect(gained).toBe(BigInt(refused!.amount!.amount) + (slash * 2000n) / BPS - FEE_AMOUNT);
  }, 60_000);
});
