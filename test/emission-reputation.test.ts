// Points and reputation: written only by the epoch end, deterministic, and each epoch's reputation
// root stored, emitted and provable against the app hash; genesis export/import keeps it all.
import { describe, expect, it } from 'vitest';
import { REGISTRY_QUERY_SERVICE } from '../sdk/registry/queries.ts';
import { ics23, verifyMembership } from '@confio/ics23';
import { STATE_PROOF_SPEC, proofKey } from '../core/store/proof-spec.ts';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';
import * as rq from '../proto/gen/cairn/registry/v1/query.ts';
import { ReputationRoot } from '../proto/gen/cairn/emission/v1/types.ts';
import { ilog2, merkleRoot, reputationLeaf, reputationScore } from '../modules/emission/reputation.ts';
import { EPOCH_BLOCKS, emissionQuery, startEmissionChain } from './support/emission-chain.ts';
import type { ReceiptsChain } from './support/receipts-chain.ts';
import { fixedKey } from './support/receipts-fixtures.ts';
import { msgs as registryMsgs } from './support/registry.ts';
import { receiptMsgs } from './support/receipts-chain.ts';

/** The default min_active_epoch_amount: 2 CAIRN. */
const MIN_ACTIVE = 2_000_000n;
/** ~3 CAIRN a receipt (≈300 units × 10000ucairn): a dozen make a real hour of work. */
const REAL_PRICE = '10000';

async function reputationOf(rc: ReceiptsChain, operator: string): Promise<q.QueryReputationResponse['reputation']> {
  return (await emissionQuery(rc, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator })).reputation;
}

async function catalog(rc: ReceiptsChain): Promise<[string, bigint][]> {
  const r = await rc.query('Operators', rq.QueryOperatorsRequest, rq.QueryOperatorsResponse, rq.QueryOperatorsRequest.fromPartial({ sortBy: rq.SortBy.SORT_BY_REPUTATION }), REGISTRY_QUERY_SERVICE);
  return r.operators.map((e) => [e.operator!.address, e.operator!.reputation]);
}
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import { AppChain } from './support/app-chain.ts';

