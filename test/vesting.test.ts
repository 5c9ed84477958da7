// Vesting accounts in-process: genesis continuous, delayed and periodic accounts; locked coins cannot
// be sent or pay fees but can be delegated (tracked as delegated_vesting / delegated_free); the
// Account query answers the SDK's types (CosmJS's accountFromAny reads them); spendable balances;
// MsgCreateVestingAccount; genesis export round-trips; bad schedules refused.
import { accountFromAny } from '@cosmjs/stargate';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QuerySpendableBalancesRequest, QuerySpendableBalancesResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { MsgDelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { ContinuousVestingAccount } from 'cosmjs-types/cosmos/vesting/v1beta1/vesting';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { beforeAll, describe, expect, it } from 'vitest';
import { AddressCodec } from '../core/framework/address.ts';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { vestingMsgs } from '../sdk/vesting/messages.ts';
import { AppChain, CHAIN_ID, checkAppState } from './support/app-chain.ts';
import { sendTx, stakingAppState } from './support/staking.ts';
import { addVestingAccount } from './support/vesting.ts';
import { type TestWallet, sendMsg, signTx, testWallet } from './support/wallets.ts';

// AppChain's genesis time; block h is 5 s after it per height.
const GENESIS = 1_800_000_000n;
const LOCKED = 1_000_000_000n;
const FREE = 1_000_000n;
let alice: TestWallet;
let bob: TestWallet;
let carol: TestWallet;
let dave: TestWallet;

beforeAll(async () => {
  [alice, bob, carol, dave] = await Promise.all([testWallet(0), testWallet(1), testWallet(2), testWallet(3)]);
});

async function chainWith(type: 'continuous' | 'delayed' | 'periodic'): Promise<AppChain> {
  let state = stakingAppState({ validators: [{ address: bob.address, selfBond: 10n ** 8n }], funded: [{ address: alice.address, amount: 10n ** 12n }] });
  state = addVestingAccount(state, carol.address, {
    type,
    vesting: LOCKED,
    free: FREE,
    start: GENESIS,
    end: GENESIS + 100_000n,
    ...(type === 'periodic' ? { periods: [[50_000n, LOCKED / 2n], [50_000n, LOCKED / 2n]] as const } : {}),
  });
  const chain = await AppChain.start({ appState: state });
  await chain.block();
  return chain;
}

async function accountAny(chain: AppChain, address: string): Promise<Any> {
  const r = await chain.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address }).finish());
  expect(r.code, r.log).toBe(0);
  return QueryAccountResponse.decode(r.value).account!;
}

