// Every operator fault of the SPEC table this module covers, proved the way the protocol proves it:
// a fraudulent batch is submitted, someone proves the fault (or the chain finds it), and the test
// checks the slash, the prover's reward, the burn, the escrow refund and the jail or tombstone.
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { beforeEach, describe, expect, it } from 'vitest';
import { MsgSubmitAttestationResponse } from '../proto/gen/cairn/registry/v1/tx.ts';
import { OperatorStatus, TeeType } from '../proto/gen/cairn/registry/v1/types.ts';
import { QueryBatchRequest, QueryBatchResponse, QueryReservationRequest, QueryReservationResponse } from '../proto/gen/cairn/receipts/v1/query.ts';
import { BatchStatus, ChallengeKind, FaultKind, type Receipt, ReservationStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { type Batch, buildBatch, inclusionProof } from '../sdk/receipts/batch.ts';
import { SumTree, parentOf, receiptLeaf } from '../sdk/receipts/merkle.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { fixedKey } from './support/receipts-fixtures.ts';
import { CHALLENGE_BOND, FEE, GPU_ID, GPU_PRICE, ReceiptsChain, type Role, receiptMsgs } from './support/receipts-chain.ts';
import { ESCROW_ACCOUNT, PENALTY_ACCOUNT } from '../modules/receipts/keys.ts';
import { attestation, msgs as registryMsgs } from './support/registry.ts';

let rc: ReceiptsChain;

beforeEach(async () => {
  rc = await ReceiptsChain.start();
});

interface Before {
  readonly bond: bigint;
  readonly prover: bigint;
  readonly supply: bigint;
  readonly escrow: { available: bigint; locked: bigint };
}

async function before(prover: Role = 'challenger'): Promise<Before> {
  return { bond: await rc.bond(), prover: await rc.balance(rc.address(prover)), supply: await rc.supply(), escrow: await rc.escrow() };
}

/**
 * The outcome every fault shares: bond cut by `bps`, `challenger_reward_bps` (20%) of the cut to the
 * prover (who paid `fees` tx fees), the rest burned, the penalties account empty.
 */
async function expectPunished(b: Before, bps: bigint, prover: Role | undefined, fees = 1n, credit = 0n): Promise<{ slashed: bigint; reward: bigint }> {
  const slashed = (b.bond * bps) / 10_000n;
  const reward = prover === undefined ? 0n : (slashed * 2000n) / 10_000n;
  expect(await rc.bond()).toBe(b.bond - slashed);
  if (prover !== undefined) expect(await rc.balance(rc.address(prover))).toBe(b.prover + reward + credit - fees * FEE);
  expect(await rc.supply()).toBe(b.supply - (slashed - reward));
  expect(await rc.moduleBalance(PENALTY_ACCOUNT)).toBe(0n);
  return { slashed, reward };
}

async function batchOf(id: bigint) {
  return rc.query('Batch', QueryBatchRequest, QueryBatchResponse, { id });
}

/** A batch whose leaf `bad` is `forged(receipt)` (re-signed by both parties unless `resign` is false). */
function batchWith(n: number, bad: number, forged: (r: Receipt) => Receipt, resign = true): { batch: Batch; index: number } {
  const receipts = rc.receipts(n);
  const target = receipts[bad]!;
  let r = forged(target);
  if (resign) r = signReceipt(signReceipt(r, 'payer', rc.payerKey), 'operator', rc.operatorKey);
  receipts[bad] = r;
  const batch = cheatBatch(receipts);
  return { batch, index: batch.receipts.findIndex((x) => Buffer.from(x.id).equals(Buffer.from(r.id))) };
}

/** What a cheating operator builds: buildBatch's checks skipped, the header taken from the honest receipts. */
function cheatBatch(receipts: Receipt[]): Batch {
  const sorted = receipts.slice().sort((a, b) => Buffer.compare(a.id, b.id));
  const tree = SumTree.build(sorted.map(receiptLeaf));
  const honest = buildBatch(rc.receipts(1));
  return { header: { ...honest.header, root: tree.root.hash, count: tree.root.count, amount: tree.root.amount }, receipts: sorted, tree };
}

describe('receipt fraud (5000 bps, tombstone, batch rejected)', () => {
  const frauds: [string, (r: Receipt) => Receipt, boolean, RegExp][] = [
    ['an amount that is not units × price', (r) => ({ ...r, amount: (BigInt(r.amount) + 1n).toString() }), true, /amount \d+ is not \(units_in \+ units_out\) × unit_price/],
    ['a signature by a key that is not the operator’s', (r) => signReceipt(r, 'operator', fixedKey('stranger')), false, /operator_signature does not verify/],
    ['a payer key the payer never authorised', (r) => signReceipt(signReceipt({ ...r, payerKey: fixedKey('rogue').publicKey }, 'payer', fixedKey('rogue')), 'operator', rc.operatorKey), false, /was not authorised by the payer/],
    ['a time outside the epoch', (r) => ({ ...r, startedAt: r.startedAt - 100n, finishedAt: r.finishedAt - 100n }), true, /outside the batch's window/],
    ['another chain id', (r) => ({ ...r, chainId: 'other-chain' }), true, /chain_id is "other-chain"/],
    ['another model than the batch’s', (r) => ({ ...r, modelId: 'other-model' }), true, /receipt model_id is other-model, the batch's is llama-3-8b/],
    ['a request hash that is not 32 bytes', (r) => ({ ...r, requestHash: new Uint8Array(31) }), true, /request_hash must be 32 bytes/],
  ];

  for (const [what, forge, resign, detail] of frauds) {
    it(`is proved by ChallengeReceipt for ${what}: slash, 20% reward, burn, escrow refund, tombstone`, async () => {
      const { batch, index } = batchWith(6, 2, forge, resign);
      const s = await rc.submit(batch);
      const b = await before();
      const r = await rc.ok('challenger', receiptMsgs.challengeReceipt(rc.address('challenger'), s.id, batch.receipts[index]!, inclusionProof(batch, index)));
      expect(r.code).toBe(0);
      await expectPunished(b, 5000n, 'challenger');
      const res = await batchOf(s.id);
      expect(res.batch!.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
      expect(res.batch!.fault).toMatchObject({ kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD, prover: rc.address('challenger'), tombstoned: true });
      expect(res.batch!.fault!.detail).toMatch(detail);
      expect(res.challenges).toMatchObject([{ kind: ChallengeKind.CHALLENGE_KIND_RECEIPT, outcome: 'fault' }]);
      expect(await rc.escrow()).toEqual({ available: b.escrow.available + batch.header.amount, locked: 0n });
      expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    });
  }

  it('is also the outcome when the operator reveals an invalid receipt it was sampled on', async () => {
    // Every leaf is sampled in a 2-receipt batch, so the forged one must be revealed.
    const { batch, index } = batchWith(2, 0, (r) => ({ ...r, unitsOut: r.unitsOut + 1n }));
    const s = await rc.submit(batch);
    const b = await before('operator');
    const r = await rc.ok('operator', receiptMsgs.reveal(rc.address('operator'), s.id, batch.receipts[index]!, inclusionProof(batch, index)));
    expect(r.code).toBe(0);
    // No reward to the operator for incriminating itself: the whole slash is burned.
    const slashed = (b.bond * 5000n) / 10_000n;
    expect(await rc.bond()).toBe(b.bond - slashed);
    expect(await rc.supply()).toBe(b.supply - slashed);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
  });
});

describe('stale attestation (500 bps, jail)', () => {
  it('is proved when a receipt was served after its attestation expired', async () => {
    const operator = rc.address('operator');
    const raw = rc.chain.app.addresses.decode(operator);
    const issuedAt = rc.timeOf(11n);
    const expiresAt = rc.timeOf(13n);
    const res = await rc.ok('operator', registryMsgs.submitAttestation(attestation(raw, operator, GPU_ID, { teeType: TeeType.TEE_TYPE_NONE, issuedAt, expiresAt })));
    const attestationId = MsgSubmitAttestationResponse.decode(TxMsgData.decode(res.data).msgResponses[0]!.value).id;
    await rc.advanceTo(15n);
    const { batch, index } = batchWith(4, 1, (r) => ({ ...r, attestationId, startedAt: issuedAt, finishedAt: rc.timeOf(14n) }));
    const fine = batch.receipts.find((r, i) => i !== index)!;
    const s = await rc.submit(batch);
    const b = await before();
    // A receipt without an attestation claim is not stale.
    await rc.expectRefused('challenger', receiptMsgs.challengeReceipt(rc.address('challenger'), s.id, fine, inclusionProof(batch, batch.receipts.indexOf(fine))), { code: 16, codespace: 'receipts' }, 'is a valid receipt');
    const b2 = { ...b, prover: b.prover - FEE };
    await rc.ok('challenger', receiptMsgs.challengeReceipt(rc.address('challenger'), s.id, batch.receipts[index]!, inclusionProof(batch, index)));
    await expectPunished(b2, 500n, 'challenger');
    const after = await rc.batch(s.id);
    expect(after.fault).toMatchObject({ kind: FaultKind.FAULT_KIND_STALE_ATTESTATION, tombstoned: false, jailedUntil: rc.height + 5n });
    expect(after.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_JAILED);
  });
});

describe('double claim (5000 bps, tombstone, later batch rejected)', () => {
  it('is proved with the same receipt id in two batches of one operator, each with its proof', async () => {
    const receipts = rc.receipts(5);
    const first = buildBatch(receipts.slice(0, 3));
    const second = buildBatch([receipts[2]!, ...rc.receipts(2)]);
    const a = await rc.submit(first);
    await rc.revealSample(a);
    const bsub = await rc.submit(second);
    const dup = receipts[2]!;
    const ia = first.receipts.indexOf(dup);
    const ib = second.receipts.indexOf(dup);
    const b = await before();
    const escrowBefore = await rc.escrow();
    await rc.ok(
      'challenger',
      receiptMsgs.challengeDoubleClaim(rc.address('challenger'), dup.id, { batchId: a.id, receipt: dup, proof: inclusionProof(first, ia) }, { batchId: bsub.id, receipt: dup, proof: inclusionProof(second, ib) }),
    );
    await expectPunished(b, 5000n, 'challenger');
    expect((await rc.batch(bsub.id)).status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect((await rc.batch(bsub.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
    expect((await rc.batch(a.id)).status).toBe(BatchStatus.BATCH_STATUS_PENDING);
    expect(await rc.escrow()).toEqual({ available: escrowBefore.available + second.header.amount, locked: escrowBefore.locked - second.header.amount });
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
  });

  it('is proved from a receipt revealed in one batch and claimed again in another', async () => {
    const first = buildBatch(rc.receipts(2));
    const a = await rc.submit(first);
    await rc.revealSample(a);
    const dup = first.receipts[0]!;
    const second = buildBatch([dup, ...rc.receipts(3)]);
    const bsub = await rc.submit(second);
    const b = await before();
    const ib = second.receipts.indexOf(dup);
    await rc.ok('challenger', receiptMsgs.challengeDoubleClaim(rc.address('challenger'), dup.id, { batchId: a.id, receipt: undefined, proof: undefined }, { batchId: bsub.id, receipt: dup, proof: inclusionProof(second, ib) }));
    await expectPunished(b, 5000n, 'challenger');
    expect((await rc.batch(bsub.id)).status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
  });

  it('is proved with the same receipt id at two leaves of one batch', async () => {
    const receipts = rc.receipts(3);
    const copy = { ...receipts[0]!, unitsIn: receipts[0]!.unitsIn + 1n };
    const amount = ((copy.unitsIn + copy.unitsOut) * BigInt(copy.unitPrice)).toString();
    const twin = signReceipt(signReceipt({ ...copy, amount }, 'payer', rc.payerKey), 'operator', rc.operatorKey);
    // buildBatch refuses duplicates, so the cheat builds its tree by hand.
    const all = [...receipts, twin];
    const tree = SumTree.build(all.map(receiptLeaf));
    const batch: Batch = { header: { ...buildBatch(receipts).header, root: tree.root.hash, count: tree.root.count, amount: tree.root.amount, units: 0n }, receipts: all, tree };
    const s = await rc.submit(batch);
    const b = await before();
    await rc.ok(
      'challenger',
      receiptMsgs.challengeDoubleClaim(rc.address('challenger'), twin.id, { batchId: s.id, receipt: receipts[0]!, proof: tree.proof(0) }, { batchId: s.id, receipt: twin, proof: tree.proof(3) }),
    );
    await expectPunished(b, 5000n, 'challenger');
    expect((await rc.batch(s.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
  });
});

describe('sum fraud (5000 bps, tombstone, batch rejected)', () => {
  it('is proved by opening a node that claims more than its children hold', async () => {
    const receipts = buildBatch(rc.receipts(8)).receipts;
    const liar = SumTree.build(receipts.map(receiptLeaf), { combine: (l, r, level, pos) => (level === 2 && pos === 1 ? { ...parentOf(l, r), amount: l.amount + r.amount + 1_000_000n } : parentOf(l, r)) });
    const batch: Batch = { header: { ...buildBatch(receipts).header, root: liar.root.hash, amount: liar.root.amount }, receipts, tree: liar };
    const s = await rc.submit(batch);
    const b = await before();
    expect((await rc.escrow()).locked).toBe(liar.root.amount);
    // The root itself adds up: the lie is one level down.
    await rc.expectRefused('challenger', receiptMsgs.challengeSum(rc.address('challenger'), s.id, liar.sumNodeProof(liar.levels.length - 1, 0)), { code: 16, codespace: 'receipts' }, 'adds up');
    await rc.ok('challenger', receiptMsgs.challengeSum(rc.address('challenger'), s.id, liar.sumNodeProof(2, 1)));
    await expectPunished({ ...b, prover: b.prover - FEE }, 5000n, 'challenger');
    const after = await rc.batch(s.id);
    expect(after.fault).toMatchObject({ kind: FaultKind.FAULT_KIND_SUM_FRAUD, tombstoned: true });
    expect(await rc.escrow()).toEqual({ available: b.escrow.available + liar.root.amount, locked: 0n });
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
  });
});

describe('unrevealed sample (5000 bps, tombstone, batch rejected)', () => {
  it('is found by the chain itself when the sample is not revealed in time: receipt fraud, all of the slash burned', async () => {
    const batch = buildBatch(rc.receipts(10));
    const s = await rc.submit(batch);
    const pending = await rc.batch(s.id);
    const b = await before();
    await rc.advanceTo(pending.revealDeadline - 1n);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_PENDING);
    await rc.advanceTo(pending.revealDeadline);
    await expectPunished(b, 5000n, undefined);
    const after = await rc.batch(s.id);
    expect(after.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(after.fault).toMatchObject({ kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD, prover: '', tombstoned: true });
    expect(after.fault!.detail).toMatch(/^unrevealed sample: sampled leaves/);
    expect(await rc.escrow()).toEqual({ available: b.escrow.available + batch.header.amount, locked: 0n });
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
  });
});

describe('data unavailable (1000 bps, jail, batch rejected)', () => {
  it('is proved by a RequestReceipt left unanswered: the requester gets the bond back and the reward', async () => {
    const s = await rc.honestBatch(10);
    const unsampled = [...Array(10).keys()].map(BigInt).find((i) => !s.sample.includes(i))!;
    const b = await before();
    const r = await rc.ok('challenger', receiptMsgs.request(rc.address('challenger'), s.id, unsampled));
    expect(r.code).toBe(0);
    expect(await rc.moduleBalance(ESCROW_ACCOUNT)).toBe(b.escrow.available + b.escrow.locked + CHALLENGE_BOND);
    const deadline = rc.height + 3n;
    await rc.advanceTo(deadline);
    await expectPunished(b, 1000n, 'challenger');
    const res = await batchOf(s.id);
    expect(res.batch!.fault).toMatchObject({ kind: FaultKind.FAULT_KIND_DATA_UNAVAILABLE, prover: rc.address('challenger') });
    expect(res.challenges).toMatchObject([{ kind: ChallengeKind.CHALLENGE_KIND_REQUEST, index: unsampled, outcome: 'fault' }]);
    expect(res.requests).toEqual([]);
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_JAILED);
  });
});

describe('a griefer who requests a receipt the operator has', () => {
  it('loses the bond to the operator, and the batch still settles', async () => {
    const s = await rc.honestBatch(10);
    const unsampled = [...Array(10).keys()].map(BigInt).find((i) => !s.sample.includes(i))!;
    const griefer = await rc.balance(rc.address('griefer'));
    await rc.ok('griefer', receiptMsgs.request(rc.address('griefer'), s.id, unsampled));
    const operator = await rc.balance(rc.address('operator'));
    const bond = await rc.bond();
    const i = Number(unsampled);
    await rc.ok('operator', receiptMsgs.reveal(rc.address('operator'), s.id, s.batch.receipts[i]!, inclusionProof(s.batch, i)));
    expect(await rc.balance(rc.address('griefer'))).toBe(griefer - FEE - CHALLENGE_BOND);
    expect(await rc.balance(rc.address('operator'))).toBe(operator - FEE + CHALLENGE_BOND);
    expect(await rc.bond()).toBe(bond);
    const res = await batchOf(s.id);
    expect(res.challenges).toMatchObject([{ kind: ChallengeKind.CHALLENGE_KIND_REQUEST, outcome: 'revealed' }]);
    await rc.advanceTo(res.batch!.disputeEnd);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
  });
});

describe('reserved-job refusal (100 bps, payer refunded)', () => {
  it('refunds the payer, slashes the operator and pays the payer the reward when a reservation is not started in time', async () => {
    const payer = rc.address('payer');
    const before1 = await rc.balance(payer);
    await rc.ok('payer', receiptMsgs.reserve(payer, rc.address('operator'), GPU_ID, 2, 3n));
    const price = GPU_PRICE * 2n * 3n;
    expect(await rc.balance(payer)).toBe(before1 - FEE - price);
    const deadline = rc.height + 3n;
    await rc.expectRefused('payer', receiptMsgs.refusal(payer, 1n), { code: 26, codespace: 'receipts' }, 'may start reservation 1 until height');
    await rc.advanceTo(deadline);
    const b = await before('payer');
    await rc.ok('payer', receiptMsgs.refusal(payer, 1n));
    await expectPunished(b, 100n, 'payer', 1n, price);
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
    await rc.expectRefused('payer', receiptMsgs.refusal(payer, 1n), { code: 26, codespace: 'receipts' });
    const res = await rc.query('Reservation', QueryReservationRequest, QueryReservationResponse, { id: 1n });
    expect(res.reservation).toMatchObject({ status: ReservationStatus.RESERVATION_STATUS_REFUSED, fault: { kind: FaultKind.FAULT_KIND_RESERVATION_REFUSAL } });
  });
});
