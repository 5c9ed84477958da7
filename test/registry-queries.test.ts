// The public catalog and the other registry queries: filters, orders, pagination and errors.
import { beforeAll, describe, expect, it } from 'vitest';
import * as keys from '../modules/registry/keys.ts';
import {
  QueryModelRequest,
  QueryModelResponse,
  QueryModelServersRequest,
  QueryModelServersResponse,
  QueryModelsRequest,
  QueryModelsResponse,
  QueryOperatorRequest,
  QueryOperatorResponse,
  QueryOperatorsRequest,
  QueryOperatorsResponse,
  SortBy,
} from '../proto/gen/cairn/registry/v1/query.ts';
import { GpuTier, ModelKind, type PageRequest, TeeType, TrustLevel } from '../proto/gen/cairn/registry/v1/types.ts';
import { RegistryChain, attestation, gpu, msgs } from './support/registry.ts';
import type { TestWallet } from './support/wallets.ts';

let rc: RegistryChain;
let A: TestWallet, B: TestWallet, C: TestWallet, author: TestWallet;

async function operators(req: Partial<QueryOperatorsRequest> = {}): Promise<QueryOperatorsResponse> {
  return rc.query('Operators', QueryOperatorsRequest, QueryOperatorsResponse, QueryOperatorsRequest.fromPartial(req));
}

async function ids(req: Partial<QueryOperatorsRequest> = {}): Promise<string[]> {
  return (await operators(req)).operators.map((e) => e.operator!.moniker);
}

const page = (p: Partial<PageRequest>): PageRequest => ({ key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, reverse: false, ...p });

beforeAll(async () => {
  rc = await RegistryChain.start();
  [A, B, C, author] = rc.wallets as [TestWallet, TestWallet, TestWallet, TestWallet];
  // A: eu-west, H100 datacenter at 3/h, verified SEV-SNP; serves m at 5
  // B: eu-west, RTX-4090 consumer at 1/h, self-declared; serves m at 2; reputation 7
  // C: us-east, H100 datacenter at 2/h, no attestation; unbonded (inactive)
  await rc.ok(A, msgs.registerOperator(A.address, 1, { moniker: 'a' }));
  await rc.ok(B, msgs.registerOperator(B.address, 2, { moniker: 'b' }));
  await rc.ok(C, msgs.registerOperator(C.address, 3, { moniker: 'c', region: 'us-east' }));
  await rc.ok(A, msgs.commitGpus(A.address, [gpu('g0', { pricePerHour: { denom: 'ucairn', amount: '3' } })]));
  await rc.ok(B, msgs.commitGpus(B.address, [gpu('g0', { model: 'RTX-4090', vramGb: 24, tier: GpuTier.GPU_TIER_CONSUMER, teeTypes: [TeeType.TEE_TYPE_NONE], pricePerHour: { denom: 'ucairn', amount: '1' } })]));
  await rc.ok(C, msgs.commitGpus(C.address, [gpu('g0', { pricePerHour: { denom: 'ucairn', amount: '2' } })]));
  const now = rc.nextBlockTime;
  await rc.ok(A, msgs.submitAttestation(attestation(rc.chain.app.addresses.decode(A.address), A.address, 'g0', { issuedAt: now, expiresAt: now + 100_000n })));
  await rc.ok(B, msgs.submitAttestation(attestation(rc.chain.app.addresses.decode(B.address), B.address, 'g0', { teeType: TeeType.TEE_TYPE_NONE, issuedAt: now, expiresAt: now + 100_000n })));
  await rc.ok(author, [msgs.registerModel(author.address, 'm'), msgs.registerAdapter(author.address, 'm/lora', 'm'), msgs.registerModel(author.address, 'z', { royaltyBps: 0, recipients: [] })]);
  await rc.ok(author, msgs.deprecateModel(author.address, 'z'));
  await rc.ok(A, msgs.serveModel(A.address, 'm', 5n));
  await rc.ok(B, msgs.serveModel(B.address, 'm', 2n));
  await rc.ok(C, msgs.serveModel(C.address, 'm', 1n));
  await rc.ok(C, msgs.beginUnbond(C.address, 1_000_000n));
  // Reputation is written by the epoch logic of a later module; here the test writes it directly.
  await rc.inBlock(async (ctx) => {
    const address = rc.chain.app.addresses.decode(B.address);
    const op = (await keys.operators.get(ctx.store, address))!;
    keys.operators.set(ctx.store, address, { ...op, reputation: 7n });
  });
});

