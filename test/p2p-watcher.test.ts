// The watcher against a real app (in-process chain): it finds the fault in the data behind a
// pending batch and its own challenge, signed with its own key, gets the operator punished. No test
// code builds a challenge here.
import { randomInt } from 'node:crypto';
import { ClassicLevel } from '../core/store/level-reads.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { Claim } from '../proto/gen/cairn/receipts/v1/tx.ts';
import { BatchStatus, FaultKind, type Receipt } from '../proto/gen/cairn/receipts/v1/types.ts';
import { type Batch, SumTree, buildBatch, inclusionProof, receiptLeaf, signReceipt } from '../sdk/index.ts';
import { CHALLENGE_BOND, DENOM, ReceiptsChain, receiptMsgs } from './support/receipts-chain.ts';
import { silentLogger } from '../node/log.ts';
import { appChainView } from '../node/p2p/service.ts';
import { queryWatcherChain } from '../node/watcher/sources.ts';
import { Watcher, drawLeaves } from '../node/watcher/watcher.ts';
import type { ClaimStore } from '../node/watcher/claims.ts';
import { VerifyPool } from '../node/watcher/verify-pool.ts';
import { claimsDir, openClaims } from './support/watcher.ts';
import { msgs as registryMsgs } from './support/registry.ts';
import { testOperator } from './support/p2p.ts';
import { fixedKey } from './support/receipts-fixtures.ts';

let rc: ReceiptsChain;
let data: Map<string, readonly Receipt[]>;
let sent: EncodeObject[];

beforeEach(async () => {
  rc = await ReceiptsChain.start();
  data = new Map();
  sent = [];
});

