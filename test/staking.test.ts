// Staking in-process: the genesis validator set, joining as a validator, delegating, unbonding and
// redelegating, with the pools checked against the records after every block (AppChain.block).
import { MsgBeginRedelegate, MsgCreateValidator, MsgDelegate, MsgEditValidator, MsgUndelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { BondStatus } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519Any } from '../modules/staking/addresses.ts';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import * as stakingKeys from '../modules/staking/keys.ts';
import { AppChain } from './support/app-chain.ts';
import { consensusKey, sendTx, stakingAppState } from './support/staking.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

const BOND = 100_000_000n; // 100 CAIRN: power 100
let v0: TestWallet;
let v1: TestWallet;
let alice: TestWallet;

beforeAll(async () => {
  [v0, v1, alice] = await Promise.all([testWallet(0), testWallet(1), testWallet(2)]);
});

async function start(opts: { unbondingBlocks?: string; genesisLeadSeconds?: bigint } = {}): Promise<AppChain> {
  const chain = await AppChain.start({
    appState: stakingAppState({
      validators: [
        { address: v0.address, selfBond: BOND },
        { address: v1.address, selfBond: 2n * BOND },
      ],
      funded: [{ address: alice.address, amount: 10n ** 12n }],
      sections: { staking: { params: { unbonding_blocks: opts.unbondingBlocks ?? '5' } } },
    }),
    genesisLeadSeconds: opts.genesisLeadSeconds ?? 0n,
  });
  await chain.block();
  return chain;
}

async function q<T>(chain: AppChain, path: string, data: Uint8Array, decode: (b: Uint8Array) => T): Promise<T> {
  const r = await chain.query(`/cosmos.staking.v1beta1.Query/${path}`, data);
  if (r.code !== 0) throw new Error(r.log);
  return decode(r.value);
}

function createValidatorMsg(w: TestWallet, keyIndex: number, amount: bigint, rates = { rate: '0.05', maxRate: '0.1', maxChangeRate: '0.01' }) {
  return {
    typeUrl: MsgCreateValidator.typeUrl,
    value: MsgCreateValidator.fromPartial({
      description: { moniker: `node-${keyIndex}` },
      commission: rates,
      minSelfDelegation: '1',
      delegatorAddress: w.address,
      validatorAddress: valoperOf(w.address),
      pubkey: ed25519Any(Buffer.from(consensusKey(keyIndex), 'base64')),
      value: { denom: 'ucairn', amount: amount.toString() },
    }),
  };
}

describe('the genesis validator set', () => {
  it('is handed to CometBFT at InitChain with power = bonded tokens / 10^6', async () => {
    const chain = await start();
    const powers = chain.initChain!.validators.map((u) => [Buffer.from(u.pubKey.ed25519!).toString('base64'), u.power]);
    expect(powers).toEqual(expect.arrayContaining([[consensusKey(0), 100n], [consensusKey(1), 200n]]));
    expect(powers).toHaveLength(2);
    const all = await q(chain, 'Validators', QueryValidatorsRequest.encode({ status: 'BOND_STATUS_BONDED' }).finish(), QueryValidatorsResponse.decode);
    expect(all.validators.map((v) => v.description.moniker).sort()).toEqual(['validator-0', 'validator-1']);
    const pool = await q(chain, 'Pool', QueryPoolRequest.encode({}).finish(), QueryPoolResponse.decode);
    expect(pool.pool).toEqual({ bondedTokens: (3n * BOND).toString(), notBondedTokens: '0' });
  });

  it('reports its params with the bond denom and an unbonding period in blocks turned into time', async () => {
    const chain = await start();
    await chain.block();
    await chain.block();
    const { params } = await q(chain, 'Params', QueryParamsRequest.encode({}).finish(), QueryParamsResponse.decode);
    expect(params.bondDenom).toBe('ucairn');
    expect(params.maxValidators).toBe(100);
    // AppChain blocks are 5 s apart: 5 blocks ≈ 25 s.
    expect(params.unbondingTime.seconds).toBe(25n);
  });
});

