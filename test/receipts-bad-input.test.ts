// Bad input: each gets its own error code and log, and changes nothing but the fee (or not even that
// when CheckTx refuses it). The snapshot covers the receipts, royalty and registry state and every
// balance involved.
import { beforeEach, describe, expect, it } from 'vitest';
import { type Batch, buildBatch, inclusionProof } from '../sdk/receipts/batch.ts';
import { SumTree, receiptLeaf } from '../sdk/receipts/merkle.ts';
import { ADAPTER, BASE_MODEL, GPU_ID, OPERATOR_BOND, ReceiptsChain, receiptMsgs } from './support/receipts-chain.ts';
import { msgs as registryMsgs } from './support/registry.ts';
import { BatchStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { U128_MAX } from '../sdk/bytes.ts';
import { QueryParamsRequest, QueryParamsResponse } from '../proto/gen/cairn/receipts/v1/query.ts';

let rc: ReceiptsChain;
const E = (code: number) => ({ code, codespace: 'receipts' });
const ERR = {
  invalidAmount: E(4),
  insufficientEscrow: E(5),
  tooManyWithdrawals: E(6),
  invalidBatch: E(7),
  notActive: E(8),
  duplicateRoot: E(9),
  invalidEpoch: E(10),
  batchNotFound: E(11),
  notPending: E(12),
  invalidProof: E(14),
  notRequested: E(15),
  noFault: E(16),
  duplicateEvidence: E(17),
  invalidChallenge: E(19),
  invalidBond: E(20),
  alreadyRequested: E(21),
  tooManyRequests: E(22),
  reservationNotFound: E(23),
  invalidReservation: E(24),
  notReservable: E(25),
  reservationState: E(26),
  notParty: E(27),
};

// Windows long enough that no deadline falls inside a test's refused blocks.
const WINDOWS = { reveal_window: '20', dispute_window_blocks: '30', escrow_withdraw_delay: '60' };

beforeEach(async () => {
  rc = await ReceiptsChain.start({ receipts: WINDOWS });
});

const op = () => rc.address('operator');
const payer = () => rc.address('payer');

describe('escrow', () => {
  it('refuses a deposit in another denom and a withdrawal of more than is available', async () => {
    await rc.expectRefused('payer', { ...receiptMsgs.deposit(payer(), 5n), value: { payer: payer(), amount: { denom: 'uatom', amount: '5' } } }, ERR.invalidAmount, 'escrow is in ucairn');
    const { available } = await rc.escrow();
    await rc.expectRefused('payer', receiptMsgs.withdraw(payer(), available + 1n), ERR.insufficientEscrow);
    await rc.ok('payer', receiptMsgs.withdraw(payer(), available - 10n));
    // What pending withdrawals asked for is not asked twice.
    await rc.expectRefused('payer', receiptMsgs.withdraw(payer(), 11n), ERR.insufficientEscrow, '10ucairn available and not already asked for');
    await rc.ok('payer', receiptMsgs.withdraw(payer(), 5n));
    await rc.ok('payer', receiptMsgs.withdraw(payer(), 5n));
    await rc.expectRefused('payer', receiptMsgs.withdraw(payer(), 1n), ERR.tooManyWithdrawals);
  });
});

describe('MsgSubmitBatch', () => {
  let batch: Batch;
  beforeEach(() => {
    batch = buildBatch(rc.receipts(4));
  });

  it('refuses too little escrow', async () => {
    const poor = await ReceiptsChain.start({ escrow: 10n, receipts: WINDOWS });
    const b = buildBatch(poor.receipts(3));
    await poor.expectRefused('operator', receiptMsgs.submit(poor.submitMsg(b, 'escrow')), ERR.insufficientEscrow, `has 10ucairn available; the batch needs ${b.header.amount}ucairn`);
    // OFFCHAIN batches need no escrow.
    await poor.submit(b, 'offchain');
  });

  it('refuses amounts that overflow 128 bits, a zero count, a bad root and mixed settlement fields', async () => {
    const msg = rc.submitMsg(batch, 'escrow');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...msg, amount: (U128_MAX + 1n).toString() }), ERR.invalidBatch, 'does not fit in 128 bits');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...msg, amount: '-1' }), ERR.invalidBatch);
    await rc.expectRefused('operator', receiptMsgs.submit({ ...msg, count: 0n }), ERR.invalidBatch, 'count is 0');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...msg, root: new Uint8Array(31) }), ERR.invalidBatch, 'root has 31 bytes');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...msg, paymentRefsRoot: new Uint8Array(32) }), ERR.invalidBatch, 'an ESCROW batch carries no payment_refs_root');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...rc.submitMsg(batch, 'offchain'), paymentRefsRoot: new Uint8Array() }), ERR.invalidBatch, 'OFFCHAIN batch carries a 32-byte');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...msg, mode: 0 }), ERR.invalidBatch, 'neither ESCROW nor OFFCHAIN');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...msg, count: 1n << 40n }), ERR.invalidBatch, 'exceeds max_batch_count');
  });

  it('refuses an unknown model, an adapter of another base, a root submitted before, and epochs not open', async () => {
    const msg = rc.submitMsg(batch, 'escrow');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...msg, modelId: 'nope' }), { code: 4, codespace: 'royalty' }, 'nope');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...msg, modelId: ADAPTER, adapterId: BASE_MODEL }), { code: 5, codespace: 'royalty' });
    await rc.revealSample(await rc.submit(batch));
    await rc.expectRefused('operator', receiptMsgs.submit(msg), ERR.duplicateRoot);
    const other = buildBatch(rc.receipts(2));
    await rc.expectRefused('operator', receiptMsgs.submit(rc.submitMsg(other, 'escrow', { epoch: 2n })), ERR.invalidEpoch, 'has not started');
    await rc.advanceTo(41n);
    await rc.expectRefused('operator', receiptMsgs.submit(rc.submitMsg(other, 'escrow')), ERR.invalidEpoch, 'more than max_batch_age_epochs (2) behind 4');
  });

  it('refuses a batch from an unbonding operator, a jailed one and an unknown one', async () => {
    await rc.expectRefused('payer', receiptMsgs.submit({ ...rc.submitMsg(batch, 'escrow'), operator: payer() }), ERR.notActive);
    // Jailed: a batch whose sample is never revealed.
    const s = await rc.submit(batch);
    await rc.advanceTo((await rc.batch(s.id)).revealDeadline);
    const next = buildBatch(rc.receipts(2));
    await rc.expectRefused('operator', receiptMsgs.submit(rc.submitMsg(next, 'escrow')), ERR.notActive, 'is not an active operator');
    // Unbonding: operator2 unbonds its whole bond.
    await rc.ok('operator2', registryMsgs.beginUnbond(rc.address('operator2'), OPERATOR_BOND));
    const theirs = buildBatch(rc.receipts(2, { role: 'operator2' }));
    await rc.expectRefused('operator2', receiptMsgs.submit(rc.submitMsg(theirs, 'escrow')), ERR.notActive);
  });
});

