// Operators on the registry: registration with a bond, listing updates, bonding and unbonding,
// receipt-key rotation and GPU commitments. Every refused message is checked to change nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import * as E from '../modules/registry/errors.ts';
import { QueryOperatorRequest, QueryOperatorResponse, QueryOperatorsRequest, QueryOperatorsResponse } from '../proto/gen/cairn/registry/v1/query.ts';
import { OperatorStatus, TeeType } from '../proto/gen/cairn/registry/v1/types.ts';
import { ErrInsufficientFunds } from '../core/framework/sdk-errors.ts';
import { FEE, FUNDS, MIN_BOND, RegistryChain, UNBONDING_BLOCKS, attestation, ed25519Key, gpu, msgs } from './support/registry.ts';

let rc: RegistryChain;
let alice: string;
let bob: string;

async function operator(address: string): Promise<QueryOperatorResponse> {
  return rc.query('Operator', QueryOperatorRequest, QueryOperatorResponse, { address });
}

async function catalog(): Promise<string[]> {
  const r = await rc.query('Operators', QueryOperatorsRequest, QueryOperatorsResponse, QueryOperatorsRequest.fromPartial({}));
  return r.operators.map((e) => e.operator!.address);
}

function attrs(result: { events: { type: string; attributes: { key: string; value: string }[] }[] }, type: string): Record<string, string> {
  const e = result.events.find((x) => x.type === type);
  return Object.fromEntries((e?.attributes ?? []).map((a) => [a.key, a.value]));
}

beforeEach(async () => {
  rc = await RegistryChain.start({ params: { max_unbonding_entries: 2, max_gpus_per_operator: 3 } });
  [alice, bob] = [rc.wallets[0]!.address, rc.wallets[1]!.address];
});

const [A, B] = [0, 1];
const w = (i: number) => rc.wallets[i]!;

