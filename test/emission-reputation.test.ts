// Points and reputation: written only by the epoch end, deterministic, and each epoch's reputation
// root stored, emitted and provable against the app hash; genesis export/import keeps it all.
import { describe, expect, it } from 'vitest';
import { REGISTRY_QUERY_SERVICE } from '../sdk/registry/queries.ts';
import { ics23, verifyMembership } from '@confio/ics23';
import { STATE_PROOF_SPEC, proofKey } from '../core/store/proof-spec.ts';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';
import * as rq from '../proto/gen/cairn/registry/v1/query.ts';
import { ReputationRoot } from '../proto/gen/cairn/emission/v1/types.ts';
import { merkleRoot, reputationLeaf, reputationScore } from '../modules/emission/reputation.ts';
import { EPOCH_BLOCKS, emissionQuery, startEmissionChain } from './support/emission-chain.ts';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import { AppChain } from './support/app-chain.ts';

describe('operator points and reputation', () => {
  it('count finalized receipts as points, score paid epochs, and prove the epoch’s reputation root through /store/key', async () => {
    const rc = await startEmissionChain();
    const s = await rc.honestBatch(9);
    const settled = (await rc.batch(s.id)).disputeEnd + 1n;
    const epoch = (settled - 1n) / EPOCH_BLOCKS;
    await rc.advanceTo((epoch + 1n) * EPOCH_BLOCKS);
    // The epoch's last block emits the root.
    const emitted = rc.chain.lastBlock!.events.find((e) => e.type === 'reputation_root');
    expect(emitted?.attributes.find((a) => a.key === 'epoch')?.value).toBe(epoch.toString());
    const operator = rc.address('operator');
    const pts = (await emissionQuery(rc, 'Points', q.QueryPointsRequest, q.QueryPointsResponse, { operator })).points!;
    expect(pts).toMatchObject({ workPoints: 9n, uptimePoints: 0n, total: 9n, updatedEpoch: epoch });
    const rep = (await emissionQuery(rc, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator })).reputation!;
    expect(rep).toMatchObject({ activeEpochs: 1n, receipts: 9n, faults: 0n, score: 200 });
    expect(rep.score).toBe(reputationScore(rep, false));
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
    const catalog = await rc.query('Operators', rq.QueryOperatorsRequest, rq.QueryOperatorsResponse, rq.QueryOperatorsRequest.fromPartial({ sortBy: rq.SortBy.SORT_BY_REPUTATION }), REGISTRY_QUERY_SERVICE);
    expect(catalog.operators.map((e) => [e.operator!.address, e.operator!.reputation])).toEqual([
      [operator, 200n],
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

  it('scores deterministically: more paid epochs and challenges raise it, faults lower it, a tombstone zeroes it', () => {
    const base = { operator: 'x', activeEpochs: 24n, receipts: 0n, uptimeBps: 10_000, challengesPassed: 4n, faults: 0n, updatedEpoch: 0n };
    expect(reputationScore(base, false)).toBe(2500 + 3000 + 1000);
    expect(reputationScore({ ...base, faults: 1n }, false)).toBe(4000);
    expect(reputationScore({ ...base, faults: 3n }, false)).toBe(0);
    expect(reputationScore(base, true)).toBe(0);
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
