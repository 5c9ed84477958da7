// Bad validator input, in-process: each attempt gets a clear registered error (codespace, code, log)
// and changes nothing (staking, distribution and slashing state and the sender's balance are as
// before; these txs pay no fee).
import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { MsgCreateValidator, MsgDelegate, MsgEditValidator, MsgUndelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519Any } from '../modules/staking/addresses.ts';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { AppChain } from './support/app-chain.ts';
import { consAddr, consensusKey, sendTx, stakingAppState, votes } from './support/staking.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

const BOND = 100_000_000n;
let v0: TestWallet;
let v1: TestWallet;
let alice: TestWallet;
let bob: TestWallet;

beforeAll(async () => {
  [v0, v1, alice, bob] = await Promise.all([testWallet(0), testWallet(1), testWallet(2), testWallet(3)]);
});

async function start(): Promise<AppChain> {
  const chain = await AppChain.start({
    appState: stakingAppState({
      validators: [
        { address: v0.address, selfBond: BOND, commission: { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' } },
        { address: v1.address, selfBond: BOND },
      ],
      funded: [{ address: alice.address, amount: 10n ** 12n }, { address: bob.address, amount: 10n ** 12n }],
      sections: { slashing: { params: { signed_blocks_window: '4', min_signed_bps: '5000', downtime_jail_duration: '1h' } } },
    }),
  });
  await chain.block();
  return chain;
}

/** The state a rejected message must not touch: every validator-related module's export. */
async function snapshot(chain: AppChain, who: TestWallet): Promise<string> {
  const ctx = { store: chain.store.committed, height: chain.height, addresses: chain.app.addresses };
  const parts: unknown[] = [await chain.balance(who.address)];
  for (const m of chain.app.modules) if (['staking', 'distribution', 'slashing'].includes(m.name)) parts.push(await m.genesis.export(ctx));
  return JSON.stringify(parts, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

function createMsg(w: TestWallet, keyIndex: number, rates = { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' }): EncodeObject {
  return {
    typeUrl: MsgCreateValidator.typeUrl,
    value: MsgCreateValidator.fromPartial({
      description: { moniker: 'x' },
      commission: rates,
      minSelfDelegation: '1',
      validatorAddress: valoperOf(w.address),
      pubkey: ed25519Any(Buffer.from(consensusKey(keyIndex), 'base64')),
      value: { denom: 'ucairn', amount: '1000000' },
    }),
  };
}

const edit = (w: TestWallet, rate: string): EncodeObject => ({
  typeUrl: MsgEditValidator.typeUrl,
  value: { description: { moniker: '[do-not-modify]', identity: '[do-not-modify]', website: '[do-not-modify]', securityContact: '[do-not-modify]', details: '[do-not-modify]' }, validatorAddress: valoperOf(w.address), commissionRate: rate, minSelfDelegation: '' },
});

/** Sends `msg` from `w` and expects it rejected with (codespace, code, log) and no state change. */
async function rejected(chain: AppChain, w: TestWallet, msg: EncodeObject, codespace: string, code: number, log: RegExp): Promise<void> {
  const before = await snapshot(chain, w);
  const r = await sendTx(chain, w, [msg], {}, '');
  expect({ codespace: r.codespace, code: r.code }).toEqual({ codespace, code });
  expect(r.log).toMatch(log);
  expect(await snapshot(chain, w)).toBe(before);
}

describe('bad validator input', () => {
  it('refuses creating a validator twice', async () => {
    const chain = await start();
    await rejected(chain, v0, createMsg(v0, 9), 'staking', 4, /validator already exist for this operator address/);
  });

  it('refuses a consensus key already in use', async () => {
    const chain = await start();
    await rejected(chain, alice, createMsg(alice, 1), 'staking', 5, /validator already exist for this pubkey/);
  });

  it('refuses a commission above its max rate, and a max rate above 100%', async () => {
    const chain = await start();
    await rejected(chain, alice, createMsg(alice, 9, { rate: '0.3', maxRate: '0.2', maxChangeRate: '0.01' }), 'staking', 11, /rate 0\.3.* > max rate 0\.2.*commission cannot be more than the max rate/);
    await rejected(chain, alice, createMsg(alice, 9, { rate: '0.3', maxRate: '1.5', maxChangeRate: '0.01' }), 'staking', 10, /commission cannot be more than 100%/);
    await rejected(chain, v0, edit(v0, '0.25'), 'staking', 11, /commission cannot be more than the max rate/);
  });

  it('refuses a commission changing by more than max change rate, or twice within 24 hours', async () => {
    const chain = await start();
    await rejected(chain, v0, edit(v0, '0.12'), 'staking', 15, /change of 0\.02.* exceeds 0\.01.*commission cannot be changed more than max change rate/);
    const ok = await sendTx(chain, v0, [edit(v0, '0.11')], {}, '');
    expect(ok.code).toBe(0);
    await rejected(chain, v0, edit(v0, '0.1'), 'staking', 12, /commission cannot be changed more than once in 24h/);
  });

  it('refuses delegating to a validator that does not exist', async () => {
    const chain = await start();
    const msg = { typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: valoperOf(bob.address), amount: { denom: 'ucairn', amount: '1000' } } };
    await rejected(chain, alice, msg, 'staking', 3, /validator does not exist/);
  });

  it('refuses undelegating more than was delegated, and from a validator never delegated to', async () => {
    const chain = await start();
    const more = { typeUrl: MsgUndelegate.typeUrl, value: { delegatorAddress: v0.address, validatorAddress: valoperOf(v0.address), amount: { denom: 'ucairn', amount: (BOND + 1n).toString() } } };
    await rejected(chain, v0, more, 'staking', 24, /cannot unbond 100000001: the delegation is worth 100000000: not enough delegation shares/);
    const none = { typeUrl: MsgUndelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: valoperOf(v0.address), amount: { denom: 'ucairn', amount: '1' } } };
    await rejected(chain, alice, none, 'staking', 19, /no delegation for \(address, validator\) tuple/);
  });

  it('refuses unjailing before the jail ends, while tombstoned, and when not jailed', async () => {
    const chain = await start();
    const unjail = (w: TestWallet): EncodeObject => ({ typeUrl: MsgUnjail.typeUrl, value: { validatorAddr: valoperOf(w.address) } });
    await rejected(chain, v0, unjail(v0), 'slashing', 5, /validator not jailed; cannot be unjailed/);
    // v0 stops signing and is jailed for an hour.
    const v0Missing = { votes: votes([{ index: 0, power: 100n, signed: false }, { index: 1, power: 100n, signed: true }]) };
    for (let i = 0; i < 8; i++) await chain.block([], v0Missing);
    await rejected(chain, v0, unjail(v0), 'slashing', 4, /is jailed until .*validator still jailed; cannot be unjailed/);
    // v1 double-signs and is tombstoned.
    const evidence = { type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: consAddr(1), power: 100n }, height: chain.height, time: { seconds: 0n, nanos: 0 }, totalVotingPower: 200n };
    await chain.block([], { misbehavior: [evidence] });
    await rejected(chain, v1, unjail(v1), 'slashing', 4, /tombstoned for double signing and can never be unjailed/);
  });
});
