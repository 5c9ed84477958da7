// Bonded capacity challenges: anyone posting capacity_challenge_bond challenges a committed GPU. An
// honest operator proves it and keeps the bond; an unanswered challenge is the fake-capacity fault
// and pays the challenger its bond back plus challenger_reward_bps of the slash, the rest burned.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { describe, expect, it } from 'vitest';
import { capacitySignBytes } from '../sdk/emission/sign-bytes.ts';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import * as keys from '../modules/emission/keys.ts';
import { EPOCH_BLOCKS, emissionQuery, startEmissionChain } from './support/emission-chain.ts';
import * as registryKeys from '../modules/registry/keys.ts';
import { FEE, GPU_ID, type ReceiptsChain, type Role } from './support/receipts-chain.ts';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';
import { type CapacityChallenge, ChallengeStatus } from '../proto/gen/cairn/emission/v1/types.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { moduleAddress } from '../core/framework/address.ts';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { VERIFIER } from './support/registry.ts';

const BOND = 5_000_000n;
// No random picks: every challenge here is a bonded one.
const PARAMS = { capacity_challenges_per_epoch: 0, capacity_window: '5', fake_capacity_bps: 2000, fake_capacity_jail_blocks: '50', capacity_challenge_bond: BOND.toString(), challenger_reward_bps: 2500 };

function challenge(rc: ReceiptsChain, by: Role, operator: string, gpuId: string): EncodeObject {
  return { typeUrl: EMISSION_TYPE_URLS.MsgChallengeCapacity, value: { challenger: rc.address(by), operator, gpuId } };
}

function prove(rc: ReceiptsChain, c: CapacityChallenge): EncodeObject {
  const operator = rc.chain.app.addresses.decode(c.operator);
  return {
    typeUrl: EMISSION_TYPE_URLS.MsgProveCapacity,
    value: { operator: c.operator, challengeId: c.id, measuredCount: c.gpuCount, verifier: VERIFIER.publicKey, signature: VERIFIER.sign(capacitySignBytes(CHAIN_ID, operator, c.id, c.gpuId, c.gpuCount)) },
  };
}

async function challenges(rc: ReceiptsChain): Promise<CapacityChallenge[]> {
  const out: CapacityChallenge[] = [];
  for await (const [, c] of keys.challenges.entries(rc.chain.store.committed)) out.push(c);
  return out;
}

async function gpuIds(rc: ReceiptsChain, role: Role): Promise<string[]> {
  const out: string[] = [];
  for await (const [[, id]] of registryKeys.gpus.entries(rc.chain.store.committed, { subPrefix: registryKeys.addressPrefix(rc.chain.app.addresses.decode(rc.address(role))) })) out.push(id);
  return out;
}

