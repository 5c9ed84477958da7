// What other modules (receipts, emission, royalty) get from the registry: punishOperator, receipt-key
// windows and model lookups; and the keeper's slash, jail, unjail and tombstone that punishOperator is made of.
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountKeeper } from '../modules/auth/keeper.ts';
import { BankKeeper } from '../modules/bank/keeper.ts';
import * as E from '../modules/registry/errors.ts';
import { RegistryKeeper } from '../modules/registry/keeper.ts';
import { moduleAddress } from '../core/framework/address.ts';
import { QueryOperatorRequest, QueryOperatorResponse, QueryOperatorsRequest, QueryOperatorsResponse } from '../proto/gen/cairn/registry/v1/query.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import { MIN_BOND, RegistryChain, UNBONDING_BLOCKS, ed25519Key, msgs } from './support/registry.ts';
import { sendMsg } from './support/wallets.ts';

const accounts = new AccountKeeper();
const bank = new BankKeeper(accounts);
const registry = new RegistryKeeper(bank);

let rc: RegistryChain;
let op: string;
let raw: Uint8Array;
const w = (i: number) => rc.wallets[i]!;

async function operator() {
  return rc.query('Operator', QueryOperatorRequest, QueryOperatorResponse, { address: op });
}

async function catalog(): Promise<number> {
  return (await rc.query('Operators', QueryOperatorsRequest, QueryOperatorsResponse, QueryOperatorsRequest.fromPartial({}))).operators.length;
}

async function supply(): Promise<bigint> {
  return bank.supplyOf(rc.chain.store.committed, 'ucairn');
}

beforeEach(async () => {
  rc = await RegistryChain.start();
  op = w(0).address;
  raw = rc.chain.app.addresses.decode(op);
  await rc.ok(w(0), msgs.registerOperator(op, 1, { bond: { denom: 'ucairn', amount: '3000001' } }));
  await rc.ok(w(0), msgs.beginUnbond(op, 1_000_000n));
});

describe('slashOperator', () => {
  it('slashes the bond and every unbonding entry by the same fraction, rounding down, and burns the coins', async () => {
    const before = await supply();
    let slashed: unknown;
    const events = await rc.inBlock(async (ctx) => {
      slashed = (await registry.slashOperator(ctx, raw, 1000, 'receipt fraud')).slashed;
    });
    expect(slashed).toEqual([{ denom: 'ucairn', amount: 300_000n }]);
    const res = await operator();
    expect(res.operator!.bond!.amount).toBe('1800001');
    expect(res.unbonding[0]!.amount!.amount).toBe('900000');
    expect(await rc.bondsBalance()).toBe(2_700_001n);
    expect(await supply()).toBe(before - 300_000n);
    expect(events.events.find((e) => e.type === 'slash_operator')?.attributes.map((a) => [a.key, a.value])).toEqual([
      ['operator', op],
      ['bps', '1000'],
      ['reason', 'receipt fraud'],
      ['amount', '300000ucairn'],
      ['destination', 'burned'],
    ]);
  });

  it('hands the slashed coins to a recipient module instead of burning them when asked', async () => {
    const before = await supply();
    await rc.inBlock(async (ctx) => {
      await registry.slashOperator(ctx, raw, 5000, 'double claim', { recipientModule: 'slashing' });
    });
    expect(await rc.chain.balance(rc.chain.app.addresses.encode(moduleAddress('slashing')))).toBe(1_500_000n);
    expect(await supply()).toBe(before);
    expect(await rc.bondsBalance()).toBe(1_500_001n);
  });

  it('can take everything, deleting emptied unbonding entries', async () => {
    await rc.inBlock(async (ctx) => {
      await registry.slashOperator(ctx, raw, 10_000, 'forged attestation');
    });
    const res = await operator();
    expect(res.operator!.bond!.amount).toBe('0');
    expect(res.unbonding).toEqual([]);
    expect(res.active).toBe(false);
    expect(await rc.bondsBalance()).toBe(0n);
  });

  it('no longer reaches unbonding coins once they are released', async () => {
    for (let i = 0n; i < UNBONDING_BLOCKS; i++) await rc.block();
    expect((await operator()).unbonding).toEqual([]);
    await rc.inBlock(async (ctx) => {
      await registry.slashOperator(ctx, raw, 1000, 'late');
    });
    expect((await operator()).operator!.bond!.amount).toBe('1800001');
    expect(await rc.bondsBalance()).toBe(1_800_001n);
  });

  it('refuses a fraction outside 1-10000 bps and an unknown operator', async () => {
    await rc.inBlock(async (ctx) => {
      await expect(registry.slashOperator(ctx, raw, 0, 'x')).rejects.toThrow(/not between 1 and 10000/);
      await expect(registry.slashOperator(ctx, raw, 10_001, 'x')).rejects.toThrow(E.ErrInvalidSlash.description);
      await expect(registry.slashOperator(ctx, raw, 1.5, 'x')).rejects.toThrow(E.ErrInvalidSlash.description);
      await expect(registry.slashOperator(ctx, new Uint8Array(20), 100, 'x')).rejects.toThrow(E.ErrOperatorNotFound.description);
    });
  });
});

