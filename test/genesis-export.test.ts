// Genesis export: a chain's state at a height, written as a new chain's genesis, is exactly the
// state the new chain starts with — every module's section, including work in flight (a batch in
// its dispute window, a reservation, escrow locked for it) — and exporting the new chain at its
// first height gives the same document back.
import { describe, expect, it } from 'vitest';
import type { KVRead } from '../core/store/types.ts';
import * as receiptsKeys from '../modules/receipts/keys.ts';
import * as registryKeys from '../modules/registry/keys.ts';
import * as stakingKeys from '../modules/staking/keys.ts';
import { CairnApp } from '../node/app.ts';
import { exportAppState } from '../node/export.ts';
import { AppChain } from './support/app-chain.ts';
import { GPU_ID, ReceiptsChain, receiptMsgs } from './support/receipts-chain.ts';
import { MsgDelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { authzMsgs, sendAuthorization } from '../sdk/authz/messages.ts';
import { feegrantMsgs, periodicAllowance } from '../sdk/feegrant/messages.ts';
import { sendTx, stakingAppState } from './support/staking.ts';
import { addVestingAccount } from './support/vesting.ts';
import { testWallet } from './support/wallets.ts';

async function exportAt(app: CairnApp, store: AppChain['store'], height: bigint, view = height === store.lastHeight ? store.committed : store.at(height)) {
  return exportAppState(app, { store: view, height, addresses: app.addresses });
}

describe('genesis export', () => {
  it('round-trips the whole state, work in flight included, into a new chain that exports the same document', async () => {
    const rc = await ReceiptsChain.start();
    const pending = await rc.honestBatch(4);
    await rc.ok('payer', receiptMsgs.reserve(rc.address('payer'), rc.address('operator'), GPU_ID, 1, 2n));
    const height = rc.height;
    const exported = await exportAt(rc.chain.app, rc.chain.store, height);

    const receipts = exported['receipts'] as { batches: { id: string }[]; reservations: unknown[] };
    expect(receipts.batches.map((b) => b.id)).toContain(pending.id.toString());
    expect(receipts.reservations).toHaveLength(1);
    expect((await rc.batch(pending.id)).disputeEnd).toBeGreaterThan(height);

    const next = await AppChain.start({ appState: exported, initialHeight: height + 1n });
    // The new chain's state right after InitChain, before its first block: the height it continues from.
    expect(await exportAt(next.app, next.store, height, next.store.working)).toEqual(exported);

    // Beyond what the modules export, the stores themselves agree, but for what each block rewrites
    // (its time, the recent block interval) and a spent reveal deadline the next block would drop.
    const dump = async (view: KVRead): Promise<Map<string, string>> => {
      const m = new Map<string, string>();
      for await (const [k, v] of view.iterate({})) m.set(Buffer.from(k).toString('latin1'), Buffer.from(v).toString('hex'));
      return m;
    };
    const [before, after] = [await dump(rc.chain.store.committed), await dump(next.store.working)];
    const differ = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
    const perBlock = [registryKeys.blockTime.key, stakingKeys.averageBlockMs.key, stakingKeys.lastBlockTime.key].map((k) => Buffer.from(k).toString('latin1'));
    const deadlinePrefix = Buffer.from(receiptsKeys.deadlines.prefix).toString('latin1');
    // Historical info is per block and not exported, as in the SDK: the new chain records its own heights.
    const historyPrefix = Buffer.from(stakingKeys.historicalInfo.prefix).toString('latin1');
    expect(differ.filter((k) => !perBlock.includes(k) && !k.startsWith(deadlinePrefix) && !k.startsWith(historyPrefix))).toEqual([]);

    // An export at an earlier height is that height's state, not today's.
    const earlier = await exportAt(rc.chain.app, rc.chain.store, height - 1n);
    expect((earlier['receipts'] as { reservations?: unknown[] }).reservations ?? []).toHaveLength(0);
  });

  it('round-trips fee allowances, authz grants and vesting accounts (with their delegation tracking) byte for byte', async () => {
    const [alice, bob, carol] = await Promise.all([testWallet(0), testWallet(1), testWallet(2)]);
    let state = stakingAppState({ validators: [{ address: bob.address, selfBond: 10n ** 8n }], funded: [{ address: alice.address, amount: 10n ** 12n }] });
    state = addVestingAccount(state, carol.address, { type: 'periodic', vesting: 10n ** 9n, free: 10n ** 6n, start: 1_800_000_000n, end: 1_800_100_000n, periods: [[40_000n, 4n * 10n ** 8n], [60_000n, 6n * 10n ** 8n]] });
    const chain = await AppChain.start({ appState: state });
    await chain.block();
    const allowance = periodicAllowance({ basic: { spendLimit: [{ denom: 'ucairn', amount: '90000' }], expiration: { seconds: 1_950_000_000n, nanos: 0 } }, period: { seconds: 3600n, nanos: 0 }, periodSpendLimit: [{ denom: 'ucairn', amount: '30000' }], periodCanSpend: [{ denom: 'ucairn', amount: '30000' }] });
    const results = [
      await sendTx(chain, alice, [feegrantMsgs.MsgGrantAllowance({ granter: alice.address, grantee: carol.address, allowance })]),
      await sendTx(chain, alice, [authzMsgs.MsgGrant({ granter: alice.address, grantee: carol.address, grant: { authorization: sendAuthorization([{ denom: 'ucairn', amount: '777' }], [bob.address]), expiration: { seconds: 1_900_000_000n, nanos: 0 } } })]),
      await sendTx(chain, carol, [{ typeUrl: MsgDelegate.typeUrl, value: { delegatorAddress: carol.address, validatorAddress: valoperOf(bob.address), amount: { denom: 'ucairn', amount: '5000000' } } }]),
    ];
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    const height = chain.height;
    const exported = await exportAt(chain.app, chain.store, height);
    expect((exported['feegrant'] as { allowances: unknown[] }).allowances).toHaveLength(1);
    expect((exported['authz'] as { authorization: unknown[] }).authorization).toHaveLength(1);

    const next = await AppChain.start({ appState: exported, initialHeight: height + 1n });
    expect(await exportAt(next.app, next.store, height, next.store.working)).toEqual(exported);
    const dump = async (view: KVRead): Promise<Map<string, string>> => {
      const m = new Map<string, string>();
      for await (const [k, v] of view.iterate({})) m.set(Buffer.from(k).toString('latin1'), Buffer.from(v).toString('hex'));
      return m;
    };
    const [before, after] = [await dump(chain.store.committed), await dump(next.store.working)];
    const differ = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
    const perBlock = [registryKeys.blockTime.key, stakingKeys.averageBlockMs.key, stakingKeys.lastBlockTime.key].map((k) => Buffer.from(k).toString('latin1'));
    const historyPrefix = Buffer.from(stakingKeys.historicalInfo.prefix).toString('latin1');
    expect(differ.filter((k) => !perBlock.includes(k) && !k.startsWith(historyPrefix))).toEqual([]);
  });
});