describe('operator points and reputation', () => {
  it('count finalized receipts as points, score paid epochs, and prove the epoch’s reputation root through /store/key', async () => {
    const rc = await startEmissionChain();
    const s = await rc.honestBatch(9, { unitPrice: REAL_PRICE });
    const paid = s.batch.receipts.reduce((t, r) => t + BigInt(r.amount), 0n);
    const settled = (await rc.batch(s.id)).disputeEnd + 1n;
    const epoch = (settled - 1n) / EPOCH_BLOCKS;
    await rc.advanceTo((epoch + 1n) * EPOCH_BLOCKS);
    // The epoch's last block emits the root.
    const emitted = rc.chain.lastBlock!.events.find((e) => e.type === 'reputation_root');
    expect(emitted?.attributes.find((a) => a.key === 'epoch')?.value).toBe(epoch.toString());
    const operator = rc.address('operator');
    const pts = (await emissionQuery(rc, 'Points', q.QueryPointsRequest, q.QueryPointsResponse, { operator })).points!;
    expect(pts).toMatchObject({ workPoints: 9n, uptimePoints: 0n, total: 9n, updatedEpoch: epoch });
    const rep = (await reputationOf(rc, operator))!;
    // One active epoch (⌊2500/25⌋) and the logarithm of the paid amount over the 2 CAIRN minimum.
    const depth = ilog2(1n + paid / MIN_ACTIVE);
    expect(depth).toBeGreaterThan(0n);
    const score = 100 + Number((2500n * depth) / (depth + 10n));
    expect(rep).toMatchObject({ activeEpochs: 1n, receipts: 9n, faults: 0n, paidAmount: paid.toString(), score });
    expect(rep.score).toBe(reputationScore(rep, false, MIN_ACTIVE));
    const roots = await emissionQuery(rc, 'Roots', q.QueryRootsRequest, q.QueryRootsResponse, { epoch });
    expect(roots.reputation!.root).toEqual(merkleRoot([reputationLeaf(epoch, rc.chain.app.addresses.decode(operator), rep)]));
    expect(emitted?.attributes.find((a) => a.key === 'root')?.value).toBe(Buffer.from(roots.reputation!.root).toString('hex'));
    expect(roots.receiptsRoot).toHaveLength(32);
    expect(roots.royaltyRoot).toHaveLength(32);
    const proved = await rc.chain.query('/store/key', roots.reputationStoreKey, rc.height, true);
    expect(ReputationRoot.decode(proved.value)).toEqual(roots.reputation);
    const proof = ics23.CommitmentProof.decode(proved.proofOps!.ops[0]!.data);
    const appHash = rc.chain.appHashes[rc.chain.appHashes.length - 1]!;
    expect(verifyMembership(proof, STATE_PROOF_SPEC, appHash, proofKey(roots.reputationStoreKey), proved.value)).toBe(true);
    // The registry's catalog carries the score and sorts by it: the scored operator before operator2 (no score).
    expect(await catalog(rc)).toEqual([
      [operator, BigInt(score)],
      [rc.address('operator2'), 0n],
    ]);
    // The next, quiet epoch keeps the operator (same score: no new paid epoch) under a new root.
    await rc.advanceTo((epoch + 2n) * EPOCH_BLOCKS);
    const next = await emissionQuery(rc, 'Roots', q.QueryRootsRequest, q.QueryRootsResponse, { epoch: epoch + 1n });
    expect(next.reputation!.operators).toBe(1n);
  });

  it('has no message that moves points', () => {
    expect(Object.keys(EMISSION_TYPE_URLS).filter((m) => /point/i.test(m))).toEqual([]);
  });

  it('scores deterministically: more paid epochs, paid amount (logarithmically) and challenges raise it, faults lower it, a tombstone zeroes it', () => {
    // 24 active epochs: half the persistence term; 1023 × the minimum paid: depth 10, half the volume term.
    const base = { operator: 'x', activeEpochs: 24n, receipts: 0n, uptimeBps: 10_000, challengesPassed: 4n, faults: 0n, updatedEpoch: 0n, paidAmount: (1023n * MIN_ACTIVE).toString() };
    expect(reputationScore(base, false, MIN_ACTIVE)).toBe(1250 + 1250 + 3000 + 1000);
    expect(reputationScore({ ...base, faults: 1n }, false, MIN_ACTIVE)).toBe(4000);
    expect(reputationScore({ ...base, faults: 3n }, false, MIN_ACTIVE)).toBe(0);
    expect(reputationScore(base, true, MIN_ACTIVE)).toBe(0);
    // The volume term grows by one step per doubling of the paid amount, not with it.
    const volume = (paid: bigint): number => reputationScore({ ...base, activeEpochs: 0n, uptimeBps: 0, challengesPassed: 0n, paidAmount: paid.toString() }, false, MIN_ACTIVE);
    expect([0n, MIN_ACTIVE - 1n, MIN_ACTIVE, 2n * MIN_ACTIVE, 3n * MIN_ACTIVE, 7n * MIN_ACTIVE, 1023n * MIN_ACTIVE, 2047n * MIN_ACTIVE].map(volume)).toEqual([0, 0, 227, 227, 416, 576, 1250, 1309]);
    expect(ilog2(0n)).toBe(0n);
    expect(ilog2(1n)).toBe(0n);
    expect(ilog2(2n ** 100n + 1n)).toBe(100n);
  });

  it('buys nothing with a token self-paid receipt an epoch: no active epoch, no paid amount, and the public catalog sorts as if it never happened', async () => {
    const rc = await startEmissionChain();
    // operator2 makes itself a payer and pays its own operator one token receipt every epoch; the
    // honest operator serves a dozen real receipts once.
    const farmKey = fixedKey('reputation-farm-payer-key');
    const farmer = rc.address('operator2');
    await rc.ok('operator2', [registryMsgs.authorizePayerKey(farmer, farmKey.publicKey), receiptMsgs.deposit(farmer, 100_000_000n)]);
    const first = rc.height / EPOCH_BLOCKS + 1n;
    const epochs = 4n;
    for (let e = first; e < first + epochs; e++) {
      await rc.advanceTo(e * EPOCH_BLOCKS + 1n);
      if (e === first) await rc.honestBatch(12, { unitPrice: REAL_PRICE });
      await rc.honestBatch(1, { role: 'operator2', payer: farmer, payerKey: farmKey as typeof farmKey & Uint8Array });
    }
    await rc.advanceTo((first + epochs + 1n) * EPOCH_BLOCKS);
    const rep = (await reputationOf(rc, farmer))!;
    // Its batches finalized (points count the work), but no epoch reached the 2 CAIRN minimum.
    expect(rep.receipts).toBe(epochs);
    expect(rep).toMatchObject({ activeEpochs: 0n, paidAmount: '0', score: 0 });
    // The honest operator's single real epoch ranks it first; the farmer sits with the idle.
    const honest = (await reputationOf(rc, rc.address('operator')))!;
    expect(honest.activeEpochs).toBe(1n);
    expect(honest.score).toBeGreaterThan(0);
    expect(await catalog(rc)).toEqual([
      [rc.address('operator'), BigInt(honest.score)],
      [farmer, 0n],
    ]);
  });

  it('survive a genesis export and import: the same emission section, and minting carries on from the same total', async () => {
    const rc = await startEmissionChain();
    const s = await rc.honestBatch(4);
    await rc.advanceTo(((await rc.batch(s.id)).disputeEnd / EPOCH_BLOCKS + 1n) * EPOCH_BLOCKS);
    const ctx = { store: rc.chain.store.committed, height: rc.height, addresses: rc.chain.app.addresses };
    const appState: Record<string, unknown> = {};
    for (const m of rc.chain.app.modules) appState[m.name] = await m.genesis.export(ctx);
    const json = JSON.parse(JSON.stringify(appState, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
    const section = json['emission'] as { minted_total: string; points: unknown[]; reputation_roots: unknown[] };
    expect(BigInt(section.minted_total)).toBeGreaterThan(0n);
    expect(section.points).toHaveLength(1);
    const fresh = await AppChain.start({ appState: json });
    const again = await fresh.app.modules.find((m) => m.name === 'emission')!.genesis.export({ store: fresh.store.working, height: 0n, addresses: fresh.app.addresses });
    expect(JSON.parse(JSON.stringify(again))).toEqual(json['emission']);
  });
});