describe('MsgRegisterOperator', () => {
  it('lists an active operator and moves its bond into the registry_bonds module account', async () => {
    const r = await rc.ok(w(A), msgs.registerOperator(alice, 1));
    expect(attrs(r, 'register_operator')).toMatchObject({ operator: alice, bond: `${MIN_BOND}ucairn`, region: 'eu-west' });
    expect(await rc.bondsBalance()).toBe(MIN_BOND);
    expect(await rc.chain.balance(alice)).toBe(FUNDS - MIN_BOND - FEE);
    const res = await operator(alice);
    expect(res.active).toBe(true);
    expect(res.operator).toMatchObject({
      address: alice,
      moniker: 'gpu-farm',
      endpoints: ['https://gpu.example.com/v1'],
      linkedHosts: ['aleph-crn-0f3a'],
      status: OperatorStatus.OPERATOR_STATUS_ACTIVE,
      bond: { denom: 'ucairn', amount: MIN_BOND.toString() },
      registeredHeight: rc.height,
      receiptKeySince: rc.height,
    });
    expect(res.operator!.receiptKey).toEqual(ed25519Key(1).publicKey);
    expect(await catalog()).toEqual([alice]);
  });

  it('refuses a bond below min_operator_bond', async () => {
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { bond: { denom: 'ucairn', amount: (MIN_BOND - 1n).toString() } }), E.ErrBondTooLow, '999999ucairn < 1000000ucairn');
  });

  it('refuses a bond in another denom', async () => {
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { bond: { denom: 'uatom', amount: MIN_BOND.toString() } }), E.ErrInvalidBond, 'bonds are in ucairn');
  });

  it('refuses a missing or zero bond before the block', async () => {
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { bond: undefined }), E.ErrInvalidBond, 'bond is missing');
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { bond: { denom: 'ucairn', amount: '0' } }), E.ErrInvalidBond, 'must be positive');
  });

  it('refuses a second registration of the same operator', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 2), E.ErrOperatorExists, alice);
  });

  it('refuses endpoints that are not https URLs', async () => {
    for (const url of ['http://gpu.example.com', 'ftp://gpu.example.com', 'gpu.example.com', 'https://user:pw@gpu.example.com', 'https://gpu.example.com/#x', ' https://gpu.example.com']) {
      await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { endpoints: [url] }), E.ErrInvalidEndpoint);
    }
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { endpoints: [] }), E.ErrInvalidEndpoint, 'at least one endpoint');
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { endpoints: ['https://a.example', 'https://a.example'] }), E.ErrInvalidEndpoint, 'listed twice');
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { endpoints: [`https://a.example/${'x'.repeat(300)}`] }), E.ErrInvalidEndpoint, 'the limit is 256');
  });

  it('refuses more endpoints than max_endpoints', async () => {
    const endpoints = [1, 2, 3, 4, 5].map((i) => `https://n${i}.example.com`);
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { endpoints }), E.ErrInvalidEndpoint, 'max_endpoints is 4');
  });

  it('refuses a receipt key that is not 32 bytes', async () => {
    for (const length of [0, 31, 33, 64]) {
      await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { receiptKey: new Uint8Array(length).fill(1) }), E.ErrInvalidKey, `receipt_key has ${length} bytes`);
    }
  });

  it('refuses a receipt key that another operator already uses', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.expectRefused(w(B), msgs.registerOperator(bob, 1), E.ErrReceiptKeyInUse);
  });

  it('refuses a bad moniker, region or linked host', async () => {
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { moniker: '' }), E.ErrInvalidMoniker);
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { moniker: 'x'.repeat(65) }), E.ErrInvalidMoniker);
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { moniker: 'bad\nname' }), E.ErrInvalidMoniker);
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { region: 'EU West' }), E.ErrInvalidRegion);
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { linkedHosts: ['has space'] }), E.ErrInvalidLinkedHost);
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { linkedHosts: ['a', 'a'] }), E.ErrInvalidLinkedHost, 'listed twice');
  });

  it('refuses a bad operator address', async () => {
    const r = await rc.check(w(A), msgs.registerOperator('cairn1notanaddress', 1));
    expect(r.code).not.toBe(0);
  });

  it('fails with insufficient funds when the bond is more than the balance, changing nothing', async () => {
    await rc.expectRefused(w(A), msgs.registerOperator(alice, 1, { bond: { denom: 'ucairn', amount: (FUNDS * 2n).toString() } }), ErrInsufficientFunds);
  });
});

describe('MsgUpdateOperator', () => {
  it('replaces the moniker, endpoints, region and linked hosts', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.ok(w(A), msgs.updateOperator(alice, { linkedHosts: ['crn-1', 'crn-2'] }));
    expect((await operator(alice)).operator).toMatchObject({ moniker: 'renamed', endpoints: ['https://new.example.com'], region: 'us-east', linkedHosts: ['crn-1', 'crn-2'] });
  });

  it('refuses an update of an operator that is not registered', async () => {
    await rc.expectRefused(w(A), msgs.updateOperator(alice), E.ErrOperatorNotFound);
  });

  it("cannot be sent for another operator: the message needs that operator's signature", async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    const r = await rc.check(w(B), msgs.updateOperator(alice));
    expect(r.codespace).toBe('sdk');
    expect([4, 8]).toContain(r.code);
    expect((await operator(alice)).operator!.moniker).toBe('gpu-farm');
  });

  it('refuses a non-https endpoint and more linked hosts than max_linked_hosts', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.expectRefused(w(A), msgs.updateOperator(alice, { endpoints: ['http://plain.example.com'] }), E.ErrInvalidEndpoint, 'not https');
    await rc.expectRefused(w(A), msgs.updateOperator(alice, { linkedHosts: [...'abcdefghi'] }), E.ErrInvalidLinkedHost, 'max_linked_hosts is 8');
  });
});