describe('joining as a validator', () => {
  it('creates a validator that enters the set at the end of the block', async () => {
    const chain = await start();
    const r = await sendTx(chain, alice, [createValidatorMsg(alice, 7, 50_000_000n)]);
    expect(r.log).toBe('');
    expect(r.code).toBe(0);
    const update = chain.lastBlock!.validatorUpdates.find((u) => Buffer.from(u.pubKey.ed25519!).toString('base64') === consensusKey(7));
    expect(update?.power).toBe(50n);
    const { validator } = await q(chain, 'Validator', QueryValidatorRequest.encode({ validatorAddr: valoperOf(alice.address) }).finish(), QueryValidatorResponse.decode);
    expect(validator.status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(validator.tokens).toBe('50000000');
    expect(validator.commission.commissionRates.rate).toBe('50000000000000000');
  });
});

describe('delegating', () => {
  it('delegates, undelegates with funds back after the unbonding period, and redelegates', async () => {
    const chain = await start();
    const val0 = valoperOf(v0.address);
    const val1 = valoperOf(v1.address);
    const before = await chain.balance(alice.address);
    let r = await sendTx(chain, alice, [{ typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val0, amount: { denom: 'ucairn', amount: '30000000' } } }]);
    expect(r.code).toBe(0);
    expect(chain.lastBlock!.validatorUpdates.map((u) => u.power)).toEqual([130n]);
    const d = await q(chain, 'Delegation', QueryDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: val0 }).finish(), QueryDelegationResponse.decode);
    expect(d.delegationResponse?.balance).toEqual({ denom: 'ucairn', amount: '30000000' });

    r = await sendTx(chain, alice, [{ typeUrl: MsgUndelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val0, amount: { denom: 'ucairn', amount: '10000000' } } }]);
    expect(r.code).toBe(0);
    const undelegatedAt = chain.height;
    const ubd = await q(chain, 'UnbondingDelegation', QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: val0 }).finish(), QueryUnbondingDelegationResponse.decode);
    expect(ubd.unbond.entries.map((e) => e.balance)).toEqual(['10000000']);
    const afterUndelegate = await chain.balance(alice.address);

    r = await sendTx(chain, alice, [{ typeUrl: MsgBeginRedelegate.typeUrl, value: { delegatorAddress: alice.address, validatorSrcAddress: val0, validatorDstAddress: val1, amount: { denom: 'ucairn', amount: '5000000' } } }]);
    expect(r.code).toBe(0);
    const reds = await q(chain, 'Redelegations', QueryRedelegationsRequest.encode({ delegatorAddr: alice.address, srcValidatorAddr: '', dstValidatorAddr: '' }).finish(), QueryRedelegationsResponse.decode);
    expect(reds.redelegationResponses[0]?.entries[0]?.balance).toBe('5000000');
    const all = await q(chain, 'DelegatorDelegations', QueryDelegatorDelegationsRequest.encode({ delegatorAddr: alice.address }).finish(), QueryDelegatorDelegationsResponse.decode);
    expect(all.delegationResponses.map((x) => x.balance.amount).sort()).toEqual(['15000000', '5000000']);

    while (chain.height < undelegatedAt + 5n) await chain.block();
    // Fees were paid for the redelegation; the 10 CAIRN came back when the period ended.
    expect(await chain.balance(alice.address)).toBe(afterUndelegate - 5000n + 10_000_000n);
    expect(before - (await chain.balance(alice.address))).toBe(20_000_000n + 3n * 5000n);
    const gone = await chain.query('/cosmos.staking.v1beta1.Query/UnbondingDelegation', QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: val0 }).finish());
    expect(gone.code).toBe(22);
  });

  it('estimates unbonding completion from recent blocks, so a genesis time long before block 1 cannot corrupt the entry', async () => {
    // Genesis 90 minutes before the first block and the default three-week unbonding: averaged since
    // genesis, block 16 looked 340 s long, the estimate passed 2^31 s and the stored entry could never
    // be read again (queries failed, the next undelegate failed, maturing it would halt the chain).
    const chain = await start({ unbondingBlocks: '1814400', genesisLeadSeconds: 90n * 60n });
    while (chain.height < 15n) await chain.block();
    const val0 = valoperOf(v0.address);
    const undelegate = { typeUrl: MsgUndelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val0, amount: { denom: 'ucairn', amount: '1000000' } } };
    await sendTx(chain, alice, [{ typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val0, amount: { denom: 'ucairn', amount: '3000000' } } }]);
    expect((await sendTx(chain, alice, [undelegate])).code).toBe(0);
    const now = 1_800_000_000n + chain.height * 5n;
    expect((await sendTx(chain, alice, [undelegate])).code).toBe(0);

    const ubd = await q(chain, 'UnbondingDelegation', QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: val0 }).finish(), QueryUnbondingDelegationResponse.decode);
    expect(ubd.unbond.entries).toHaveLength(2);
    // AppChain blocks are 5 s apart: the estimate is about 1,814,400 × 5 s from now, not × 340 s.
    const completion = ubd.unbond.entries[0]!.completionTime.seconds;
    expect(completion).toBeGreaterThanOrEqual(now + 1_814_400n * 5n);
    expect(completion).toBeLessThan(now + 1_814_400n * 6n);
    const params = await q(chain, 'Params', new Uint8Array(), (b) => QueryParamsResponse.decode(b));
    expect(params.params.unbondingTime.seconds).toBe(1_814_400n * 5n);
  });

  it("reports a stored record that does not decode as the node's internal error, not as a bad request", async () => {
    const chain = await start();
    // What the old encoder left behind: a varint that claims five bytes where one was reserved.
    chain.store.working.set(stakingKeys.params.key, Uint8Array.from([0x08, 0xff, 0xff, 0xff]));
    await chain.store.commit(chain.height + 1n);
    const r = await chain.query('/cosmos.staking.v1beta1.Query/Params', QueryParamsRequest.encode({}).finish());
    expect([r.code, r.codespace]).toEqual([1, 'sdk']);
    expect(r.log).toMatch(/^internal error: stored value does not decode/);
  });

  it('edits a validator description and lowers its commission within the allowed change', async () => {
    const chain = await start();
    await sendTx(chain, alice, [createValidatorMsg(alice, 8, 10_000_000n)]);
    for (let i = 0; i < 3; i++) await chain.block();
    // AppChain blocks are 5 s apart: a day later the commission may change again.
    const edit = { typeUrl: MsgEditValidator.typeUrl, value: { description: { moniker: 'renamed', identity: '[do-not-modify]', website: '[do-not-modify]', securityContact: '[do-not-modify]', details: '[do-not-modify]' }, validatorAddress: valoperOf(alice.address), commissionRate: '', minSelfDelegation: '' } };
    const r = await sendTx(chain, alice, [edit]);
    expect(r.code).toBe(0);
    const { validator } = await q(chain, 'Validator', QueryValidatorRequest.encode({ validatorAddr: valoperOf(alice.address) }).finish(), QueryValidatorResponse.decode);
    expect(validator.description.moniker).toBe('renamed');
  });
});

