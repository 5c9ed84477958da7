// Fee distribution in-process: fees paid by voting power, commission to operators, rewards that
// delegators collect when they want, and the distribution account always holding exactly what is
// owed (checked after every block by AppChain).
import fc from 'fast-check';
import { MsgWithdrawDelegatorReward, MsgWithdrawValidatorCommission, MsgSetWithdrawAddress } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import { MsgDelegate, MsgUndelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { beforeAll, describe, expect, it } from 'vitest';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { AppChain } from './support/app-chain.ts';
import { sendTx, stakingAppState, votes } from './support/staking.ts';
import { type TestWallet, sendMsg, testWallet } from './support/wallets.ts';

const BOND = 100_000_000n;
const ATOMICS = 10n ** 18n;
let v0: TestWallet;
let v1: TestWallet;
let alice: TestWallet;
let bob: TestWallet;

beforeAll(async () => {
  [v0, v1, alice, bob] = await Promise.all([testWallet(0), testWallet(1), testWallet(2), testWallet(3)]);
});

/** Both validators sign every block with their genesis powers (100 and 200). */
const bothSign = { votes: votes([{ index: 0, power: 100n, signed: true }, { index: 1, power: 200n, signed: true }]) };

async function start(): Promise<AppChain> {
  const chain = await AppChain.start({
    appState: stakingAppState({
      validators: [
        { address: v0.address, selfBond: BOND, commission: { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' } },
        { address: v1.address, selfBond: 2n * BOND, commission: { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' } },
      ],
      funded: [
        { address: alice.address, amount: 10n ** 12n },
        { address: bob.address, amount: 10n ** 12n },
      ],
      sections: { staking: { params: { unbonding_blocks: '3' } } },
    }),
  });
  await chain.block([], bothSign);
  return chain;
}

async function q<T>(chain: AppChain, path: string, data: Uint8Array, decode: (b: Uint8Array) => T): Promise<T> {
  const r = await chain.query(`/cosmos.distribution.v1beta1.Query/${path}`, data);
  if (r.code !== 0) throw new Error(r.log);
  return decode(r.value);
}

const amountOf = (coins: { denom: string; amount: string }[]): bigint => BigInt(coins.find((c) => c.denom === 'ucairn')?.amount ?? '0');

describe('block fees', () => {
  it('are paid by voting power in the next block, with commission to the operator', async () => {
    const chain = await start();
    await sendTx(chain, alice, [sendMsg(alice.address, bob.address, '1')], bothSign, '30000');
    await chain.block([], bothSign);
    const val0 = valoperOf(v0.address);
    const out = await q(chain, 'ValidatorOutstandingRewards', QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: val0 }).finish(), QueryValidatorOutstandingRewardsResponse.decode);
    expect(amountOf(out.rewards.rewards)).toBe(10_000n * ATOMICS);
    const com = await q(chain, 'ValidatorCommission', QueryValidatorCommissionRequest.encode({ validatorAddress: val0 }).finish(), QueryValidatorCommissionResponse.decode);
    expect(amountOf(com.commission.commission)).toBe(1_000n * ATOMICS);
    const rewards = await q(chain, 'DelegationRewards', QueryDelegationRewardsRequest.encode({ delegatorAddress: v0.address, validatorAddress: val0 }).finish(), QueryDelegationRewardsResponse.decode);
    expect(amountOf(rewards.rewards)).toBe(9_000n * ATOMICS);

    const before = await chain.balance(v0.address);
    const r = await sendTx(chain, v0, [
      { typeUrl: MsgWithdrawDelegatorReward.typeUrl, value: { delegatorAddress: v0.address, validatorAddress: val0 } },
      { typeUrl: MsgWithdrawValidatorCommission.typeUrl, value: { validatorAddress: val0 } },
    ], bothSign);
    expect(r.code).toBe(0);
    // 9000 rewards + 1000 commission − the 5000 fee of this tx (paid out only in the next block).
    expect(await chain.balance(v0.address)).toBe(before + 10_000n - 5000n);
  });

  it('reach a delegator in proportion to its stake, without anyone paying per block', async () => {
    const chain = await start();
    const val0 = valoperOf(v0.address);
    await sendTx(chain, alice, [{ typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val0, amount: { denom: 'ucairn', amount: BOND.toString() } } }], bothSign, '');
    // Now v0 has power 200 and alice half of it; v1 has 200.
    const equal = { votes: votes([{ index: 0, power: 200n, signed: true }, { index: 1, power: 200n, signed: true }]) };
    await chain.block([], equal);
    await sendTx(chain, bob, [sendMsg(bob.address, bob.address, '1')], equal, '40000');
    for (let i = 0; i < 3; i++) await chain.block([], equal);
    // 40000 fee: 20000 to v0, 10% commission, 18000 shared half and half.
    const total = await q(chain, 'DelegationTotalRewards', QueryDelegationTotalRewardsRequest.encode({ delegatorAddress: alice.address }).finish(), QueryDelegationTotalRewardsResponse.decode);
    expect(amountOf(total.total)).toBe(9_000n * ATOMICS);
    // Changing the delegation pays the rewards out first.
    const before = await chain.balance(alice.address);
    await sendTx(chain, alice, [{ typeUrl: MsgUndelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val0, amount: { denom: 'ucairn', amount: '1000' } } }], equal, '');
    expect(await chain.balance(alice.address)).toBe(before + 9_000n);
  });

  it('pays to the withdraw address a delegator chose', async () => {
    const chain = await start();
    const val0 = valoperOf(v0.address);
    await sendTx(chain, v0, [{ typeUrl: MsgSetWithdrawAddress.typeUrl, value: { delegatorAddress: v0.address, withdrawAddress: bob.address } }], bothSign, '30000');
    await chain.block([], bothSign);
    const before = await chain.balance(bob.address);
    const r = await sendTx(chain, v0, [{ typeUrl: MsgWithdrawDelegatorReward.typeUrl, value: { delegatorAddress: v0.address, validatorAddress: val0 } }], bothSign, '');
    expect(r.code).toBe(0);
    expect(await chain.balance(bob.address)).toBe(before + 9_000n);
  });

  it('with no votes to pay by go to the community pool', async () => {
    const chain = await start();
    await sendTx(chain, alice, [sendMsg(alice.address, bob.address, '1')], bothSign, '777');
    await chain.block([], { votes: [] });
    const pool = await q(chain, 'CommunityPool', QueryCommunityPoolRequest.encode({}).finish(), QueryCommunityPoolResponse.decode);
    expect(amountOf(pool.pool)).toBe(777n * ATOMICS);
  });

  it('keep every unit accounted for through random delegations, fees, withdrawals and unbonding', async () => {
    const val = [valoperOf(v0.address), valoperOf(v1.address)];
    const action = fc.oneof(
      fc.record({ kind: fc.constant('delegate' as const), v: fc.integer({ min: 0, max: 1 }), amount: fc.bigInt({ min: 1n, max: 50_000_000n }) }),
      fc.record({ kind: fc.constant('undelegate' as const), v: fc.integer({ min: 0, max: 1 }), amount: fc.bigInt({ min: 1n, max: 5_000_000n }) }),
      fc.record({ kind: fc.constant('fee' as const), amount: fc.bigInt({ min: 1n, max: 99_999n }) }),
      fc.record({ kind: fc.constant('withdraw' as const), v: fc.integer({ min: 0, max: 1 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 12 }), async (actions) => {
        const chain = await start();
        for (const a of actions) {
          // Powers change with delegations; odd, uneven powers exercise the rounding.
          const consensus = { votes: votes([{ index: 0, power: 101n, signed: true }, { index: 1, power: 203n, signed: true }]) };
          if (a.kind === 'delegate') {
            await sendTx(chain, alice, [{ typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val[a.v]!, amount: { denom: 'ucairn', amount: a.amount.toString() } } }], consensus, '1');
          } else if (a.kind === 'undelegate') {
            await sendTx(chain, alice, [{ typeUrl: MsgUndelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val[a.v]!, amount: { denom: 'ucairn', amount: a.amount.toString() } } }], consensus, '3');
          } else if (a.kind === 'fee') {
            await sendTx(chain, bob, [sendMsg(bob.address, bob.address, '1')], consensus, a.amount.toString());
          } else {
            await sendTx(chain, alice, [{ typeUrl: MsgWithdrawDelegatorReward.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val[a.v]! } }], consensus, '7');
          }
        }
        for (let i = 0; i < 4; i++) await chain.block([], bothSign);
      }),
      { numRuns: 15 },
    );
  });
});