describe('MsgAddBond', () => {
  it('adds to the bond and to the module account', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.ok(w(A), msgs.addBond(alice, 500n));
    expect((await operator(alice)).operator!.bond!.amount).toBe((MIN_BOND + 500n).toString());
    expect(await rc.bondsBalance()).toBe(MIN_BOND + 500n);
  });

  it('refuses coins in another denom and an unregistered operator', async () => {
    await rc.expectRefused(w(A), msgs.addBond(alice, 5n), E.ErrOperatorNotFound);
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.expectRefused(w(A), msgs.addBond(alice, 5n, 'uatom'), E.ErrInvalidBond);
    await rc.expectRefused(w(A), msgs.addBond(alice, 0n), E.ErrInvalidBond, 'must be positive');
  });

  it('brings an operator that unbonded everything back into the catalog', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.ok(w(A), msgs.beginUnbond(alice, MIN_BOND));
    expect((await operator(alice)).operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_UNBONDING);
    expect(await catalog()).toEqual([]);
    await rc.ok(w(A), msgs.addBond(alice, MIN_BOND));
    expect((await operator(alice)).operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
    expect(await catalog()).toEqual([alice]);
  });
});

describe('MsgBeginUnbond', () => {
  it('keeps unbonding coins in the module account until operator_unbonding_blocks have passed, then pays them out without a tx', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1, { bond: { denom: 'ucairn', amount: (MIN_BOND * 3n).toString() } }));
    const r = await rc.ok(w(A), msgs.beginUnbond(alice, MIN_BOND));
    const start = rc.height;
    expect(attrs(r, 'begin_unbond')).toMatchObject({ amount: `${MIN_BOND}ucairn`, completion_height: String(start + UNBONDING_BLOCKS) });
    const res = await operator(alice);
    expect(res.operator!.bond!.amount).toBe((MIN_BOND * 2n).toString());
    expect(res.unbonding).toMatchObject([{ operator: alice, amount: { amount: MIN_BOND.toString() }, completionHeight: start + UNBONDING_BLOCKS }]);
    expect(res.active).toBe(true);
    const before = await rc.chain.balance(alice);
    while (rc.height < start + UNBONDING_BLOCKS - 1n) await rc.block();
    expect(await rc.chain.balance(alice)).toBe(before);
    expect(await rc.bondsBalance()).toBe(MIN_BOND * 3n);
    await rc.block();
    expect(await rc.chain.balance(alice)).toBe(before + MIN_BOND);
    expect(await rc.bondsBalance()).toBe(MIN_BOND * 2n);
    expect((await operator(alice)).unbonding).toEqual([]);
    expect(rc.chain.lastBlock!.events.some((e) => e.type === 'complete_unbonding')).toBe(true);
  });

  it('takes an operator that unbonds everything out of the catalog', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.ok(w(A), msgs.beginUnbond(alice, MIN_BOND));
    const res = await operator(alice);
    expect(res.operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_UNBONDING);
    expect(res.active).toBe(false);
    expect(await catalog()).toEqual([]);
  });

  it('refuses to unbond more than is bonded, or to leave less than the minimum bonded', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1, { bond: { denom: 'ucairn', amount: (MIN_BOND + 10n).toString() } }));
    await rc.expectRefused(w(A), msgs.beginUnbond(alice, MIN_BOND + 11n), E.ErrInsufficientBond);
    await rc.expectRefused(w(A), msgs.beginUnbond(alice, 11n), E.ErrBondTooLow, 'unbond everything or keep at least');
    await rc.expectRefused(w(A), msgs.beginUnbond(alice, 5n, 'uatom'), E.ErrInvalidBond);
  });

  it('refuses more pending entries than max_unbonding_entries', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1, { bond: { denom: 'ucairn', amount: (MIN_BOND * 2n).toString() } }));
    await rc.ok(w(A), msgs.beginUnbond(alice, 1n));
    await rc.ok(w(A), msgs.beginUnbond(alice, 1n));
    await rc.expectRefused(w(A), msgs.beginUnbond(alice, 1n), E.ErrTooManyUnbondingEntries, 'max_unbonding_entries is 2');
  });
});

