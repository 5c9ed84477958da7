// The watcher against a real app (in-process chain): it finds the fault in the data behind a
// pending batch and its own challenge, signed with its own key, gets the operator punished. No test
// code builds a challenge here.
import { beforeEach, describe, expect, it } from 'vitest';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { BatchStatus, FaultKind, type Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import { type Batch, SumTree, buildBatch, receiptLeaf, signReceipt } from '../sdk/index.ts';
import { CHALLENGE_BOND, DENOM, ReceiptsChain } from './support/receipts-chain.ts';
import { silentLogger } from '../node/log.ts';
import { appChainView } from '../node/p2p/service.ts';
import { queryWatcherChain } from '../node/watcher/sources.ts';
import { Watcher } from '../node/watcher/watcher.ts';

let rc: ReceiptsChain;
let data: Map<string, readonly Receipt[]>;
let sent: EncodeObject[];

beforeEach(async () => {
  rc = await ReceiptsChain.start();
  data = new Map();
  sent = [];
});

function watcher(onSettled?: (root: Uint8Array) => Promise<void>): Watcher {
  return new Watcher({
    ...(onSettled === undefined ? {} : { onSettled }),
    chain: queryWatcherChain(async (path, bytes) => rc.chain.query(path, bytes), appChainView(rc.chain.app)),
    source: { receiptsOf: async (root) => data.get(Buffer.from(root).toString('hex')) },
    submitter: {
      address: rc.address('challenger'),
      submit: async (msgs) => {
        sent.push(...msgs);
        await rc.ok('challenger', msgs);
      },
    },
    logger: silentLogger,
    requestBond: { denom: DENOM, amount: CHALLENGE_BOND.toString() },
    missesBeforeRequest: 2,
  });
}

function publish(batch: Batch): void {
  data.set(Buffer.from(batch.header.root).toString('hex'), batch.receipts);
}

/** What a cheater builds: buildBatch's checks skipped. */
function cheatBatch(receipts: Receipt[]): Batch {
  const sorted = receipts.slice().sort((a, b) => Buffer.compare(a.id, b.id));
  const tree = SumTree.build(sorted.map(receiptLeaf));
  const honest = buildBatch(rc.receipts(1));
  return { header: { ...honest.header, root: tree.root.hash, count: tree.root.count, amount: tree.root.amount }, receipts: sorted, tree };
}

describe('the watcher', () => {
  it('leaves an honest batch alone and proves a forged receipt in another: the operator is tombstoned', async () => {
    const honest = buildBatch(rc.receipts(5));
    const h = await rc.submit(honest);
    await rc.revealSample(h);
    publish(honest);
    const receipts = rc.receipts(6);
    const forged = { ...receipts[3]!, amount: (BigInt(receipts[3]!.amount) + 7n).toString() };
    receipts[3] = signReceipt(signReceipt(forged, 'payer', rc.payerKey), 'operator', rc.operatorKey);
    const cheat = cheatBatch(receipts);
    const c = await rc.submit(cheat);
    publish(cheat);
    const w = watcher();
    await w.checkOnce();
    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeReceipt']);
    expect((await rc.batch(c.id)).status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect((await rc.batch(c.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_RECEIPT_FRAUD);
    expect((await rc.batch(c.id)).fault!.prover).toBe(rc.address('challenger'));
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(w.metrics).toMatchObject({ batchesChecked: 2, receiptsVerified: 5 + 4, challengeReceipt: 1, submitFailures: 0 });
    // A second pass judges nothing twice.
    await w.checkOnce();
    expect(sent).toHaveLength(1);
  });

  it('proves a receipt claimed in two batches with ChallengeDoubleClaim', async () => {
    const receipts = rc.receipts(5);
    const first = buildBatch(receipts.slice(0, 3));
    const a = await rc.submit(first);
    await rc.revealSample(a);
    const second = buildBatch([receipts[2]!, ...rc.receipts(2)]);
    const b = await rc.submit(second);
    publish(first);
    publish(second);
    const w = watcher();
    await w.checkOnce();
    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeDoubleClaim']);
    expect((await rc.batch(b.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
    expect(w.metrics).toMatchObject({ challengeDoubleClaim: 1, submitFailures: 0 });
  });

  it('proves with ChallengeSum a batch whose declared amount is more than its receipts hold: the operator is tombstoned', async () => {
    const honest = buildBatch(rc.receipts(5));
    const inflated = honest.header.amount + 1_000n;
    // The root of honest receipts, declared with a larger amount: the chain cannot tell at submission.
    const s = await rc.submit(honest, 'escrow', 'operator', { amount: inflated.toString() });
    publish(honest);
    const w = watcher();
    await w.checkOnce();
    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeSum']);
    const b = await rc.batch(s.id);
    expect(b.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(b.fault!.kind).toBe(FaultKind.FAULT_KIND_SUM_FRAUD);
    expect(b.fault!.detail).toContain(`the node claims ${inflated}`);
    expect(b.fault!.prover).toBe(rc.address('challenger'));
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(w.metrics).toMatchObject({ batchesChecked: 1, challengeSum: 1, challengeReceipt: 0, submitFailures: 0 });
  });

  it('proves with ChallengeSum a one-receipt batch declared as two receipts (the root is the leaf itself)', async () => {
    const single = buildBatch(rc.receipts(1));
    const s = await rc.submit(single, 'escrow', 'operator', { count: 2n });
    publish(single);
    await watcher().checkOnce();
    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeSum']);
    const b = await rc.batch(s.id);
    expect(b.fault!.kind).toBe(FaultKind.FAULT_KIND_SUM_FRAUD);
    expect(b.fault!.detail).toContain('a leaf is counted as 2 receipts');
  });

  it('reports each batch that leaves the pending set once, with its root, so the node keeps its data a retention period after settlement', async () => {
    const honest = buildBatch(rc.receipts(3));
    const s = await rc.submit(honest);
    await rc.revealSample(s);
    publish(honest);
    const settled: string[] = [];
    const w = watcher(async (root) => void settled.push(Buffer.from(root).toString('hex')));
    await w.checkOnce();
    expect(settled).toEqual([]);
    await rc.advanceTo((await rc.batch(s.id)).disputeEnd + 1n);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
    await w.checkOnce();
    await w.checkOnce();
    expect(settled).toEqual([Buffer.from(honest.header.root).toString('hex')]);
  });

  it('requests a receipt when a batch’s data cannot be found', async () => {
    const hidden = buildBatch(rc.receipts(4));
    const s = await rc.submit(hidden);
    const w = watcher();
    await w.checkOnce();
    expect(sent).toHaveLength(0);
    await w.checkOnce();
    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgRequestReceipt']);
    expect((await rc.batch(s.id)).openRequests).toBe(1);
    expect(w.metrics.submitFailures).toBe(0);
    expect(w.metrics).toMatchObject({ dataMissing: 2, requestReceipt: 1 });
  });
});
