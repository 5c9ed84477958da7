// Capacity challenges: the chain picks a committed GPU from the block hash at the epoch end; the
// operator proves it with a trusted verifier's signed benchmark in time, or is slashed and jailed.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { describe, expect, it } from 'vitest';
import { capacitySignBytes } from '../sdk/emission/sign-bytes.ts';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import * as keys from '../modules/emission/keys.ts';
import * as registryKeys from '../modules/registry/keys.ts';
import { EPOCH_BLOCKS, emissionQuery, startEmissionChain } from './support/emission-chain.ts';
import type { ReceiptsChain } from './support/receipts-chain.ts';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';
import { type CapacityChallenge, ChallengeStatus } from '../proto/gen/cairn/emission/v1/types.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { VERIFIER, ed25519Key } from './support/registry.ts';

const CAPACITY = { capacity_challenges_per_epoch: 1, capacity_window: '5', fake_capacity_bps: 2000, fake_capacity_jail_blocks: '50' };

async function challenges(rc: ReceiptsChain): Promise<CapacityChallenge[]> {
  const out: CapacityChallenge[] = [];
  for await (const [, c] of keys.challenges.entries(rc.chain.store.committed)) out.push(c);
  return out;
}

function prove(rc: ReceiptsChain, c: CapacityChallenge, signer = VERIFIER, measured = c.gpuCount): EncodeObject {
  const operator = rc.chain.app.addresses.decode(c.operator);
  return {
    typeUrl: EMISSION_TYPE_URLS.MsgProveCapacity,
    value: { operator: c.operator, challengeId: c.id, measuredCount: measured, verifier: signer.publicKey, signature: signer.sign(capacitySignBytes(CHAIN_ID, operator, c.id, c.gpuId, measured)) },
  };
}

describe('capacity challenges', () => {
  it('pick a committed GPU at the epoch end; a trusted verifier’s benchmark in time passes and counts for reputation', async () => {
    // The market is set up in epoch 0; its last block (height 10) picks the operator's GPU.
    const rc = await startEmissionChain({ emission: CAPACITY });
    const [c] = await challenges(rc);
    expect(c).toMatchObject({ epoch: 0n, operator: rc.address('operator'), status: ChallengeStatus.CHALLENGE_STATUS_OPEN, deadline: EPOCH_BLOCKS + 5n });
    // Refused, changing nothing: an untrusted verifier, a short count, someone else's challenge.
    const untrusted = await rc.tx('operator', prove(rc, c!, ed25519Key(901)));
    expect({ code: untrusted.code, codespace: untrusted.codespace }).toEqual({ code: 9, codespace: 'emission' });
    const short = await rc.tx('operator', prove(rc, c!, VERIFIER, c!.gpuCount - 1));
    expect({ code: short.code, codespace: short.codespace }).toEqual({ code: 10, codespace: 'emission' });
    const other = await rc.tx('operator2', { ...prove(rc, c!), value: { ...prove(rc, c!).value, operator: rc.address('operator2') } });
    expect({ code: other.code, codespace: other.codespace }).toEqual({ code: 8, codespace: 'emission' });
    expect((await challenges(rc))[0]!.status).toBe(ChallengeStatus.CHALLENGE_STATUS_OPEN);
    await rc.ok('operator', prove(rc, c!));
    expect((await challenges(rc))[0]!.status).toBe(ChallengeStatus.CHALLENGE_STATUS_PASSED);
    await rc.advanceTo(2n * EPOCH_BLOCKS);
    const rep = (await emissionQuery(rc, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator: rc.address('operator') })).reputation!;
    expect(rep.challengesPassed).toBe(1n);
    expect(await rc.operatorStatus('operator')).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
    // Challenges (open and settled) and the tally survive a genesis export and import.
    const ctx = { store: rc.chain.store.committed, height: rc.height, addresses: rc.chain.app.addresses };
    const appState: Record<string, unknown> = {};
    for (const m of rc.chain.app.modules) appState[m.name] = await m.genesis.export(ctx);
    const json = JSON.parse(JSON.stringify(appState, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
    expect((json['emission'] as { challenges: unknown[] }).challenges.length).toBeGreaterThanOrEqual(2);
    const fresh = await AppChain.start({ appState: json });
    const again = await fresh.app.modules.find((m) => m.name === 'emission')!.genesis.export({ store: fresh.store.working, height: 0n, addresses: fresh.app.addresses });
    expect(JSON.parse(JSON.stringify(again))).toEqual(json['emission']);
  });

  it('turn an unanswered challenge into the fake-capacity fault: 20% of the bond slashed, the operator jailed and the GPU commitment removed', async () => {
    const rc = await startEmissionChain({ emission: CAPACITY });
    const [c] = await challenges(rc);
    const bond = await rc.bond('operator');
    const gpuIds = async (): Promise<string[]> => {
      const out: string[] = [];
      for await (const [[, id]] of registryKeys.gpus.entries(rc.chain.store.committed, { subPrefix: registryKeys.addressPrefix(rc.chain.app.addresses.decode(c!.operator)) })) out.push(id);
      return out;
    };
    expect(await gpuIds()).toContain(c!.gpuId);
    const before = (await gpuIds()).length;
    await rc.advanceTo(c!.deadline + 1n);
    expect((await challenges(rc))[0]!.status).toBe(ChallengeStatus.CHALLENGE_STATUS_FAILED);
    expect(await rc.bond('operator')).toBe(bond - (bond * 2000n) / 10_000n);
    expect(await rc.operatorStatus('operator')).toBe(OperatorStatus.OPERATOR_STATUS_JAILED);
    // Only the challenged GPU goes; the operator's other commitments stay.
    expect(await gpuIds()).not.toContain(c!.gpuId);
    expect((await gpuIds()).length).toBe(before - 1);
    // Too late now.
    const late = await rc.tx('operator', prove(rc, c!));
    expect({ code: late.code, codespace: late.codespace }).toEqual({ code: 8, codespace: 'emission' });
  });
});
