// The rest of a batch's and an escrow's life: delayed withdrawals, OFFCHAIN settlement into the
// royalty ledger, signing keys judged at the receipt's time (rotation and revocation), epoch roots
// proved against the app hash, reservations that run and pay, queries, and genesis export/import
// in the middle of a dispute window.
import { beforeEach, describe, expect, it } from 'vitest';
import { ROYALTY_QUERY_SERVICE } from '../sdk/royalty/queries.ts';
import { ics23, verifyMembership } from '@confio/ics23';
import { STATE_PROOF_SPEC, proofKey } from '../core/store/proof-spec.ts';
import * as q from '../proto/gen/cairn/receipts/v1/query.ts';
import { BatchStatus, EpochRoots, FaultKind, ReservationStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { QueryLedgerRequest, QueryLedgerResponse, QueryOwedRequest, QueryOwedResponse } from '../proto/gen/cairn/royalty/v1/query.ts';
import { buildBatch, inclusionProof, paymentRefsRoot } from '../sdk/receipts/batch.ts';
import { fixedKey } from './support/receipts-fixtures.ts';
import { FEE, GPU_ID, GPU_PRICE, ReceiptsChain, type Submitted, receiptMsgs } from './support/receipts-chain.ts';
import { ESCROW_ACCOUNT } from '../modules/receipts/keys.ts';
import { TREASURY_ACCOUNT } from '../modules/royalty/keys.ts';
import { AppChain } from './support/app-chain.ts';
import { msgs as registryMsgs } from './support/registry.ts';

let rc: ReceiptsChain;

beforeEach(async () => {
  rc = await ReceiptsChain.start();
});

describe('escrow withdrawal', () => {
  it('pays only after escrow_withdraw_delay, and only what batches left available meanwhile', async () => {
    const payer = rc.address('payer');
    const { available } = await rc.escrow();
    const balance = await rc.balance(payer);
    await rc.ok('payer', receiptMsgs.withdraw(payer, available));
    const completion = rc.height + 12n;
    // The operator who served the payer can still lock the escrow during the delay.
    const s = await rc.honestBatch(5);
    const locked = s.batch.header.amount;
    await rc.advanceTo(completion - 1n);
    expect(await rc.balance(payer)).toBe(balance - FEE);
    await rc.advanceTo(completion);
    expect(await rc.balance(payer)).toBe(balance - FEE + available - locked);
    expect(await rc.escrow()).toEqual({ available: 0n, locked: 0n });
    const res = await rc.query('Escrow', q.QueryEscrowRequest, q.QueryEscrowResponse, { payer });
    expect(res.withdrawals).toEqual([]);
    // The batch had finalized before the withdrawal: everything the payer paid went out of escrow.
    expect(await rc.moduleBalance(ESCROW_ACCOUNT)).toBe(0n);
  });
});

describe('a withdrawal that matures while a batch locks part of the escrow', () => {
  async function lockedAtMaturity(): Promise<{ payer: string; asked: bigint; balance: bigint; completion: bigint; s: Submitted }> {
    const payer = rc.address('payer');
    const { available } = await rc.escrow();
    const balance = await rc.balance(payer);
    await rc.ok('payer', receiptMsgs.withdraw(payer, available));
    const completion = rc.height + 12n;
    // The operator who served the payer submits (with the payer's signature) just before maturity.
    await rc.advanceTo(completion - 5n);
    const s = await rc.submitNow(buildBatch(rc.receipts(5)));
    await rc.advanceTo(completion);
    return { payer, asked: available, balance, completion, s };
  }

  it('pays what is free, waits, and pays the rest when the batch is rejected: the payer never asks twice (finding 4)', async () => {
    const { payer, asked, balance, s } = await lockedAtMaturity();
    const amount = s.batch.header.amount;
    // Before revision 2 the withdrawal ended here, having paid asked − amount.
    expect(await rc.balance(payer)).toBe(balance - FEE + asked - amount);
    expect(await rc.escrow()).toEqual({ available: 0n, locked: amount });
    const waiting = (await rc.query('Escrow', q.QueryEscrowRequest, q.QueryEscrowResponse, { payer })).withdrawals;
    expect(waiting).toMatchObject([{ paid: (asked - amount).toString(), amount: { amount: asked.toString() } }]);
    // A new withdrawal cannot ask for what the waiting one still claims.
    await rc.ok('payer', receiptMsgs.deposit(payer, 7n));
    expect((await rc.tx('payer', receiptMsgs.withdraw(payer, 8n))).code).toBe(5);
    // The operator never reveals its sample: the batch is rejected and its amount unlocked, then paid out.
    await rc.advanceTo((await rc.batch(s.id)).revealDeadline);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(await rc.balance(payer)).toBe(balance - 3n * FEE - 7n + asked);
    expect(await rc.escrow()).toEqual({ available: 7n, locked: 0n });
    expect((await rc.query('Escrow', q.QueryEscrowRequest, q.QueryEscrowResponse, { payer })).withdrawals).toEqual([]);
  });

  it('ends when the batch finalizes, the rest having paid the batch the payer signed', async () => {
    const { payer, asked, balance, s } = await lockedAtMaturity();
    const amount = s.batch.header.amount;
    await rc.revealSample({ ...s, sample: await rc.drawnSample(s.id) });
    await rc.advanceTo((await rc.batch(s.id)).disputeEnd);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
    expect(await rc.balance(payer)).toBe(balance - FEE + asked - amount);
    expect(await rc.escrow()).toEqual({ available: 0n, locked: 0n });
    expect((await rc.query('Escrow', q.QueryEscrowRequest, q.QueryEscrowResponse, { payer })).withdrawals).toEqual([]);
    expect(await rc.moduleBalance(ESCROW_ACCOUNT)).toBe(0n);
  });
});

describe('an OFFCHAIN batch', () => {
  it('moves no coins, and records what is owed with its payment-references root', async () => {
    const batch = buildBatch(rc.receipts(20, { adapterId: '' }));
    const operator = await rc.balance(rc.address('operator'));
    const escrow = await rc.escrow();
    const s = await rc.submit(batch, 'offchain');
    await rc.revealSample(s);
    expect(await rc.escrow()).toEqual(escrow);
    await rc.advanceTo((await rc.batch(s.id)).disputeEnd);
    const done = await rc.batch(s.id);
    expect(done.status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);
    expect(await rc.balance(rc.address('operator'))).toBe(operator - 2n * FEE);
    const owed = await rc.query('Owed', QueryOwedRequest, QueryOwedResponse, { batchId: s.id }, ROYALTY_QUERY_SERVICE);
    expect(owed.record!.paymentRefsRoot).toEqual(paymentRefsRoot(batch));
    const author = (batch.header.amount * 500n) / 10_000n;
    expect(owed.record!.split!.royalties.map((r) => r.amount)).toEqual([((author * 7000n) / 10_000n).toString(), ((author * 3000n) / 10_000n).toString()]);
    const ledger = await rc.query('Ledger', QueryLedgerRequest, QueryLedgerResponse, { recipient: rc.address('author'), pagination: undefined }, ROYALTY_QUERY_SERVICE);
    expect(ledger.entry).toMatchObject({ paid: '0', owed: ((author * 7000n) / 10_000n).toString() });
    expect(ledger.accruals).toHaveLength(1);
  });
});

describe('signing keys are judged at the receipt’s time', () => {
  it('accepts receipts signed before a payer key was revoked and proves fraud for those after', async () => {
    const before = rc.receipts(2);
    // The payer moves to a new key; it signs the batches' totals from now on.
    const next = fixedKey('payer-next-key');
    await rc.ok('payer', [registryMsgs.authorizePayerKey(rc.address('payer'), next.publicKey), registryMsgs.revokePayerKey(rc.address('payer'), rc.payerKey.publicKey)]);
    await rc.advance(1);
    const after = rc.receipts(2, { startedAt: rc.timeOf(rc.height), finishedAt: rc.timeOf(rc.height) });
    const good = buildBatch(before);
    const s = await rc.submit(good, 'escrow', 'operator', {}, next);
    await rc.revealSample(s);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_PENDING);
    const bad = buildBatch(after);
    const t = await rc.submit(bad, 'escrow', 'operator', {}, next);
    const r = await rc.ok('operator', receiptMsgs.reveal(rc.address('operator'), t.id, bad.receipts[0]!, inclusionProof(bad, 0)));
    expect(r.code).toBe(0);
    const fault = (await rc.batch(t.id)).fault!;
    expect(fault.kind).toBe(FaultKind.FAULT_KIND_RECEIPT_FRAUD);
    expect(fault.detail).toMatch(/was not authorised by the payer at height/);
  });

  it('accepts an operator key for the heights it was current, and not after its rotation', async () => {
    const old = rc.receipts(2);
    const next = fixedKey('rotated-operator-key');
    await rc.ok('operator', registryMsgs.rotateReceiptKey(rc.address('operator'), next.publicKey));
    await rc.advance(1);
    const t = rc.timeOf(rc.height);
    const signedNew = rc.receipts(2, { operatorKey: next, startedAt: t, finishedAt: t });
    const signedOld = rc.receipts(2, { startedAt: t, finishedAt: t });
    const s1 = await rc.submit(buildBatch(old));
    await rc.revealSample(s1);
    const s2 = await rc.submit(buildBatch(signedNew));
    await rc.revealSample(s2);
    expect((await rc.batch(s1.id)).status).toBe(BatchStatus.BATCH_STATUS_PENDING);
    expect((await rc.batch(s2.id)).status).toBe(BatchStatus.BATCH_STATUS_PENDING);
    const bad = buildBatch(signedOld);
    const s3 = await rc.submit(bad);
    await rc.ok('operator', receiptMsgs.reveal(rc.address('operator'), s3.id, bad.receipts[0]!, inclusionProof(bad, 0)));
    expect((await rc.batch(s3.id)).fault!.detail).toMatch(/operator_signature does not verify with the operator's receipt key at height/);
  });
});

describe('epoch roots', () => {
  it('are stored on the epoch’s last block and proved against the app hash through /store/key', async () => {
    const s = await rc.honestBatch(7);
    const end = (await rc.batch(s.id)).disputeEnd;
    await rc.advanceTo(end);
    const epoch = (end - 1n) / 10n;
    await rc.advanceTo((epoch + 1n) * 10n);
    const res = await rc.query('EpochRoots', q.QueryEpochRootsRequest, q.QueryEpochRootsResponse, { epoch });
    expect(res.roots).toMatchObject({ epoch, batches: 1n, count: 7n, amount: s.batch.header.amount.toString() });
    const proved = await rc.chain.query('/store/key', res.storeKey, rc.height, true);
    expect(EpochRoots.decode(proved.value)).toEqual(res.roots);
    const proof = ics23.CommitmentProof.decode(proved.proofOps!.ops[0]!.data);
    const appHash = rc.chain.appHashes[rc.chain.appHashes.length - 1]!;
    expect(verifyMembership(proof, STATE_PROOF_SPEC, appHash, proofKey(res.storeKey), proved.value)).toBe(true);
    // An epoch still running has no roots.
    await expect(rc.query('EpochRoots', q.QueryEpochRootsRequest, q.QueryEpochRootsResponse, { epoch: epoch + 1n })).rejects.toThrow(/has not ended/);
  });
});

describe('a reservation that is started', () => {
  it('pays the operator, less the protocol fee, once its hours have passed', async () => {
    const payer = rc.address('payer');
    const operator = rc.address('operator');
    await rc.ok('payer', receiptMsgs.reserve(payer, operator, GPU_ID, 1, 1n));
    const balance = await rc.balance(operator);
    const treasury = await rc.moduleBalance(TREASURY_ACCOUNT);
    await rc.ok('operator', receiptMsgs.start(operator, 1n));
    const started = await rc.query('Reservation', q.QueryReservationRequest, q.QueryReservationResponse, { id: 1n });
    expect(started.reservation!.status).toBe(ReservationStatus.RESERVATION_STATUS_ACTIVE);
    // One hour of 5-second blocks.
    while (rc.timeOf(rc.height) < started.reservation!.endsAt) await rc.block();
    const fee = (GPU_PRICE * 500n) / 10_000n;
    expect(await rc.balance(operator)).toBe(balance - FEE + GPU_PRICE - fee);
    expect(await rc.moduleBalance(TREASURY_ACCOUNT)).toBe(treasury + fee / 2n);
    const done = await rc.query('Reservations', q.QueryReservationsRequest, q.QueryReservationsResponse, { payer, operator: '', pagination: undefined });
    expect(done.reservations.map((r) => r.status)).toEqual([ReservationStatus.RESERVATION_STATUS_COMPLETED]);
    // 720 blocks, each with the invariants checked: about 40 s alone, over 60 s on a busy machine.
  }, 240_000);
});

describe('batch queries', () => {
  it('list batches by operator, payer, epoch and status, with pagination', async () => {
    const a = await rc.submitNow(buildBatch(rc.receipts(3)));
    const b = await rc.submitNow(buildBatch(rc.receipts(3, { role: 'operator2' })), 'escrow', 'operator2');
    const c = await rc.submitNow(buildBatch(rc.receipts(3)));
    const list = async (f: Partial<q.QueryBatchesRequest>) => (await rc.query('Batches', q.QueryBatchesRequest, q.QueryBatchesResponse, q.QueryBatchesRequest.fromPartial(f))).batches.map((x) => x.id);
    expect(await list({})).toEqual([a.id, b.id, c.id]);
    expect(await list({ operator: rc.address('operator') })).toEqual([a.id, c.id]);
    expect(await list({ operator: rc.address('operator2') })).toEqual([b.id]);
    expect(await list({ payer: rc.address('payer') })).toEqual([a.id, b.id, c.id]);
    expect(await list({ hasEpoch: true, epoch: 1n })).toEqual([a.id, b.id, c.id]);
    expect(await list({ hasEpoch: true, epoch: 0n })).toEqual([]);
    expect(await list({ status: BatchStatus.BATCH_STATUS_PENDING })).toEqual([a.id, b.id, c.id]);
    expect(await list({ status: BatchStatus.BATCH_STATUS_FINALIZED })).toEqual([]);
    const page = await rc.query('Batches', q.QueryBatchesRequest, q.QueryBatchesResponse, q.QueryBatchesRequest.fromPartial({ pagination: { limit: 2n, countTotal: true } }));
    expect(page.batches.map((x) => x.id)).toEqual([a.id, b.id]);
    expect(page.pagination!.total).toBe(3n);
    const rest = await rc.query('Batches', q.QueryBatchesRequest, q.QueryBatchesResponse, q.QueryBatchesRequest.fromPartial({ pagination: { key: page.pagination!.nextKey } }));
    expect(rest.batches.map((x) => x.id)).toEqual([c.id]);
    await expect(list({ operator: rc.address('operator'), hasEpoch: true })).rejects.toThrow(/at most one/);
    const one = await rc.query('Batch', q.QueryBatchRequest, q.QueryBatchResponse, { id: a.id });
    expect(one.batch!.sampleHeight).toBe(one.batch!.submittedHeight + 2n);
    expect(one.batch!.sample.map((x) => x.index)).toEqual(await rc.drawnSample(a.id));
    const epoch = await rc.query('Epoch', q.QueryEpochRequest, q.QueryEpochResponse, {});
    expect(epoch.current).toMatchObject({ epoch: 1n, startHeight: 11n, startTime: rc.timeOf(11n) });
  });
});

describe('genesis', () => {
  it('exports a chain in the middle of a dispute window and imports it into one that settles the batch', async () => {
    const s = await rc.honestBatch(6);
    await rc.ok('challenger', receiptMsgs.request(rc.address('challenger'), s.id, [...Array(6).keys()].map(BigInt).find((i) => !s.sample.includes(i))!));
    await rc.ok('payer', receiptMsgs.withdraw(rc.address('payer'), 100n));
    await rc.ok('payer', receiptMsgs.reserve(rc.address('payer'), rc.address('operator'), GPU_ID, 1, 2n));
    const ctx = { store: rc.chain.store.committed, height: rc.height, addresses: rc.chain.app.addresses };
    const appState: Record<string, unknown> = {};
    for (const m of rc.chain.app.modules) appState[m.name] = await m.genesis.export(ctx);
    const json = JSON.parse(JSON.stringify(appState, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
    const fresh = await AppChain.start({ appState: json });
    const again: Record<string, unknown> = {};
    const freshCtx = { store: fresh.store.working, height: 0n, addresses: fresh.app.addresses };
    for (const name of ['receipts', 'royalty']) again[name] = await fresh.app.modules.find((m) => m.name === name)!.genesis.export(freshCtx);
    expect(JSON.parse(JSON.stringify(again))).toEqual({ receipts: json['receipts'], royalty: json['royalty'] });
    // The imported chain carries on: the request times out, the batch is rejected, the bond comes back.
    const pending = (json['receipts'] as { batches: { id: string; dispute_end: string }[] }).batches[0]!;
    while (fresh.height < BigInt(pending.dispute_end) + 5n) await fresh.block();
    const r = await fresh.query('/cairn.receipts.v1.Query/Batch', q.QueryBatchRequest.encode({ id: BigInt(pending.id) }).finish());
    expect(q.QueryBatchResponse.decode(r.value).batch!.status).toBe(BatchStatus.BATCH_STATUS_REJECTED);
    expect(q.QueryBatchResponse.decode(r.value).batch!.fault!.kind).toBe(FaultKind.FAULT_KIND_DATA_UNAVAILABLE);
  });

  it('refuses a section whose escrow account does not hold what is owed, or with unknown fields', async () => {
    const { checkAppState } = await import('./support/app-chain.ts');
    const ctx = { store: rc.chain.store.committed, height: rc.height, addresses: rc.chain.app.addresses };
    const section = (await rc.chain.app.modules.find((m) => m.name === 'receipts')!.genesis.export(ctx)) as Record<string, unknown>;
    const bad = structuredClone(section) as Record<string, unknown> & { escrows: { locked: string }[] };
    bad.escrows[0]!.locked = '5';
    await expect(checkAppState({ receipts: bad })).rejects.toThrow(/has 5 locked; its pending ESCROW batches hold 0/);
    await expect(checkAppState({ receipts: { ...section, surprise: 1 } })).rejects.toThrow(/receipts.surprise: unknown field/);
    await expect(checkAppState({ receipts: { ...section, params: { ...(section['params'] as object), reveal_window: '900' } } })).rejects.toThrow(/dispute_window_blocks 8 must exceed sample_delay_blocks \+ reveal_window \(902\)/);
  });
});