async function watcher(opts: { onSettled?: (root: Uint8Array) => Promise<void>; claims?: ClaimStore; randomLeaf?: (n: bigint) => bigint; verifier?: VerifyPool } = {}): Promise<Watcher> {
  return new Watcher({
    ...(opts.verifier === undefined ? {} : { verifier: opts.verifier }),
    ...(opts.onSettled === undefined ? {} : { onSettled: opts.onSettled }),
    ...(opts.randomLeaf === undefined ? {} : { randomLeaf: opts.randomLeaf }),
    claims: opts.claims ?? (await openClaims()),
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
    const w = await watcher();
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

  it('with signatures verified on worker threads, still proves a receipt whose operator signature is forged', async () => {
    const pool = new VerifyPool({ threads: 2, chunk: 4 });
    try {
      const receipts = rc.receipts(9);
      receipts[6] = signReceipt(receipts[6]!, 'operator', testOperator('impostor').key);
      const batch = buildBatch(receipts);
      const b = await rc.submit(batch);
      publish(batch);
      const w = await watcher({ verifier: pool });
      await w.checkOnce();
      expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeReceipt']);
      const challenged = (sent[0]!.value as { receipt: Receipt }).receipt;
      expect(Buffer.from(challenged.id)).toEqual(Buffer.from(receipts[6]!.id));
      expect((await rc.batch(b.id)).status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
      expect((await rc.batch(b.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_RECEIPT_FRAUD);
    } finally {
      await pool.close();
    }
  });

  it('with worker threads verifying the next batch while one is judged, leaves an honest batch alone and proves a forged payer signature in the next', async () => {
    const pool = new VerifyPool({ threads: 2, chunk: 4 });
    try {
      const honest = buildBatch(rc.receipts(5));
      await rc.revealSample(await rc.submit(honest));
      publish(honest);
      const receipts = rc.receipts(7);
      receipts[2] = { ...receipts[2]!, payerSignature: receipts[3]!.payerSignature }; // the payer's, over another receipt
      const forged = buildBatch(receipts);
      const f = await rc.submit(forged);
      publish(forged);
      const w = await watcher({ verifier: pool });
      await w.checkOnce();
      expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeReceipt']);
      expect(Buffer.from((sent[0]!.value as { receipt: Receipt }).receipt.id)).toEqual(Buffer.from(receipts[2]!.id));
      expect((await rc.batch(f.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_RECEIPT_FRAUD);
      expect(w.metrics).toMatchObject({ batchesChecked: 2, challengeReceipt: 1, submitFailures: 0 });
    } finally {
      await pool.close();
    }
  });

  // The pool's fast path (sign bytes built once and handed to the judge, signatures answered from
  // the threads' results) must still catch every kind of bad receipt the chain punishes.
  const resign = (r: Receipt, payerKey = rc.payerKey): Receipt => signReceipt(signReceipt(r, 'payer', payerKey), 'operator', rc.operatorKey);
  const badKinds: [string, (r: Receipt, other: Receipt) => Receipt][] = [
    ['a payer signature over another receipt', (r, other) => ({ ...r, payerSignature: other.payerSignature })],
    ['an operator signature by an impostor', (r) => signReceipt(r, 'operator', testOperator('impostor').key)],
    ['an amount that is not units × price', (r) => resign({ ...r, amount: (BigInt(r.amount) + 7n).toString() })],
    ['times outside the batch’s epoch', (r) => resign({ ...r, startedAt: r.startedAt - 100n, finishedAt: r.finishedAt - 100n })],
    ['a payer key the payer never authorised', (r) => resign({ ...r, payerKey: fixedKey('rogue').publicKey }, fixedKey('rogue'))],
  ];
  for (const [what, spoil] of badKinds) {
    it(`with worker threads and the batch ahead, proves ${what} among honest receipts`, async () => {
      const pool = new VerifyPool({ threads: 2, chunk: 4 });
      try {
        const honest = buildBatch(rc.receipts(6));
        await rc.revealSample(await rc.submit(honest));
        publish(honest);
        const receipts = rc.receipts(9);
        receipts[5] = spoil(receipts[5]!, receipts[1]!);
        const bad = buildBatch(receipts);
        const b = await rc.submit(bad);
        publish(bad);
        const w = await watcher({ verifier: pool });
        await w.checkOnce();
        expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeReceipt']);
        expect(Buffer.from((sent[0]!.value as { receipt: Receipt }).receipt.id)).toEqual(Buffer.from(receipts[5]!.id));
        expect((await rc.batch(b.id)).status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
        expect((await rc.batch(b.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_RECEIPT_FRAUD);
        expect(w.metrics).toMatchObject({ batchesChecked: 2, challengeReceipt: 1, submitFailures: 0 });
      } finally {
        await pool.close();
      }
    });
  }

  it('with worker threads, proves a receipt claimed in two batches with ChallengeDoubleClaim', async () => {
    const pool = new VerifyPool({ threads: 2, chunk: 4 });
    try {
      const receipts = rc.receipts(8);
      const first = buildBatch(receipts.slice(0, 5));
      await rc.revealSample(await rc.submit(first));
      const second = buildBatch([receipts[3]!, ...receipts.slice(5)]);
      const b = await rc.submit(second);
      publish(first);
      publish(second);
      const w = await watcher({ verifier: pool });
      await w.checkOnce();
      expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeDoubleClaim']);
      expect((await rc.batch(b.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
      expect(w.metrics).toMatchObject({ batchesChecked: 2, challengeDoubleClaim: 1, submitFailures: 0 });
    } finally {
      await pool.close();
    }
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
    const w = await watcher();
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
    const w = await watcher();
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
    await (await watcher()).checkOnce();
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
    const w = await watcher({ onSettled: async (root) => void settled.push(Buffer.from(root).toString('hex')) });
    await w.checkOnce();
    expect(settled).toEqual([]);
    await rc.advanceTo((await rc.batch(s.id)).disputeEnd + 1n);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
    await w.checkOnce();
    await w.checkOnce();
    expect(settled).toEqual([Buffer.from(honest.header.root).toString('hex')]);
  });

  it('requests leaves drawn at random when a batch’s data cannot be found, up to max_open_requests, and again as they are answered', async () => {
    const hidden = buildBatch(rc.receipts(20));
    const s = await rc.submit(hidden);
    await rc.revealSample(s);
    const draws: bigint[] = [];
    const w = await watcher({
      randomLeaf: (n) => {
        const i = BigInt(randomInt(Number(n)));
        draws.push(i);
        return i;
      },
    });
    await w.checkOnce();
    expect(sent).toHaveLength(0);
    await w.checkOnce();
    // max_open_requests is 4 in the test params: four leaves, all drawn, none of them sampled.
    const requested = (): bigint[] => sent.filter((m) => m.typeUrl === '/cairn.receipts.v1.MsgRequestReceipt').map((m) => (m.value as { index: bigint }).index);
    expect(requested()).toHaveLength(4);
    expect(new Set(requested()).size).toBe(4);
    for (const i of requested()) {
      expect(draws).toContain(i);
      expect(s.sample).not.toContain(i);
    }
    expect((await rc.batch(s.id)).openRequests).toBe(4);
    // Nothing more while all four are open.
    await w.checkOnce();
    expect(requested()).toHaveLength(4);
    // The operator answers two: two new leaves are asked for, none asked before.
    const answered = requested().slice(0, 2);
    await rc.ok('operator', answered.map((i) => receiptMsgs.reveal(rc.address('operator'), s.id, hidden.receipts[Number(i)]!, inclusionProof(hidden, Number(i)))));
    await w.checkOnce();
    expect(requested()).toHaveLength(6);
    expect(new Set(requested()).size).toBe(6);
    expect((await rc.batch(s.id)).openRequests).toBe(4);
    // One transaction per pass, not one per leaf.
    expect(w.metrics).toMatchObject({ requestReceipt: 6, submitFailures: 0 });
    expect((await rc.batch(s.id)).challenges).toBe(6);
  });

  it('stops asking when the dispute window has ended or nothing is left to ask', async () => {
    // Two leaves, both sampled: the chain already demands them, nothing to request.
    const small = buildBatch(rc.receipts(2));
    const a = await rc.submit(small);
    expect(a.sample).toHaveLength(2);
    const w = await watcher();
    await w.checkOnce();
    await w.checkOnce();
    expect(sent).toHaveLength(0);
    await rc.revealSample(a);
    // Revealed: still nothing to ask for.
    await w.checkOnce();
    expect(sent).toHaveLength(0);
    // A withheld batch first looked at just before its window ends.
    const hidden = buildBatch(rc.receipts(8));
    const b = await rc.submit(hidden);
    await rc.revealSample(b);
    const end = (await rc.batch(b.id)).disputeEnd;
    await rc.advanceTo(end - 1n);
    const late = await watcher();
    await late.checkOnce();
    await late.checkOnce();
    // Its requests land in the window's last block, and keep the batch pending until answered...
    expect(sent).toHaveLength(4);
    expect(rc.height).toBe(end);
    await rc.advance(1);
    await rc.ok('operator', sent.map((m) => (m.value as { index: bigint }).index).map((i) => receiptMsgs.reveal(rc.address('operator'), b.id, hidden.receipts[Number(i)]!, inclusionProof(hidden, Number(i)))));
    expect((await rc.batch(b.id)).status).toBe(BatchStatus.BATCH_STATUS_PENDING);
    // ...but answered past the window, they are not followed by more.
    await late.checkOnce();
    expect(sent).toHaveLength(4);
    expect(late.metrics).toMatchObject({ requestReceipt: 4, submitFailures: 0 });
  });

  it('draws distinct free leaves, all of them when few are left, from the random source it is given', () => {
    const taken = new Set([0n, 2n, 4n]);
    const seq = [7n, 7n, 2n, 5n, 1n];
    const got = drawLeaves(10n, taken, 3, () => seq.shift()!);
    expect(got).toEqual([7n, 5n, 1n]);
    expect(drawLeaves(6n, taken, 5, () => 0n)).toEqual([1n, 3n, 5n]);
    expect(drawLeaves(3n, new Set([0n, 1n, 2n]), 4, () => 0n)).toEqual([]);
    expect(() => drawLeaves(10n, taken, 2, () => 10n)).toThrow(RangeError);
  });
});

describe('the watcher’s claimed receipt ids', () => {
  it('catch a double claim across a withheld batch: the first batch’s leaf revealed on chain, the second gossiped, with a restart in between', async () => {
    const path = await claimsDir();
    const receipts = rc.receipts(6);
    // The first batch's data is never published; its operator reveals only the sampled leaves.
    const withheld = buildBatch(receipts.slice(0, 4));
    const a = await rc.submit(withheld);
    await rc.revealSample(a);
    const before = await openClaims(path);
    await (await watcher({ claims: before })).checkOnce();
    expect(await before.size()).toBe(a.sample.length);
    await before.close();
    // The first batch finalizes (and is paid) while the watcher is down.
    await rc.advanceTo((await rc.batch(a.id)).disputeEnd + 1n);
    expect((await rc.batch(a.id)).status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
    const again = withheld.receipts[Number(a.sample[0])]!;
    const second = buildBatch([again, ...receipts.slice(4)]);
    const b = await rc.submit(second);
    publish(second);
    const w = await watcher({ claims: await openClaims(path) });
    await w.checkOnce();
    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeDoubleClaim']);
    const rejected = await rc.batch(b.id);
    expect(rejected.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(rejected.fault!.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
    expect(rejected.fault!.prover).toBe(rc.address('challenger'));
    expect(await rc.operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(w.metrics).toMatchObject({ challengeDoubleClaim: 1, submitFailures: 0 });
  });

  it('catch a receipt of a batch it fetched before a restart, claimed again after it', async () => {
    const path = await claimsDir();
    const receipts = rc.receipts(5);
    const first = buildBatch(receipts.slice(0, 3));
    const a = await rc.submit(first);
    await rc.revealSample(a);
    publish(first);
    const before = await openClaims(path);
    await (await watcher({ claims: before })).checkOnce();
    await before.close();
    data.clear();
    await rc.advanceTo((await rc.batch(a.id)).disputeEnd + 1n);
    // A leaf the chain never saw revealed: only the watcher's stored batch can prove it.
    const unrevealed = first.receipts.find((_, i) => !a.sample.includes(BigInt(i)))!;
    const second = buildBatch([unrevealed, ...receipts.slice(3)]);
    const b = await rc.submit(second);
    publish(second);
    await (await watcher({ claims: await openClaims(path) })).checkOnce();
    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeDoubleClaim']);
    expect((await rc.batch(b.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
  });

  it('catch a receipt claimed again after it, from a leaf an earlier version stored with its receipt and proof', async () => {
    const path = await claimsDir();
    const receipts = rc.receipts(5);
    const first = buildBatch(receipts.slice(0, 3));
    const a = await rc.submit(first);
    await rc.revealSample(a);
    // A leaf of the first batch not revealed on chain, as earlier versions wrote it: the whole Claim under
    // the leaf's key ("c" ‖ u64 epoch ‖ lp operator ‖ lp payer ‖ lp receipt id ‖ u64 batch id ‖ u64 leaf).
    const x = first.receipts.findIndex((_, i) => !a.sample.includes(BigInt(i)));
    const r = first.receipts[x]!;
    const u64 = (n: bigint): Buffer => Buffer.from(BigInt.asUintN(64, n).toString(16).padStart(16, '0'), 'hex');
    const lp = (b: Uint8Array): Buffer => Buffer.concat([Uint8Array.of(b.length), b]);
    const key = Buffer.concat([Uint8Array.of(0x63), u64(r.epoch), lp(Buffer.from(r.operator)), lp(Buffer.from(r.payer)), lp(r.id), u64(a.id), u64(BigInt(x))]);
    const old = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
    await old.put(key, Claim.encode({ batchId: a.id, receipt: r, proof: inclusionProof(first, x) }).finish());
    await old.close();
    await rc.advanceTo((await rc.batch(a.id)).disputeEnd + 1n);
    const second = buildBatch([r, ...receipts.slice(3)]);
    const b = await rc.submit(second);
    publish(second);
    const w = await watcher({ claims: await openClaims(path) });
    await w.checkOnce();
    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.receipts.v1.MsgChallengeDoubleClaim']);
    expect((await rc.batch(b.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
    expect(w.metrics).toMatchObject({ challengeDoubleClaim: 1, submitFailures: 0 });
  });

  it('catch a leaf revealed on chain after the later batch claiming it was checked', async () => {
    const receipts = rc.receipts(6);
    const withheld = buildBatch(receipts.slice(0, 4));
    const a = await rc.submit(withheld);
    await rc.revealSample(a);
    // A leaf of the withheld batch the chain has not asked for yet, claimed again in a gossiped batch.
    const x = withheld.receipts.findIndex((_, i) => !a.sample.includes(BigInt(i)));
    const second = buildBatch([withheld.receipts[x]!, ...receipts.slice(4)]);
    const b = await rc.submit(second);
    await rc.revealSample(b);
    publish(second);
    const w = await watcher();
    await w.checkOnce();
    expect(sent).toHaveLength(0);
    // Someone asks for that leaf of the withheld batch and the operator reveals it.
    await rc.ok('griefer', receiptMsgs.request(rc.address('griefer'), a.id, BigInt(x)));
    await rc.ok('operator', receiptMsgs.reveal(rc.address('operator'), a.id, withheld.receipts[x]!, inclusionProof(withheld, x)));
    await w.checkOnce();
    expect(sent.filter((m) => m.typeUrl === '/cairn.receipts.v1.MsgChallengeDoubleClaim')).toHaveLength(1);
    expect((await rc.batch(b.id)).fault!.kind).toBe(FaultKind.FAULT_KIND_DOUBLE_CLAIM);
    expect((await rc.batch(a.id)).status).toBe(BatchStatus.BATCH_STATUS_PENDING);
  });

  it('leave alone a receipt claimed again after the batch that first claimed it was rejected', async () => {
    const receipts = rc.receipts(4);
    const withheld = buildBatch(receipts.slice(0, 3));
    const a = await rc.submit(withheld);
    await rc.revealSample(a);
    const w = await watcher();
    await w.checkOnce();
    await w.checkOnce();
    expect(sent.map((m) => m.typeUrl)).toContain('/cairn.receipts.v1.MsgRequestReceipt');
    // The request is never answered: the batch is rejected (data unavailable) and the operator jailed;
    // the receipts of a rejected batch were never paid, so claiming them again is honest.
    await rc.advance(4);
    expect((await rc.batch(a.id)).status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    await rc.advance(5);
    await rc.ok('operator', registryMsgs.unjail(rc.address('operator')));
    const second = buildBatch([withheld.receipts[Number(a.sample[0])]!, receipts[3]!]);
    await rc.submit(second);
    publish(second);
    sent.length = 0;
    await w.checkOnce();
    expect(sent).toHaveLength(0);
    expect(w.metrics.batchesChecked).toBe(1);
  });
});
