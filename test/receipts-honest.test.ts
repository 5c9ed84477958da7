// The honest path: a payer's escrow pays for 1,000 receipts served through an adapter; the chain
// samples the batch, the operator reveals the sample, and when the dispute window ends the end-block
// hook pays everyone with no transaction: protocol fee (burned and treasury), the adapter author,
// the base model's author and contributor, and the operator — exactly, to the ucairn.
import { beforeEach, describe, expect, it } from 'vitest';
import { ROYALTY_QUERY_SERVICE } from '../sdk/royalty/queries.ts';
import { QueryEpochRootsRequest, QueryEpochRootsResponse } from '../proto/gen/cairn/receipts/v1/query.ts';
import { BatchStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { QueryEpochRootRequest, QueryEpochRootResponse, QueryLedgerRequest, QueryLedgerResponse } from '../proto/gen/cairn/royalty/v1/query.ts';
import { buildBatch } from '../sdk/receipts/batch.ts';
import { ADAPTER, BASE_MODEL, FEE, ReceiptsChain } from './support/receipts-chain.ts';
import { ESCROW_ACCOUNT } from '../modules/receipts/keys.ts';
import { TREASURY_ACCOUNT } from '../modules/royalty/keys.ts';
import { epochReceiptsRoot } from '../modules/receipts/epoch-root.ts';

let rc: ReceiptsChain;

beforeEach(async () => {
  rc = await ReceiptsChain.start();
});

const floor = (a: bigint, bps: bigint): bigint => (a * bps) / 10_000n;

describe('an honest batch of 1,000 receipts', () => {
  it('settles at the end of the dispute window, paying every party exactly and keeping the supply', async () => {
    const receipts = rc.receipts(1000, { modelId: BASE_MODEL, adapterId: ADAPTER });
    const batch = buildBatch(receipts);
    const A = batch.header.amount;
    expect(A).toBe(receipts.reduce((s, r) => s + BigInt(r.amount), 0n));
    const parties = {
      operator: rc.address('operator'),
      payer: rc.address('payer'),
      author: rc.address('author'),
      adapterAuthor: rc.address('adapterAuthor'),
      contributor: rc.contributor,
    };
    const before = Object.fromEntries(await Promise.all(Object.entries(parties).map(async ([k, a]) => [k, await rc.balance(a)] as const)));
    const treasuryBefore = await rc.moduleBalance(TREASURY_ACCOUNT);
    const escrowBefore = await rc.escrow();
    const supplyBefore = await rc.supply();

    const s = await rc.submit(batch);
    expect(s.sample).toHaveLength(2);
    expect(await rc.escrow()).toEqual({ available: escrowBefore.available - A, locked: A });
    await rc.revealSample(s);
    const pending = await rc.batch(s.id);
    expect(pending.status).toBe(BatchStatus.BATCH_STATUS_PENDING);
    expect(pending.sample.every((x) => x.revealed)).toBe(true);

    await rc.advanceTo(pending.disputeEnd - 1n);
    expect((await rc.batch(s.id)).status).toBe(BatchStatus.BATCH_STATUS_PENDING);
    await rc.advanceTo(pending.disputeEnd);
    const done = await rc.batch(s.id);
    expect(done.status).toBe(BatchStatus.BATCH_STATUS_FINALIZED);

    const fee = floor(A, 500n);
    const burned = floor(fee, 5000n);
    const treasury = floor(fee, 5000n);
    const adapterRoyalty = floor(A, 300n);
    const basePool = floor(A, 500n);
    const authorRoyalty = floor(basePool, 7000n);
    const contributorRoyalty = floor(basePool, 3000n);
    const operatorShare = A - burned - treasury - adapterRoyalty - authorRoyalty - contributorRoyalty;
    expect(done.split).toMatchObject({ total: A.toString(), feeBurned: burned.toString(), feeTreasury: treasury.toString(), operatorAmount: operatorShare.toString() });

    expect(await rc.balance(parties.operator)).toBe(before.operator! + operatorShare - 2n * FEE);
    expect(await rc.balance(parties.payer)).toBe(before.payer);
    expect(await rc.balance(parties.author)).toBe(before.author! + authorRoyalty);
    expect(await rc.balance(parties.adapterAuthor)).toBe(before.adapterAuthor! + adapterRoyalty);
    expect(await rc.balance(parties.contributor)).toBe(before.contributor! + contributorRoyalty);
    expect(await rc.moduleBalance(TREASURY_ACCOUNT)).toBe(treasuryBefore + treasury);
    expect(await rc.escrow()).toEqual({ available: escrowBefore.available - A, locked: 0n });
    expect(await rc.moduleBalance(ESCROW_ACCOUNT)).toBe(escrowBefore.available - A);
    expect(await rc.supply()).toBe(supplyBefore - burned);

    // The royalty ledger and the epoch roots record it.
    const ledger = await rc.query('Ledger', QueryLedgerRequest, QueryLedgerResponse, { recipient: parties.author, pagination: undefined }, ROYALTY_QUERY_SERVICE);
    expect(ledger.entry).toMatchObject({ paid: authorRoyalty.toString(), owed: '0' });
    const settledEpoch = (done.settledHeight - 1n) / 10n;
    await rc.advanceTo((settledEpoch + 1n) * 10n);
    const roots = await rc.query('EpochRoots', QueryEpochRootsRequest, QueryEpochRootsResponse, { epoch: settledEpoch });
    expect(roots.roots).toMatchObject({ batches: 1n, count: 1000n, amount: A.toString() });
    expect(roots.roots!.receiptsRoot).toEqual(epochReceiptsRoot([done]).hash);
    const royaltyRoot = await rc.query('EpochRoot', QueryEpochRootRequest, QueryEpochRootResponse, { epoch: settledEpoch }, ROYALTY_QUERY_SERVICE);
    expect(royaltyRoot.root!.root).toEqual(roots.roots!.royaltyRoot);
    expect(royaltyRoot.accruals).toHaveLength(3);
  });
});
