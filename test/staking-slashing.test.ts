// Slashing in-process: downtime measured from the last commit's votes (slash, jail, unjail after the
// jail time), and duplicate-vote evidence (slash including unbonding and redelegated stake, jail,
// tombstone; each evidence once; too-old evidence ignored).
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import {
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryDelegationRequest,
  QueryDelegationResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { MsgBeginRedelegate, MsgDelegate, MsgUndelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import { toBech32 } from '@cosmjs/encoding';
import { beforeAll, describe, expect, it } from 'vitest';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { AppChain } from './support/app-chain.ts';
import { consAddr, consensusKey, sendTx, stakingAppState, votes } from './support/staking.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

const BOND = 100_000_000n;
let v0: TestWallet;
let v1: TestWallet;
let v2: TestWallet;
let alice: TestWallet;

beforeAll(async () => {
  [v0, v1, v2, alice] = await Promise.all([testWallet(0), testWallet(1), testWallet(2), testWallet(3)]);
});

async function start(): Promise<AppChain> {
  const chain = await AppChain.start({
    appState: stakingAppState({
      validators: [
        { address: v0.address, selfBond: BOND },
        { address: v1.address, selfBond: 2n * BOND },
        { address: v2.address, selfBond: 2n * BOND },
      ],
      funded: [{ address: alice.address, amount: 10n ** 12n }],
      sections: {
        staking: { params: { unbonding_blocks: '20' } },
        slashing: { params: { signed_blocks_window: '10', min_signed_bps: '5000', downtime_bps: '100', double_sign_bps: '500', downtime_jail_duration: '60s', max_evidence_age_blocks: '5' } },
      },
    }),
  });
  await chain.block();
  return chain;
}

function allSign(v0Signs: boolean) {
  return { votes: votes([{ index: 0, power: 100n, signed: v0Signs }, { index: 1, power: 200n, signed: true }, { index: 2, power: 200n, signed: true }]) };
}

async function validator(chain: AppChain, w: TestWallet) {
  const r = await chain.query('/cosmos.staking.v1beta1.Query/Validator', QueryValidatorRequest.encode({ validatorAddr: valoperOf(w.address) }).finish());
  if (r.code !== 0) throw new Error(r.log);
  return QueryValidatorResponse.decode(r.value).validator;
}

async function signingInfo(chain: AppChain, index: number) {
  const r = await chain.query('/cosmos.slashing.v1beta1.Query/SigningInfo', QuerySigningInfoRequest.encode({ consAddress: toBech32('cairnvalcons', consAddr(index)) }).finish());
  if (r.code !== 0) throw new Error(r.log);
  return QuerySigningInfoResponse.decode(r.value).valSigningInfo;
}

const powerUpdate = (chain: AppChain, index: number) =>
  chain.lastBlock!.validatorUpdates.find((u) => Buffer.from(u.pubKey.ed25519!).toString('base64') === consensusKey(index))?.power;

describe('a validator that stops signing', () => {
  it('is slashed downtime_bps, jailed and removed from the set once it misses too much of the window', async () => {
    const chain = await start();
    let jailedAt: bigint | undefined;
    for (let i = 0; i < 20 && jailedAt === undefined; i++) {
      await chain.block([], allSign(false));
      if (powerUpdate(chain, 0) === 0n) jailedAt = chain.height;
    }
    // The first full window (10 blocks from genesis) passes before anyone is judged.
    expect(jailedAt).toBeGreaterThan(10n);
    const v = await validator(chain, v0);
    expect(v.jailed).toBe(true);
    expect(v.tokens).toBe((BOND - BOND / 100n).toString());
    const info = await signingInfo(chain, 0);
    expect(info.jailedUntil.seconds).toBeGreaterThan(0n);
    expect(info.missedBlocksCounter).toBe(0n);
  });

  it('cannot unjail before the jail time is over, and signs again after MsgUnjail', async () => {
    const chain = await start();
    while (powerUpdate(chain, 0) !== 0n) await chain.block([], allSign(false));
    const early = await sendTx(chain, v0, [{ typeUrl: MsgUnjail.typeUrl, value: { validatorAddr: valoperOf(v0.address) } }], allSign(false), '');
    expect(early.code).toBe(4);
    expect(early.codespace).toBe('slashing');
    expect(early.log).toMatch(/jailed until .*validator still jailed; cannot be unjailed/);
    expect((await validator(chain, v0)).jailed).toBe(true);
    // AppChain blocks are 5 s apart: 60 s of jail is 12 blocks.
    for (let i = 0; i < 12; i++) await chain.block([], allSign(false));
    const ok = await sendTx(chain, v0, [{ typeUrl: MsgUnjail.typeUrl, value: { validatorAddr: valoperOf(v0.address) } }], allSign(false), '');
    expect(ok.code).toBe(0);
    expect(powerUpdate(chain, 0)).toBe(99n);
    expect((await validator(chain, v0)).jailed).toBe(false);
    // Back in the set with a fresh window: signing keeps it there.
    for (let i = 0; i < 15; i++) await chain.block([], allSign(true));
    expect((await validator(chain, v0)).jailed).toBe(false);
  });
});

describe('double-sign evidence', () => {
  it('slashes stake held at the fault, including unbonding and redelegated stake, then tombstones', async () => {
    const chain = await start();
    const val1 = valoperOf(v1.address);
    const val0 = valoperOf(v0.address);
    await sendTx(chain, alice, [{ typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val1, amount: { denom: 'ucairn', amount: '100000000' } } }], allSign(true), '');
    const faultHeight = chain.height + 1n;
    await chain.block([], allSign(true));
    // After the fault, alice moves stake away: it must still answer for it.
    await sendTx(chain, alice, [{ typeUrl: MsgUndelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val1, amount: { denom: 'ucairn', amount: '40000000' } } }], allSign(true), '');
    await sendTx(chain, alice, [{ typeUrl: MsgBeginRedelegate.typeUrl, value: { delegatorAddress: alice.address, validatorSrcAddress: val1, validatorDstAddress: val0, amount: { denom: 'ucairn', amount: '20000000' } } }], allSign(true), '');
    const supplyBefore = await totalSupply(chain);

    const evidence = { type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: consAddr(1), power: 300n }, height: faultHeight, time: { seconds: 0n, nanos: 0 }, totalVotingPower: 600n };
    await chain.block([], { ...allSign(true), misbehavior: [evidence] });
    expect(powerUpdate(chain, 1)).toBe(0n);
    const info = await signingInfo(chain, 1);
    expect(info.tombstoned).toBe(true);

    // 5% of the 300 CAIRN held at the fault = 15 CAIRN: 2 from the unbonding entry (5% of 40),
    // 1 from the redelegated stake (5% of 20), 12 from the validator's remaining 240.
    const ubd = await chain.query('/cosmos.staking.v1beta1.Query/UnbondingDelegation', QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: val1 }).finish());
    expect(QueryUnbondingDelegationResponse.decode(ubd.value).unbond.entries[0]?.balance).toBe('38000000');
    const atDst = await chain.query('/cosmos.staking.v1beta1.Query/Delegation', QueryDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: val0 }).finish());
    expect(QueryDelegationResponse.decode(atDst.value).delegationResponse?.balance.amount).toBe('19000000');
    const reds = await chain.query('/cosmos.staking.v1beta1.Query/Redelegations', QueryRedelegationsRequest.encode({ delegatorAddr: alice.address, srcValidatorAddr: '', dstValidatorAddr: '' }).finish());
    expect(QueryRedelegationsResponse.decode(reds.value).redelegationResponses).toHaveLength(1);
    expect((await validator(chain, v1)).tokens).toBe((240_000_000n - 12_000_000n).toString());
    expect(supplyBefore - (await totalSupply(chain))).toBe(15_000_000n);

    // The same evidence again changes nothing; the validator can never unjail.
    await chain.block([], { misbehavior: [evidence] });
    await chain.block([], { misbehavior: [evidence] });
    expect((await validator(chain, v1)).tokens).toBe('228000000');
    const unjail = await sendTx(chain, v1, [{ typeUrl: MsgUnjail.typeUrl, value: { validatorAddr: val1 } }], {}, '');
    expect(unjail.code).toBe(4);
    expect(unjail.log).toMatch(/tombstoned/);
  });

  it('is ignored when older than the evidence age', async () => {
    const chain = await start();
    for (let i = 0; i < 8; i++) await chain.block([], allSign(true));
    const old = { type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: consAddr(2), power: 200n }, height: 2n, time: { seconds: 0n, nanos: 0 }, totalVotingPower: 500n };
    await chain.block([], { ...allSign(true), misbehavior: [old] });
    expect((await validator(chain, v2)).tokens).toBe((2n * BOND).toString());
    expect((await signingInfo(chain, 2)).tombstoned).toBe(false);
  });
});

async function totalSupply(chain: AppChain): Promise<bigint> {
  const { QuerySupplyOfRequest, QuerySupplyOfResponse } = await import('cosmjs-types/cosmos/bank/v1beta1/query');
  const r = await chain.query('/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest.encode({ denom: 'ucairn' }).finish());
  return BigInt(QuerySupplyOfResponse.decode(r.value).amount.amount);
}