describe('punishOperator', () => {
  it('slashes, pays the prover its share from the given account, burns the rest, jails and records the evidence once', async () => {
    const before = await supply();
    const prover = w(1).address;
    const proverBefore = await rc.chain.balance(prover);
    const recorded: string[] = [];
    let result: unknown;
    const events = await rc.inBlock(async (ctx) => {
      result = await registry.punishOperator(ctx, raw, {
        bps: 1000,
        reason: 'data unavailable',
        then: 'jail',
        jailBlocks: 5n,
        prover: rc.chain.app.addresses.decode(prover),
        rewardBps: 2000,
        via: 'registry_bonds',
        evidence: { hash: new Uint8Array([7]), log: { record: (_ctx, hash) => recorded.push(Buffer.from(hash).toString('hex')) } },
      });
    });
    const height = rc.height;
    expect(result).toEqual({ slashed: [{ denom: 'ucairn', amount: 300_000n }], reward: 60_000n, jailedUntil: height + 5n });
    expect(await rc.chain.balance(prover)).toBe(proverBefore + 60_000n);
    expect(await supply()).toBe(before - 240_000n);
    expect(await rc.bondsBalance()).toBe(2_700_001n);
    expect((await operator()).operator).toMatchObject({ status: OperatorStatus.OPERATOR_STATUS_JAILED, jailedUntil: height + 5n });
    expect(recorded).toEqual(['07']);
    expect(events.events.map((e) => e.type).filter((t) => t.endsWith('_operator'))).toEqual(['slash_operator', 'jail_operator']);
  });

  it('pays no reward to the operator itself, and without an account burns the slash straight from the bonds', async () => {
    const before = await supply();
    let self: unknown;
    let chainFound: unknown;
    await rc.inBlock(async (ctx) => {
      self = await registry.punishOperator(ctx, raw, { bps: 1000, reason: 'x', then: 'none', prover: raw, rewardBps: 2000, via: 'registry_bonds' });
      chainFound = await registry.punishOperator(ctx, raw, { bps: 1000, reason: 'y', then: 'tombstone', rewardBps: 2000 });
    });
    expect(self).toMatchObject({ reward: 0n, jailedUntil: 0n });
    expect(chainFound).toMatchObject({ reward: 0n, jailedUntil: 0n });
    expect(await supply()).toBe(before - 300_000n - 270_000n);
    expect((await operator()).operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
  });
});

describe('jail, unjail and tombstone', () => {
  it('takes a jailed operator out of the catalog until its jail ends and it is unjailed', async () => {
    const until = rc.height + 3n;
    await rc.inBlock(async (ctx) => registry.jail(ctx, raw, until, 'data unavailable'));
    expect((await operator()).operator).toMatchObject({ status: OperatorStatus.OPERATOR_STATUS_JAILED, jailedUntil: until });
    expect(await catalog()).toBe(0);
    expect(await registry.isActiveOperator(rc.chain.store.committed, raw)).toBe(false);
    await rc.inBlock(async (ctx) => {
      await expect(registry.unjail(ctx, raw)).rejects.toThrow(E.ErrStillJailed.description);
    });
    await rc.block();
    await rc.inBlock(async (ctx) => registry.unjail(ctx, raw));
    expect((await operator()).operator).toMatchObject({ status: OperatorStatus.OPERATOR_STATUS_ACTIVE, jailedUntil: 0n });
    expect(await catalog()).toBe(1);
    await rc.inBlock(async (ctx) => {
      await expect(registry.unjail(ctx, raw)).rejects.toThrow(E.ErrNotJailed.description);
    });
  });

  it('lets a jailed operator unjail itself with MsgUnjailOperator once the period is over, and never a tombstoned one', async () => {
    const until = rc.height + 3n;
    await rc.inBlock(async (ctx) => registry.jail(ctx, raw, until, 'data unavailable'));
    await rc.expectRefused(w(0), msgs.unjail(op), E.ErrStillJailed, `jailed until height ${until}`);
    expect((await operator()).operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_JAILED);
    while (rc.height + 1n < until) await rc.block();
    await rc.ok(w(0), msgs.unjail(op));
    expect((await operator()).operator).toMatchObject({ status: OperatorStatus.OPERATOR_STATUS_ACTIVE, jailedUntil: 0n });
    expect(await catalog()).toBe(1);
    await rc.expectRefused(w(0), msgs.unjail(op), E.ErrNotJailed);
    await rc.inBlock(async (ctx) => registry.tombstone(ctx, raw, 'double claim'));
    await rc.expectRefused(w(0), msgs.unjail(op), E.ErrNotJailed);
    expect((await operator()).operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
  });

  it('unjails an operator slashed below the minimum bond as unbonding, not active', async () => {
    await rc.inBlock(async (ctx) => {
      await registry.slashOperator(ctx, raw, 9000, 'fraud');
      await registry.jail(ctx, raw, ctx.block.height, 'fraud');
    });
    await rc.inBlock(async (ctx) => registry.unjail(ctx, raw));
    expect((await operator()).operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_UNBONDING);
  });

  it('keeps a tombstoned operator out for good: no listing changes, but its bond can still be unbonded', async () => {
    for (let i = 0n; i < UNBONDING_BLOCKS; i++) await rc.block(); // let the pending entry be paid out first
    await rc.inBlock(async (ctx) => registry.tombstone(ctx, raw, 'double claim'));
    await rc.inBlock(async (ctx) => registry.jail(ctx, raw, 999n, 'ignored'));
    expect((await operator()).operator!.status).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(await catalog()).toBe(0);
    await rc.expectRefused(w(0), msgs.updateOperator(op), E.ErrOperatorTombstoned);
    await rc.expectRefused(w(0), msgs.addBond(op, 5n), E.ErrOperatorTombstoned);
    await rc.expectRefused(w(0), msgs.commitGpus(op, []), E.ErrOperatorTombstoned);
    await rc.expectRefused(w(0), msgs.rotateReceiptKey(op, ed25519Key(3).publicKey), E.ErrOperatorTombstoned);
    await rc.ok(w(0), msgs.beginUnbond(op, 2_000_001n));
    await rc.inBlock(async (ctx) => {
      await expect(registry.unjail(ctx, raw)).rejects.toThrow(E.ErrNotJailed.description);
    });
  });
});

describe('the registry_bonds account', () => {
  it('refuses a plain transfer, so the bonds stay exactly backed', async () => {
    const bonds = rc.chain.app.addresses.encode(moduleAddress('registry_bonds'));
    const r = await rc.tx(w(1), sendMsg(w(1).address, bonds, '5'));
    expect(r.code).toBe(4);
    expect(r.log).toMatch(/module account and is not allowed to receive funds/);
    expect(await rc.bondsBalance()).toBe(3_000_001n);
  });
});

describe('lookups', () => {
  it('lists the current receipt key and the rotated-out ones with the heights they were valid for', async () => {
    const registered = rc.height - 1n;
    await rc.ok(w(0), msgs.rotateReceiptKey(op, ed25519Key(2).publicKey));
    const first = rc.height;
    await rc.ok(w(0), msgs.rotateReceiptKey(op, ed25519Key(3).publicKey));
    const second = rc.height;
    expect(await registry.receiptKeysOf(rc.chain.store.committed, raw)).toEqual([
      { key: ed25519Key(1).publicKey, validFrom: registered, validUntil: first + 1n },
      { key: ed25519Key(2).publicKey, validFrom: first, validUntil: second + 1n },
      { key: ed25519Key(3).publicKey, validFrom: second, validUntil: undefined },
    ]);
    expect(await registry.receiptKeysOf(rc.chain.store.committed, new Uint8Array(20))).toEqual([]);
  });

  it('finds operators and models, and says whether an operator is active', async () => {
    const store = rc.chain.store.committed;
    expect((await registry.getOperator(store, raw))?.moniker).toBe('gpu-farm');
    expect(await registry.isActiveOperator(store, raw)).toBe(true);
    expect(await registry.isActiveOperator(store, new Uint8Array(20))).toBe(false);
    await rc.ok(w(2), msgs.registerModel(w(2).address, 'm'));
    expect((await registry.modelOf(rc.chain.store.committed, 'm'))?.royaltyBps).toBe(500);
    expect(await registry.modelOf(rc.chain.store.committed, 'nope')).toBeUndefined();
    expect((await registry.params(rc.chain.store.committed)).minOperatorBond).toEqual({ denom: 'ucairn', amount: MIN_BOND.toString() });
  });
});
