// The sample (SPEC r2): its size grows with the batch's amount, it is drawn from the hash of block
// submission + sample_delay_blocks, and a sampled leaf left unrevealed is receipt fraud. Each of the
// review's findings 2 (a caught forger withholds the leaf to take the cheap fault) and 7 (the sample
// came from the submission block's hash, which its proposer can grind) is replayed here and now
// fails for the attacker; so does a request the operator arranges to fall as data-unavailable first.
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { describe, expect, it } from 'vitest';
import { MsgSubmitBatchResponse } from '../proto/gen/cairn/receipts/v1/tx.ts';
import { QueryBatchRequest, QueryBatchResponse } from '../proto/gen/cairn/receipts/v1/query.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { BatchStatus, FaultKind } from '../proto/gen/cairn/receipts/v1/types.ts';
import { buildBatch, inclusionProof } from '../sdk/receipts/batch.ts';
import { sampleIndices, sampleSize } from '../sdk/receipts/sample.ts';
import { sha256 } from '../sdk/hash.ts';
import * as keys from '../modules/receipts/keys.ts';
import { AppChain } from './support/app-chain.ts';
import { ReceiptsChain, receiptMsgs } from './support/receipts-chain.ts';
import { fixedKey } from './support/receipts-fixtures.ts';

const E = (code: number) => ({ code, codespace: 'receipts' });
const NOT_REQUESTED = E(15);
const ALREADY_REVEALED = E(34);
const TOO_LATE = E(35);
const NOT_ACTIVE = E(8);

/** `n` receipts of which the one at sorted position `at` is signed by a payer key the operator made up. */
function withForgedLeaf(rc: ReceiptsChain, n: number, at: number) {
  const receipts = rc.receipts(n).sort((a, b) => Buffer.compare(a.id, b.id));
  const target = receipts[at]!;
  const madeUp = fixedKey('operator-made-payer-key');
  receipts[at] = rc.receipts(1, { id: target.id, payerKey: madeUp, unitsIn: 50_000n })[0]!;
  return buildBatch(receipts);
}

describe('the size of the sample', () => {
  it('grows with the batch amount, ceil(amount / sample_amount_step), between sample_count and max_sample_count', async () => {
    const rc = await ReceiptsChain.start({ receipts: { sample_amount_step: '1000', max_sample_count: 6 } });
    const p = { sampleCount: 2, maxSampleCount: 6, sampleAmountStep: '1000' };
    for (const n of [1, 3, 5, 20]) {
      const batch = buildBatch(rc.receipts(n));
      const want = sampleSize(batch.header.amount, batch.header.count, p);
      const r = await rc.ok('operator', receiptMsgs.submit(rc.submitMsg(batch)));
      const res = MsgSubmitBatchResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value);
      expect(res.sampleSize).toBe(want);
      const sample = await rc.drawnSample(res.batchId);
      expect(sample).toHaveLength(want);
      expect(new Set(sample).size).toBe(want);
      await rc.revealSample({ id: res.batchId, sample, batch });
    }
    // 1 receipt: all of it; 3 (≈ 2.7k): 3 leaves; 5 (≈ 4.6k): 5; 20 (≈ 18k): capped at 6.
    expect([1, 3, 5, 20].map((n) => sampleSize(BigInt(n) * 910n, BigInt(n), p))).toEqual([1, 3, 5, 6]);
    expect(sampleSize(1n, 100n, p)).toBe(2);
  });
});