describe('the validator set', () => {
  it('holds the top max_validators by power: a validator that is outranked leaves with a power-0 update', async () => {
    const chain = await AppChain.start({
      appState: stakingAppState({
        validators: [
          { address: v0.address, selfBond: BOND },
          { address: v1.address, selfBond: 2n * BOND },
          { address: alice.address, selfBond: 3n * BOND },
        ],
        sections: { staking: { params: { max_validators: 2, unbonding_blocks: '5' } } },
      }),
    });
    const initial = new Map(chain.initChain!.validators.map((u) => [Buffer.from(u.pubKey.ed25519!).toString('base64'), u.power]));
    expect(initial).toEqual(new Map([[consensusKey(1), 200n], [consensusKey(2), 300n]]));
    await chain.block();
    // v0 is out of the set but still a validator; with 250 more CAIRN it outranks v1.
    const r = await sendTx(chain, v0, [{ typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: v0.address, validatorAddress: valoperOf(v0.address), amount: { denom: 'ucairn', amount: (2n * BOND + BOND / 2n).toString() } } }]);
    expect(r.code).toBe(0);
    const updates = new Map(chain.lastBlock!.validatorUpdates.map((u) => [Buffer.from(u.pubKey.ed25519!).toString('base64'), u.power]));
    expect(updates).toEqual(new Map([[consensusKey(0), 350n], [consensusKey(1), 0n]]));
    const { validator } = await q(chain, 'Validator', QueryValidatorRequest.encode({ validatorAddr: valoperOf(v1.address) }).finish(), QueryValidatorResponse.decode);
    expect(validator.status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    // After the unbonding period it is UNBONDED; its stake is still delegated.
    for (let i = 0; i < 5; i++) await chain.block();
    const later = await q(chain, 'Validator', QueryValidatorRequest.encode({ validatorAddr: valoperOf(v1.address) }).finish(), QueryValidatorResponse.decode);
    expect(later.validator.status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    expect(later.validator.tokens).toBe((2n * BOND).toString());
  });
});