describe('a vesting account', () => {
  it.each(['continuous', 'delayed', 'periodic'] as const)('(%s) cannot send its locked coins, can send the free ones, and can delegate the locked ones', async (type) => {
    const chain = await chainWith(type);
    const any = await accountAny(chain, carol.address);
    expect(any.typeUrl).toBe(`/cosmos.vesting.v1beta1.${type[0]!.toUpperCase()}${type.slice(1)}VestingAccount`);
    expect(accountFromAny(any)).toMatchObject({ address: carol.address, sequence: 0 });

    const before = await chain.balance(carol.address);
    const over = await sendTx(chain, carol, [sendMsg(carol.address, alice.address, (FREE + LOCKED / 10n).toString())]);
    expect(over).toMatchObject({ code: 5, codespace: 'sdk' });
    expect(over.log).toMatch(/^spendable balance \d+ucairn is smaller than \d+ucairn: insufficient funds$/);
    expect(await chain.balance(carol.address)).toBe(before - 5000n);

    expect((await sendTx(chain, carol, [sendMsg(carol.address, alice.address, '100000')])).code).toBe(0);

    const delegate = { typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: carol.address, validatorAddress: valoperOf(bob.address), amount: { denom: 'ucairn', amount: (LOCKED / 2n).toString() } } };
    expect((await sendTx(chain, carol, [delegate])).code).toBe(0);
    const after = ContinuousVestingAccount.decode((await accountAny(chain, carol.address)).value).baseVestingAccount!;
    // Everything delegated was still vesting: it is tracked as delegated_vesting, nothing as free.
    expect(after.delegatedVesting).toEqual([{ denom: 'ucairn', amount: (LOCKED / 2n).toString() }]);
    expect(after.delegatedFree).toEqual([]);
  });

  it('reports as spendable only what is not locked, and unlocks as it vests', async () => {
    const chain = await chainWith('continuous');
    const spendable = async (): Promise<bigint> => {
      const r = await chain.query('/cosmos.bank.v1beta1.Query/SpendableBalances', QuerySpendableBalancesRequest.encode({ address: carol.address }).finish());
      return BigInt(QuerySpendableBalancesResponse.decode(r.value).balances[0]!.amount);
    };
    // Block 1 was at GENESIS + 5 s: 5/100000 of LOCKED has vested.
    expect(await spendable()).toBe(FREE + (LOCKED * 5n) / 100_000n);
    await chain.block();
    expect(await spendable()).toBe(FREE + (LOCKED * 10n) / 100_000n);
  });

  it('after a restart, CheckTx lets it pay a fee from what has vested by the last block (not as if no time had passed)', async () => {
    const chain = await chainWith('continuous');
    // Spend the free coins: from here on its fees come from vested coins only.
    expect((await sendTx(chain, carol, [sendMsg(carol.address, alice.address, (FREE - 5000n).toString())])).code).toBe(0);
    for (let i = 0; i < 3; i++) await chain.block();
    const restarted = await AppChain.start({ store: chain.store });
    const account = await restarted.account(carol.address);
    const tx = await signTx(carol, [sendMsg(carol.address, alice.address, '1')], { chainId: CHAIN_ID, accountNumber: account.accountNumber, sequence: account.sequence });
    expect(await restarted.checkTx(tx)).toMatchObject({ code: 0 });
  });

  it('is created by MsgCreateVestingAccount, whose coins then vest', async () => {
    const chain = await chainWith('continuous');
    const create = vestingMsgs.MsgCreateVestingAccount({ fromAddress: alice.address, toAddress: dave.address, amount: [{ denom: 'ucairn', amount: '777' }], endTime: GENESIS + 1000n, delayed: true });
    expect((await sendTx(chain, alice, [create])).code).toBe(0);
    expect((await accountAny(chain, dave.address)).typeUrl).toBe('/cosmos.vesting.v1beta1.DelayedVestingAccount');
    expect(await chain.balance(dave.address)).toBe(777n);
    // A second one at the same address is refused.
    expect(await sendTx(chain, alice, [create])).toMatchObject({ code: 18, codespace: 'sdk', log: `account ${dave.address} already exists: invalid request` });
    expect(await sendTx(chain, alice, [vestingMsgs.MsgCreateVestingAccount({ fromAddress: alice.address, toAddress: carol.address, amount: [{ denom: 'ucairn', amount: '1' }], endTime: 0n })])).toMatchObject({ code: 18, codespace: 'sdk' });
  });

  it('round-trips through genesis export, delegation tracking included', async () => {
    const chain = await chainWith('periodic');
    const delegate = { typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: carol.address, validatorAddress: valoperOf(bob.address), amount: { denom: 'ucairn', amount: '1234' } } };
    expect((await sendTx(chain, carol, [delegate])).code).toBe(0);
    const auth = chain.app.modules.find((m) => m.name === 'auth')!;
    const exported = (await auth.genesis.export({ store: chain.store.committed, height: chain.height, addresses: new AddressCodec('cairn') })) as { accounts: { '@type': string }[] };
    const carolJson = exported.accounts.find((a) => JSON.stringify(a).includes(carol.address))!;
    expect(carolJson).toMatchObject({ '@type': '/cosmos.vesting.v1beta1.PeriodicVestingAccount', base_vesting_account: { delegated_vesting: [{ denom: 'ucairn', amount: '1234' }] }, vesting_periods: [{ length: '50000' }, { length: '50000' }] });
    const validated = auth.genesis.validate(exported, new AddressCodec('cairn'));
    expect(validated).toBeDefined();
  });
});

describe('bad vesting genesis is refused, naming the field', () => {
  it.each([
    ['a continuous start after its end', { type: 'continuous', vesting: 10n, start: GENESIS + 5n, end: GENESIS }, 'vesting start-time cannot be before end-time'],
    ['periods not adding up to the original vesting', { type: 'periodic', vesting: 10n, start: GENESIS, end: GENESIS + 10n, periods: [[10n, 9n]] }, 'original vesting coins does not match'],
    ['periods not reaching the end', { type: 'periodic', vesting: 10n, start: GENESIS, end: GENESIS + 10n, periods: [[5n, 10n]] }, 'vesting end time does not match'],
  ] as const)('%s', async (_name, spec, message) => {
    const state = addVestingAccount(stakingAppState({ validators: [{ address: bob.address, selfBond: 10n ** 8n }] }), carol.address, spec);
    await expect(checkAppState(state)).rejects.toThrow(new RegExp(`auth\\.accounts\\[\\d+\\]: ${message}`));
  });
});