describe('reveals and challenges', () => {
  it('refuses a reveal for a leaf not asked for, and a proof for the wrong root', async () => {
    const s = await rc.submit(buildBatch(rc.receipts(10)));
    const unsampled = [...Array(10).keys()].find((i) => !s.sample.includes(BigInt(i)))!;
    await rc.expectRefused('operator', receiptMsgs.reveal(op(), s.id, s.batch.receipts[unsampled]!, inclusionProof(s.batch, unsampled)), ERR.notRequested, `leaf ${unsampled} of batch ${s.id}`);
    const sampled = Number(s.sample[0]);
    const other = buildBatch(rc.receipts(10));
    await rc.expectRefused('operator', receiptMsgs.reveal(op(), s.id, other.receipts[sampled]!, inclusionProof(other, sampled)), ERR.invalidProof, 'proof does not lead to the root');
    // The right receipt with another leaf's proof: its index does not match.
    const j = Number(s.sample[1]);
    await rc.expectRefused('operator', receiptMsgs.reveal(op(), s.id, s.batch.receipts[sampled]!, inclusionProof(s.batch, j)), ERR.invalidProof);
    await rc.expectRefused('operator', receiptMsgs.reveal(op(), 99n, s.batch.receipts[sampled]!, inclusionProof(s.batch, sampled)), ERR.batchNotFound);
  });

  it('refuses a challenge of a valid receipt, a second identical challenge and a challenge against a finalized batch', async () => {
    const bad = rc.receipts(4);
    bad[0] = { ...bad[0]!, amount: '1' };
    const sorted = bad.slice().sort((a, b) => Buffer.compare(a.id, b.id));
    const tree = SumTree.build(sorted.map(receiptLeaf));
    const cheat: Batch = { header: { ...buildBatch(rc.receipts(1)).header, root: tree.root.hash, amount: tree.root.amount, count: 4n }, receipts: sorted, tree };
    const s = await rc.submit(cheat);
    const i = sorted.indexOf(bad[0]!);
    const good = (i + 1) % 4;
    await rc.expectRefused('challenger', receiptMsgs.challengeReceipt(rc.address('challenger'), s.id, sorted[good]!, tree.proof(good)), ERR.noFault, 'is a valid receipt');
    const challenge = receiptMsgs.challengeReceipt(rc.address('challenger'), s.id, sorted[i]!, tree.proof(i));
    await rc.ok('challenger', challenge);
    await rc.expectRefused('challenger', challenge, ERR.duplicateEvidence, 'was processed at height');
    await rc.expectRefused('challenger', receiptMsgs.challengeReceipt(rc.address('challenger'), s.id, sorted[good]!, tree.proof(good)), ERR.notPending, 'is rejected');

    const honest = await rc.honestBatch(3, { role: 'operator2' });
    await rc.advanceTo((await rc.batch(honest.id)).disputeEnd);
    expect((await rc.batch(honest.id)).status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
    await rc.expectRefused('challenger', receiptMsgs.challengeReceipt(rc.address('challenger'), honest.id, honest.batch.receipts[0]!, inclusionProof(honest.batch, 0)), ERR.notPending, 'is finalized');
    await rc.expectRefused('challenger', receiptMsgs.request(rc.address('challenger'), honest.id, 0n), ERR.notPending);
    await rc.expectRefused('challenger', receiptMsgs.challengeSum(rc.address('challenger'), honest.id, honest.batch.tree.sumNodeProof(1, 0)), ERR.notPending);
  });

  it('refuses a double claim of two different leaves, of one leaf twice, across operators, or whose later batch has settled', async () => {
    const a = await rc.honestBatch(3);
    const b = await rc.honestBatch(3);
    const ra = a.batch.receipts[0]!;
    const rb = b.batch.receipts[0]!;
    const claimA = { batchId: a.id, receipt: ra, proof: inclusionProof(a.batch, 0) };
    await rc.expectRefused('challenger', receiptMsgs.challengeDoubleClaim(rc.address('challenger'), ra.id, claimA, { batchId: b.id, receipt: rb, proof: inclusionProof(b.batch, 0) }), ERR.invalidChallenge, "the receipt's id is");
    await rc.expectRefused('challenger', receiptMsgs.challengeDoubleClaim(rc.address('challenger'), ra.id, claimA, claimA), ERR.invalidChallenge, 'both claims are leaf 0');
    await rc.expectRefused('challenger', receiptMsgs.challengeDoubleClaim(rc.address('challenger'), ra.id, claimA, { batchId: b.id, receipt: undefined, proof: undefined }), ERR.invalidChallenge, 'was never revealed in batch');
    // The same receipt id claimed by another operator is the payer's problem, not a double claim.
    const theirs = buildBatch([{ ...ra, operator: rc.address('operator2') }, ...rc.receipts(1, { role: 'operator2', epoch: ra.epoch })]);
    const t = await rc.submit(theirs, 'escrow', 'operator2');
    const it = theirs.receipts.findIndex((r) => Buffer.from(r.id).equals(Buffer.from(ra.id)));
    await rc.expectRefused('challenger', receiptMsgs.challengeDoubleClaim(rc.address('challenger'), ra.id, claimA, { batchId: t.id, receipt: theirs.receipts[it]!, proof: inclusionProof(theirs, it) }), ERR.invalidChallenge, 'different operators');
  });

  it('refuses a sum-node proof that does not lead to the root or opens to other children', async () => {
    const s = await rc.honestBatch(8);
    const proof = s.batch.tree.sumNodeProof(1, 1);
    await rc.expectRefused('challenger', receiptMsgs.challengeSum(rc.address('challenger'), s.id, { ...proof, node: { ...proof.node!, amount: '1' } }), ERR.invalidProof);
    await rc.expectRefused('challenger', receiptMsgs.challengeSum(rc.address('challenger'), s.id, { ...proof, left: { ...proof.left!, count: 2n } }), ERR.invalidProof, 'the children do not hash to the node');
    await rc.expectRefused('challenger', receiptMsgs.challengeSum(rc.address('challenger'), s.id, proof), ERR.noFault, 'adds up');
  });

  it('refuses requests with the wrong bond, for a leaf out of range, sampled, revealed or already requested, and too many', async () => {
    const s = await rc.submit(buildBatch(rc.receipts(12)));
    const who = rc.address('challenger');
    const sampled = s.sample[0]!;
    const free = [...Array(12).keys()].map(BigInt).filter((i) => !s.sample.includes(i));
    await rc.expectRefused('challenger', receiptMsgs.request(who, s.id, free[0]!, 999n), ERR.invalidBond, 'the bond is 1000ucairn');
    await rc.expectRefused('challenger', receiptMsgs.request(who, s.id, 12n), ERR.invalidChallenge, 'there is no leaf 12');
    await rc.expectRefused('challenger', receiptMsgs.request(who, s.id, sampled), ERR.alreadyRequested, 'sampled and not yet revealed');
    await rc.revealSample(s);
    await rc.expectRefused('challenger', receiptMsgs.request(who, s.id, sampled), ERR.alreadyRequested, 'already revealed');
    for (const i of free.slice(0, 4)) await rc.ok('challenger', receiptMsgs.request(who, s.id, i));
    await rc.expectRefused('challenger', receiptMsgs.request(who, s.id, free[0]!), ERR.alreadyRequested, 'already requested');
    await rc.expectRefused('challenger', receiptMsgs.request(who, s.id, free[4]!), ERR.tooManyRequests);
  });
});

describe('reservations', () => {
  it('refuses a GPU that is not reservable or not there, too many GPUs or hours, and the wrong party', async () => {
    await rc.expectRefused('payer', receiptMsgs.reserve(payer(), op(), 'h100-b', 1, 1n), ERR.notReservable);
    await rc.expectRefused('payer', receiptMsgs.reserve(payer(), op(), 'nope', 1, 1n), ERR.invalidReservation, 'has no GPU nope');
    await rc.expectRefused('payer', receiptMsgs.reserve(payer(), op(), GPU_ID, 5, 1n), ERR.invalidReservation, 'the commitment has 4 GPUs');
    await rc.expectRefused('payer', receiptMsgs.reserve(payer(), op(), GPU_ID, 1, 721n), ERR.invalidReservation, 'max_reservation_hours');
    await rc.expectRefused('payer', receiptMsgs.reserve(payer(), op(), GPU_ID, 0, 1n), ERR.invalidReservation, 'gpu_count');
    await rc.expectRefused('operator', receiptMsgs.reserve(op(), op(), GPU_ID, 1, 1n), ERR.invalidReservation, 'its own GPUs');
    await rc.ok('payer', receiptMsgs.reserve(payer(), op(), GPU_ID, 1, 1n));
    await rc.expectRefused('operator2', receiptMsgs.start(rc.address('operator2'), 1n), ERR.notParty);
    await rc.expectRefused('operator', receiptMsgs.start(op(), 2n), ERR.reservationNotFound);
    await rc.expectRefused('challenger', receiptMsgs.refusal(rc.address('challenger'), 1n), ERR.notParty);
    await rc.advance(4);
    await rc.expectRefused('operator', receiptMsgs.start(op(), 1n), ERR.reservationState, 'had to start by height');
  });
});

describe('params', () => {
  it('refuses an update from anyone but the authority', async () => {
    const res = await rc.query('Params', QueryParamsRequest, QueryParamsResponse, {});
    await rc.expectRefused('payer', { typeUrl: '/cairn.receipts.v1.MsgUpdateParams', value: { authority: payer(), params: res.params } }, E(3));
  });
});
