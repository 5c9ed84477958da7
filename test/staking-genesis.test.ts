// Export and import: a chain with delegations, unbonding and redelegation in flight, rewards owed,
// a jailed and a tombstoned validator is exported; a new chain started from that genesis has the same
// staking, distribution, slashing and bank state, hands CometBFT the same validator set, and keeps
// running with every invariant holding.
import { MsgBeginRedelegate, MsgDelegate, MsgUndelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { AppChain } from './support/app-chain.ts';
import { consAddr, sendTx, stakingAppState, votes } from './support/staking.ts';
import { type TestWallet, sendMsg, testWallet } from './support/wallets.ts';

const BOND = 100_000_000n;
let v0: TestWallet;
let v1: TestWallet;
let v2: TestWallet;
let alice: TestWallet;

beforeAll(async () => {
  [v0, v1, v2, alice] = await Promise.all([testWallet(0), testWallet(1), testWallet(2), testWallet(3)]);
});

const SECTIONS = ['bank', 'staking', 'distribution', 'slashing'];

/** Module exports of the committed state, or (`afterInitChain`) of the state InitChain just wrote. */
async function exported(chain: AppChain, afterInitChain = false): Promise<Record<string, unknown>> {
  const ctx = { store: afterInitChain ? chain.store.working : chain.store.committed, height: chain.height, addresses: chain.app.addresses };
  const out: Record<string, unknown> = {};
  for (const m of chain.app.modules) if (m.name === 'auth' || SECTIONS.includes(m.name)) out[m.name] = await m.genesis.export(ctx);
  return JSON.parse(JSON.stringify(out, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
}

describe('validator state in genesis', () => {
  it('survives export and import unchanged, with the same validator set handed to CometBFT', async () => {
    const chain = await AppChain.start({
      appState: stakingAppState({
        validators: [
          { address: v0.address, selfBond: BOND },
          { address: v1.address, selfBond: 2n * BOND },
          { address: v2.address, selfBond: 2n * BOND },
        ],
        funded: [{ address: alice.address, amount: 10n ** 12n }],
        sections: {
          staking: { params: { unbonding_blocks: '50' } },
          slashing: { params: { signed_blocks_window: '5', min_signed_bps: '5000', downtime_jail_duration: '1h' } },
        },
      }),
    });
    const signing = (v0Signs: boolean) => ({ votes: votes([{ index: 0, power: 100n, signed: v0Signs }, { index: 1, power: 200n, signed: true }, { index: 2, power: 200n, signed: true }]) });
    await chain.block([], signing(true));
    const [val1, val2] = [v1, v2].map((w) => valoperOf(w.address)) as [string, string];
    const coin = (amount: string) => ({ denom: 'ucairn', amount });
    await sendTx(chain, alice, [{ typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val1, amount: coin('50000000') } }], signing(true), '12345');
    await sendTx(chain, alice, [{ typeUrl: MsgUndelegate.typeUrl, value: { delegatorAddress: alice.address, validatorAddress: val1, amount: coin('10000000') } }], signing(true), '777');
    await sendTx(chain, alice, [{ typeUrl: MsgBeginRedelegate.typeUrl, value: { delegatorAddress: alice.address, validatorSrcAddress: val1, validatorDstAddress: val2, amount: coin('5000000') } }], signing(true), '333');
    await sendTx(chain, alice, [sendMsg(alice.address, v0.address, '1')], signing(true), '999');
    // v0 misses blocks until jailed; v2 double-signs and is tombstoned.
    for (let i = 0; i < 8; i++) await chain.block([], signing(false));
    const evidence = { type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: consAddr(2), power: 200n }, height: chain.height - 1n, time: { seconds: 0n, nanos: 0 }, totalVotingPower: 500n };
    await chain.block([], { ...signing(false), misbehavior: [evidence] });
    await chain.block([], { votes: votes([{ index: 1, power: 235n, signed: true }]) });

    const before = await exported(chain);
    const staking = before['staking'] as { validators: { jailed: boolean }[]; unbonding_delegations: unknown[]; redelegations: unknown[] };
    expect(staking.validators.map((v) => v.jailed).sort()).toEqual([false, true, true]);
    expect(staking.unbonding_delegations).toHaveLength(1);
    expect(staking.redelegations).toHaveLength(1);

    const copy = await AppChain.start({ appState: before });
    const after = await exported(copy, true);
    for (const name of SECTIONS) expect(after[name], name).toEqual(before[name]);
    expect(copy.initChain!.validators.map((u) => u.power)).toEqual([235n]);

    // The copy runs on: the unbonding and redelegation still complete, rewards still pay out.
    for (let i = 0; i < 55; i++) await copy.block([], { votes: votes([{ index: 1, power: 235n, signed: true }]) });
    const afterRun = (await exported(copy))['staking'] as { unbonding_delegations: unknown[]; redelegations: unknown[] };
    expect(afterRun.unbonding_delegations).toEqual([]);
    expect(afterRun.redelegations).toEqual([]);
  });
});