describe('the Operators catalog', () => {
  it('lists active operators by address, and everyone with include_inactive', async () => {
    expect((await ids()).sort()).toEqual(['a', 'b']);
    expect((await ids({ includeInactive: true })).sort()).toEqual(['a', 'b', 'c']);
  });

  it('filters by region, GPU model (any case), tier and TEE type', async () => {
    expect(await ids({ region: 'eu-west', includeInactive: true, sortBy: SortBy.SORT_BY_PRICE })).toEqual(['b', 'a']);
    expect(await ids({ region: 'us-east', includeInactive: true })).toEqual(['c']);
    expect(await ids({ gpuModel: 'h100-80gb', includeInactive: true, sortBy: SortBy.SORT_BY_PRICE })).toEqual(['c', 'a']);
    expect(await ids({ tier: GpuTier.GPU_TIER_CONSUMER })).toEqual(['b']);
    expect(await ids({ teeType: TeeType.TEE_TYPE_SEV_SNP })).toEqual(['a']);
    expect(await ids({ teeType: TeeType.TEE_TYPE_NONE })).toEqual(['b']);
    expect(await ids({ teeType: TeeType.TEE_TYPE_TDX })).toEqual([]);
    expect(await ids({ gpuModel: 'RTX-4090', teeType: TeeType.TEE_TYPE_SEV_SNP })).toEqual([]);
  });

  it('filters by served model and sorts by the serving price', async () => {
    const r = await operators({ servedModel: 'm', sortBy: SortBy.SORT_BY_PRICE, includeInactive: true });
    expect(r.operators.map((e) => [e.operator!.moniker, e.price!.amount])).toEqual([['c', '1'], ['b', '2'], ['a', '5']]);
    expect(await ids({ servedModel: 'm/lora' })).toEqual([]);
  });

  it('sorts by the cheapest matching GPU, and returns only the GPUs that matched', async () => {
    const r = await operators({ sortBy: SortBy.SORT_BY_PRICE });
    expect(r.operators.map((e) => [e.operator!.moniker, e.price!.amount, e.gpus.length])).toEqual([['b', '1', 1], ['a', '3', 1]]);
  });

  it('sorts by reputation, then trust level (a verified TEE above a self-declared one)', async () => {
    const r = await operators({ sortBy: SortBy.SORT_BY_REPUTATION });
    expect(r.operators.map((e) => [e.operator!.moniker, e.trustLevel])).toEqual([['b', TrustLevel.TRUST_LEVEL_SELF_DECLARED], ['a', TrustLevel.TRUST_LEVEL_VERIFIED_TEE]]);
    const ties = await operators({ sortBy: SortBy.SORT_BY_REPUTATION, region: 'eu-west', tier: GpuTier.GPU_TIER_DATACENTER });
    expect(ties.operators.map((e) => e.operator!.moniker)).toEqual(['a']);
  });

  it('pages with next_key, offset, count_total and reverse', async () => {
    const order = { sortBy: SortBy.SORT_BY_PRICE, includeInactive: true, servedModel: 'm' };
    const first = await operators({ ...order, pagination: page({ limit: 1n, countTotal: true }) });
    expect(first.operators.map((e) => e.operator!.moniker)).toEqual(['c']);
    expect(first.pagination!.total).toBe(3n);
    const second = await operators({ ...order, pagination: page({ limit: 1n, key: first.pagination!.nextKey }) });
    expect(second.operators.map((e) => e.operator!.moniker)).toEqual(['b']);
    const third = await operators({ ...order, pagination: page({ limit: 5n, key: second.pagination!.nextKey }) });
    expect(third.operators.map((e) => e.operator!.moniker)).toEqual(['a']);
    expect(third.pagination!.nextKey).toEqual(new Uint8Array());
    expect((await operators({ ...order, pagination: page({ offset: 2n }) })).operators.map((e) => e.operator!.moniker)).toEqual(['a']);
    expect((await operators({ ...order, pagination: page({ reverse: true }) })).operators.map((e) => e.operator!.moniker)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a page both by key and offset, or larger than 1000', async () => {
    await expect(operators({ pagination: page({ key: Uint8Array.of(1), offset: 1n }) })).rejects.toMatchObject({ code: 18, codespace: 'sdk' });
    await expect(operators({ pagination: page({ limit: 1001n }) })).rejects.toThrow(/above the maximum 1000/);
  });
});

describe('model queries', () => {
  it('lists who serves a model, cheapest first, leaving out inactive operators', async () => {
    const r = await rc.query('ModelServers', QueryModelServersRequest, QueryModelServersResponse, { modelId: 'm', pagination: undefined });
    expect(r.servers.map((s) => [s.moniker, s.offer!.pricePerUnit!.amount, s.region, s.trustLevel])).toEqual([
      ['b', '2', 'eu-west', TrustLevel.TRUST_LEVEL_SELF_DECLARED],
      ['a', '5', 'eu-west', TrustLevel.TRUST_LEVEL_VERIFIED_TEE],
    ]);
  });

  it('filters models by kind, author and deprecation', async () => {
    const list = async (req: Partial<QueryModelsRequest>) =>
      (await rc.query('Models', QueryModelsRequest, QueryModelsResponse, QueryModelsRequest.fromPartial(req))).models.map((m) => m.id);
    expect(await list({})).toEqual(['m', 'm/lora']);
    expect(await list({ includeDeprecated: true })).toEqual(['m', 'm/lora', 'z']);
    expect(await list({ kind: ModelKind.MODEL_KIND_ADAPTER })).toEqual(['m/lora']);
    expect(await list({ author: A.address })).toEqual([]);
    expect(await list({ author: author.address, pagination: page({ limit: 1n, countTotal: true }) })).toEqual(['m']);
  });

  it('answers NotFound for a missing model or operator, and InvalidArgument for a bad address', async () => {
    await expect(rc.query('Model', QueryModelRequest, QueryModelResponse, { id: 'nope' })).rejects.toMatchObject({ code: 22, codespace: 'sdk', log: expect.stringContaining('NotFound') });
    await expect(rc.query('ModelServers', QueryModelServersRequest, QueryModelServersResponse, { modelId: 'nope', pagination: undefined })).rejects.toMatchObject({ code: 22 });
    await expect(rc.query('Operator', QueryOperatorRequest, QueryOperatorResponse, { address: author.address })).rejects.toMatchObject({ code: 22 });
    await expect(rc.query('Operator', QueryOperatorRequest, QueryOperatorResponse, { address: 'cosmos1abc' })).rejects.toMatchObject({ code: 18 });
  });

  it('answers at a past height as the registry was then', async () => {
    const before = rc.height;
    await rc.ok(author, msgs.registerModel(author.address, 'later'));
    await expect(rc.query('Model', QueryModelRequest, QueryModelResponse, { id: 'later' }, before)).rejects.toMatchObject({ code: 22 });
    expect((await rc.query('Model', QueryModelRequest, QueryModelResponse, { id: 'later' })).model!.id).toBe('later');
  });
});