describe('bonded capacity challenges', () => {
  it('cost a griefer its bond: the honest operator proves in time and receives it, and the pass earns no reputation', async () => {
    const rc = await startEmissionChain({ emission: PARAMS });
    const griefer = await rc.balance(rc.address('griefer'));
    const operator = await rc.balance(rc.address('operator'));
    await rc.ok('griefer', challenge(rc, 'griefer', rc.address('operator'), GPU_ID));
    const [c] = await challenges(rc);
    expect(c).toMatchObject({ operator: rc.address('operator'), gpuId: GPU_ID, gpuCount: 4, challenger: rc.address('griefer'), bond: BOND.toString(), status: ChallengeStatus.CHALLENGE_STATUS_OPEN, deadline: rc.height + 5n });
    expect(await rc.moduleBalance(keys.CHALLENGE_ACCOUNT)).toBe(BOND);
    expect(await rc.balance(rc.address('griefer'))).toBe(griefer - BOND - FEE);
    // The operator finds what to prove, and by when, in the OpenChallenges query.
    const open = async (): Promise<CapacityChallenge[]> => (await emissionQuery(rc, 'OpenChallenges', q.QueryOpenChallengesRequest, q.QueryOpenChallengesResponse, { operator: rc.address('operator') })).challenges;
    expect(await open()).toEqual([c]);
    expect((await emissionQuery(rc, 'Challenge', q.QueryChallengeRequest, q.QueryChallengeResponse, { id: c!.id })).challenge).toEqual(c);
    await expect(emissionQuery(rc, 'Challenge', q.QueryChallengeRequest, q.QueryChallengeResponse, { id: 99n })).rejects.toThrow(/capacity challenge 99 not found/);
    await rc.ok('operator', prove(rc, c!));
    expect(await open()).toEqual([]);
    expect((await challenges(rc))[0]!.status).toBe(ChallengeStatus.CHALLENGE_STATUS_PASSED);
    expect(await rc.balance(rc.address('operator'))).toBe(operator + BOND - FEE);
    expect(await rc.moduleBalance(keys.CHALLENGE_ACCOUNT)).toBe(0n);
    // A second account of the operator could open it: bonded passes do not count as passed challenges.
    const passed: unknown[] = [];
    for await (const e of keys.passed.entries(rc.chain.store.committed)) passed.push(e);
    expect(passed).toEqual([]);
    await rc.advanceTo(c!.deadline + 20n);
    // (The operator has no usage either, so it has no reputation record at all.)
    await expect(emissionQuery(rc, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator: rc.address('operator') })).rejects.toThrow(/has no reputation yet/);
    expect(await rc.operatorStatus('operator')).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
    expect(await gpuIds(rc, 'operator')).toContain(GPU_ID);
    // The GPU can be challenged again once the first challenge is settled.
    await rc.ok('challenger', challenge(rc, 'challenger', rc.address('operator'), GPU_ID));
  });

  it('pay the challenger its bond back and 25% of the slash when the operator does not answer; the rest is burned, the operator jailed and the GPU uncommitted', async () => {
    const rc = await startEmissionChain({ emission: PARAMS });
    await rc.ok('challenger', challenge(rc, 'challenger', rc.address('operator'), 'h100-b'));
    const [c] = await challenges(rc);
    const challenger = await rc.balance(rc.address('challenger'));
    const bond = await rc.bond('operator');
    const supply = await rc.supply();
    await rc.advanceTo(c!.deadline + 1n);
    const slashed = (bond * 2000n) / 10_000n;
    const reward = (slashed * 2500n) / 10_000n;
    expect((await challenges(rc))[0]!.status).toBe(ChallengeStatus.CHALLENGE_STATUS_FAILED);
    expect(await rc.bond('operator')).toBe(bond - slashed);
    expect(await rc.balance(rc.address('challenger'))).toBe(challenger + BOND + reward);
    expect(await rc.moduleBalance(keys.CHALLENGE_ACCOUNT)).toBe(0n);
    // Nothing was minted in these blocks (no usage): the supply fell by exactly the burned part.
    expect(await rc.supply()).toBe(supply - (slashed - reward));
    expect(await rc.operatorStatus('operator')).toBe(OperatorStatus.OPERATOR_STATUS_JAILED);
    expect(await gpuIds(rc, 'operator')).toEqual([GPU_ID]);
    // Too late to prove now.
    const late = await rc.tx('operator', prove(rc, c!));
    expect({ code: late.code, codespace: late.codespace }).toEqual({ code: 8, codespace: 'emission' });
  });

  it('refuse a GPU that is not committed, an unregistered or inactive operator, a GPU already challenged, a self-challenge and a challenger who cannot pay, changing nothing', async () => {
    const rc = await startEmissionChain({ emission: PARAMS });
    const operator = rc.address('operator');
    await rc.expectRefused('challenger', challenge(rc, 'challenger', operator, 'no-such-gpu'), { code: 12, codespace: 'emission' }, 'has no GPU no-such-gpu');
    await rc.expectRefused('challenger', challenge(rc, 'challenger', rc.address('payer'), GPU_ID), { code: 7, codespace: 'emission' });
    await rc.expectRefused('operator', challenge(rc, 'operator', operator, GPU_ID), { code: 11, codespace: 'emission' }, 'cannot challenge itself');
    await rc.expectRefused('challenger', { ...challenge(rc, 'challenger', operator, ''), value: { challenger: rc.address('challenger'), operator, gpuId: '' } }, { code: 11, codespace: 'emission' });
    await rc.ok('challenger', challenge(rc, 'challenger', operator, GPU_ID));
    await rc.expectRefused('griefer', challenge(rc, 'griefer', operator, GPU_ID), { code: 13, codespace: 'emission' }, /under challenge 1/);
    expect((await challenges(rc)).length).toBe(1);
    // A jailed operator is not challengeable (its capacity is out of the catalog anyway).
    await rc.advanceTo((await challenges(rc))[0]!.deadline + 1n);
    expect(await rc.operatorStatus('operator')).toBe(OperatorStatus.OPERATOR_STATUS_JAILED);
    await rc.expectRefused('griefer', challenge(rc, 'griefer', operator, 'h100-b'), { code: 12, codespace: 'emission' }, 'is not active');
  });

  it('are not opened, by the chain or by anyone, while the registry trusts no verifier: nobody could answer them', async () => {
    const rc = await startEmissionChain({ emission: { ...PARAMS, capacity_challenges_per_epoch: 4 }, registry: { trusted_verifiers: [] } });
    await rc.expectRefused('challenger', challenge(rc, 'challenger', rc.address('operator'), GPU_ID), { code: 9, codespace: 'emission' }, 'trusts no verifier');
    await rc.advanceTo(3n * EPOCH_BLOCKS);
    expect(await challenges(rc)).toEqual([]);
    expect(await rc.operatorStatus('operator')).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
  });

  it('survive a genesis export and import while open: the bond stays backed, the GPU stays marked, and the fault still pays the challenger', async () => {
    const rc = await startEmissionChain({ emission: PARAMS });
    await rc.ok('challenger', challenge(rc, 'challenger', rc.address('operator'), GPU_ID));
    const ctx = { store: rc.chain.store.committed, height: rc.height, addresses: rc.chain.app.addresses };
    const appState: Record<string, unknown> = {};
    for (const m of rc.chain.app.modules) appState[m.name] = await m.genesis.export(ctx);
    const json = JSON.parse(JSON.stringify(appState, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
    const fresh = await AppChain.start({ appState: json });
    // Every module's invariants (the challenge account's included) are checked after each block.
    await fresh.block();
    const open: CapacityChallenge[] = [];
    for await (const [, id] of keys.openByGpu.entries(fresh.store.committed)) open.push((await keys.challenges.get(fresh.store.committed, id))!);
    const [c] = open;
    expect(open).toHaveLength(1);
    expect(c).toMatchObject({ challenger: rc.address('challenger'), bond: BOND.toString(), gpuId: GPU_ID });
    expect(await fresh.balance(fresh.app.addresses.encode(moduleAddress(keys.CHALLENGE_ACCOUNT)))).toBe(BOND);
    const before = await fresh.balance(rc.address('challenger'));
    while (fresh.height <= c!.deadline) await fresh.block();
    expect(await fresh.balance(fresh.app.addresses.encode(moduleAddress(keys.CHALLENGE_ACCOUNT)))).toBe(0n);
    expect(await fresh.balance(rc.address('challenger'))).toBeGreaterThan(before + BOND);
  });

  it('refuse a challenger whose balance is below the bond with insufficient funds', async () => {
    const rc = await startEmissionChain({ emission: { ...PARAMS, capacity_challenge_bond: (10n ** 13n).toString() } });
    await rc.expectRefused('challenger', challenge(rc, 'challenger', rc.address('operator'), GPU_ID), { code: 5, codespace: 'sdk' }, 'insufficient funds');
    expect(await challenges(rc)).toEqual([]);
  });
});