describe('MsgRotateReceiptKey', () => {
  it('makes the new key current and keeps the old one valid for receipts up to the rotation block', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    const registered = rc.height;
    await rc.ok(w(A), msgs.rotateReceiptKey(alice, ed25519Key(2).publicKey));
    const res = await operator(alice);
    expect(res.operator!.receiptKey).toEqual(ed25519Key(2).publicKey);
    expect(res.operator!.receiptKeySince).toBe(rc.height);
    expect(res.retiredReceiptKeys).toEqual([{ key: ed25519Key(1).publicKey, validFrom: registered, validUntil: rc.height + 1n }]);
  });

  it('refuses a key that was ever used, even its own old one, and a key that is not 32 bytes', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.ok(w(B), msgs.registerOperator(bob, 5));
    await rc.ok(w(A), msgs.rotateReceiptKey(alice, ed25519Key(2).publicKey));
    await rc.expectRefused(w(A), msgs.rotateReceiptKey(alice, ed25519Key(1).publicKey), E.ErrReceiptKeyInUse);
    await rc.expectRefused(w(A), msgs.rotateReceiptKey(alice, ed25519Key(5).publicKey), E.ErrReceiptKeyInUse);
    await rc.expectRefused(w(A), msgs.rotateReceiptKey(alice, new Uint8Array(16)), E.ErrInvalidKey);
  });
});

describe('MsgCommitGpus', () => {
  it('replaces the set of GPU commitments', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.ok(w(A), msgs.commitGpus(alice, [gpu('g0'), gpu('g1', { model: 'RTX-4090', vramGb: 24, count: 1 })]));
    expect((await operator(alice)).gpus.map((g) => g.id)).toEqual(['g0', 'g1']);
    await rc.ok(w(A), msgs.commitGpus(alice, [gpu('g2')]));
    expect((await operator(alice)).gpus.map((g) => g.id)).toEqual(['g2']);
    await rc.ok(w(A), msgs.commitGpus(alice, []));
    expect((await operator(alice)).gpus).toEqual([]);
  });

  it('refuses duplicate GPU ids', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.expectRefused(w(A), msgs.commitGpus(alice, [gpu('g0'), gpu('g1'), gpu('g0')]), E.ErrDuplicateGpuId, 'gpus[2].id "g0" is used twice');
  });

  it('refuses more commitments than max_gpus_per_operator and prices in another denom', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.expectRefused(w(A), msgs.commitGpus(alice, [gpu('a'), gpu('b'), gpu('c'), gpu('d')]), E.ErrTooManyGpus);
    await rc.expectRefused(w(A), msgs.commitGpus(alice, [gpu('a', { pricePerHour: { denom: 'uusdc', amount: '5' } })]), E.ErrInvalidPrice, 'prices are in ucairn');
  });

  it('refuses malformed commitments', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    for (const bad of [
      gpu('a', { vramGb: 0 }),
      gpu('a', { count: 0 }),
      gpu('a', { model: '' }),
      gpu('a', { tier: 0 }),
      gpu('a', { teeTypes: [] }),
      gpu('a', { teeTypes: [TeeType.TEE_TYPE_TDX, TeeType.TEE_TYPE_TDX] }),
      gpu('bad id'),
    ]) {
      await rc.expectRefused(w(A), msgs.commitGpus(alice, [bad]), E.ErrInvalidGpu);
    }
    await rc.expectRefused(w(A), msgs.commitGpus(alice, [gpu('a', { pricePerHour: undefined })]), E.ErrInvalidPrice);
  });

  it('refuses commitments from an operator that is not registered', async () => {
    await rc.expectRefused(w(A), msgs.commitGpus(alice, [gpu('a')]), E.ErrOperatorNotFound);
  });

  it('drops the current attestation of a GPU that is no longer committed', async () => {
    await rc.ok(w(A), msgs.registerOperator(alice, 1));
    await rc.ok(w(A), msgs.commitGpus(alice, [gpu('g0'), gpu('g1')]));
    const now = rc.nextBlockTime;
    const address = rc.chain.app.addresses.decode(alice);
    await rc.ok(w(A), msgs.submitAttestation(attestation(address, alice, 'g0', { issuedAt: now - 10n, expiresAt: now + 3600n })));
    expect((await operator(alice)).trustLevel).toBe(3);
    await rc.ok(w(A), msgs.commitGpus(alice, [gpu('g1')]));
    expect((await operator(alice)).trustLevel).toBe(1);
  });
});