describe('the draw', () => {
  it('comes from the hash of block submission + sample_delay_blocks: grinding the submission block no longer hides a forged leaf (finding 7)', async () => {
    const rc = await ReceiptsChain.start();
    const id = (await keys.nextBatchId.get(rc.chain.store.committed)) ?? 1n;
    const submittedAt = rc.height + 1n;
    const count = 40n;
    // The leaf the chain will audit, from block submittedAt + 2's hash; the operator forges exactly it.
    const audited = sampleIndices(AppChain.hashOf(submittedAt + 2n), id, count, 2);
    const forged = Number(audited[0]);
    const batch = withForgedLeaf(rc, Number(count), forged);
    // A proposer colluding with the operator grinds the hash of the block that carries the batch
    // until the old rule (sample from that block's hash) leaves the forged leaf out.
    let ground: Uint8Array = new Uint8Array(32);
    for (let i = 0; sampleIndices(ground, id, count, 2).includes(BigInt(forged)); i++) ground = sha256(new TextEncoder().encode(`grind ${i}`));
    expect(sampleIndices(ground, id, count, 2)).not.toContain(BigInt(forged));

    const [res] = await rc.chain.block([await rc.sign('operator', receiptMsgs.submit(rc.submitMsg(batch)))], { hash: ground });
    expect(res!.code, res!.log).toBe(0);
    const record = await rc.batch(id);
    expect(record).toMatchObject({ sampleDrawn: false, sample: [], sampleHeight: submittedAt + 2n, sampleSize: 2, revealDeadline: submittedAt + 2n + 3n });
    // Before the draw no leaf is asked for: the operator cannot know what to reveal.
    await rc.expectRefused('operator', receiptMsgs.reveal(rc.address('operator'), id, batch.receipts[0]!, inclusionProof(batch, 0)), NOT_REQUESTED, `the sample is drawn at height ${submittedAt + 2n}`);
    const sample = await rc.drawnSample(id);
    expect(sample).toEqual(audited);
    expect(sample).toContain(BigInt(forged));

    // The operator reveals what it can and hides the forged leaf: receipt fraud at the deadline.
    const honest = sample.filter((i) => Number(i) !== forged);
    await rc.ok('operator', honest.map((i) => receiptMsgs.reveal(rc.address('operator'), id, batch.receipts[Number(i)]!, inclusionProof(batch, Number(i)))));
    const bond = await rc.bond();
    await rc.advanceTo(record.revealDeadline);
    const after = await rc.batch(id);
    expect(after.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(after.fault).toMatchObject({ kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD, tombstoned: true });
    expect(await rc.bond()).toBe(bond / 2n);
  });
});

describe('an unrevealed sampled leaf', () => {
  it('is receipt fraud, so hiding a forged leaf costs as much as revealing it (finding 2)', async () => {
    // Two receipts with sample_count 2: both are sampled, the forged one included.
    const rc = await ReceiptsChain.start();
    const batch = withForgedLeaf(rc, 2, 1);
    const s = await rc.submit(batch);
    expect(s.sample).toEqual([0n, 1n]);
    const bond = await rc.bond();
    const escrow = await rc.escrow();
    // Before revision 2 the operator withheld leaf 1: data unavailable, 10% of the bond and a jail,
    // the honest receipt claimable again. Now it is receipt fraud: half the bond, tombstoned.
    await rc.ok('operator', receiptMsgs.reveal(rc.address('operator'), s.id, batch.receipts[0]!, inclusionProof(batch, 0)));
    await rc.advanceTo((await rc.batch(s.id)).revealDeadline);
    const after = await rc.batch(s.id);
    expect(after.fault).toMatchObject({ kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD, prover: '', tombstoned: true });
    expect(after.fault!.detail).toBe(`unrevealed sample: sampled leaves 1 not revealed by height ${after.revealDeadline}`);
    expect(await rc.bond()).toBe(bond - bond / 2n);
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(await rc.escrow()).toEqual({ available: escrow.available + batch.header.amount, locked: escrow.locked - batch.header.amount });
    // The honest receipt cannot be billed again: a tombstoned operator submits nothing.
    const again = buildBatch([batch.receipts[0]!]);
    await rc.expectRefused('operator', receiptMsgs.submit(rc.submitMsg(again)), NOT_ACTIVE);
  });

  it('is receipt fraud even when the operator had one of its leaves requested first, to fall as data-unavailable before the sample deadline', async () => {
    const rc = await ReceiptsChain.start();
    const batch = withForgedLeaf(rc, 2, 1);
    const s = await rc.submitNow(batch);
    // The operator's own second account asks for leaf 0 before the draw; the request's deadline is
    // not allowed to fall before the sample's (it would have been 1 block earlier).
    const r = await rc.ok('griefer', receiptMsgs.request(rc.address('griefer'), s.id, 0n));
    expect(r.code).toBe(0);
    const record = await rc.batch(s.id);
    const [request] = (await rc.query('Batch', QueryBatchRequest, QueryBatchResponse, { id: s.id })).requests;
    expect(request!.deadline).toBe(record.revealDeadline);
    expect(rc.height + 3n).toBeLessThan(record.revealDeadline);
    await rc.advanceTo(record.revealDeadline);
    expect((await rc.batch(s.id)).fault).toMatchObject({ kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD, tombstoned: true });
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
  });
});

describe('a reveal', () => {
  it('of a leaf neither sampled nor requested, a second time, or after the deadline is refused and changes nothing', async () => {
    const rc = await ReceiptsChain.start({ receipts: { reveal_window: '5', dispute_window_blocks: '20', escrow_withdraw_delay: '40' } });
    const batch = buildBatch(rc.receipts(10));
    const s = await rc.submit(batch);
    const reveal = (i: number) => receiptMsgs.reveal(rc.address('operator'), s.id, batch.receipts[i]!, inclusionProof(batch, i));
    const unsampled = [...Array(10).keys()].find((i) => !s.sample.includes(BigInt(i)))!;
    await rc.expectRefused('operator', reveal(unsampled), NOT_REQUESTED, `leaf ${unsampled} of batch ${s.id} is neither sampled nor requested`);
    const first = Number(s.sample[0]);
    await rc.ok('operator', reveal(first));
    await rc.expectRefused('operator', reveal(first), ALREADY_REVEALED, `leaf ${first} of batch ${s.id} was already revealed`);
    const second = Number(s.sample[1]);
    const deadline = (await rc.batch(s.id)).revealDeadline;
    await rc.advanceTo(deadline);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    await rc.expectRefused('operator', reveal(second), TOO_LATE, `leaf ${second} of batch ${s.id} was due by height ${deadline}`);
  });
});
