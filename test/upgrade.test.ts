// Software upgrades (cosmos.upgrade.v1beta1, as the SDK 0.50's x/upgrade), in-process: the authority
// schedules and cancels a plan; at its height a build without the handler stops before executing the
// block, and a build with it (a "restarted node" on the same store) migrates the state there and
// carries on; a build with the handler too early refuses.
import { QueryAuthorityResponse, QueryAppliedPlanRequest, QueryAppliedPlanResponse, QueryCurrentPlanResponse, QueryModuleVersionsRequest, QueryModuleVersionsResponse } from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import { QueryParamsResponse as AuthParamsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import type { Plan } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it, vi } from 'vitest';
import { AddressCodec } from '../core/framework/address.ts';
import { CommitStore } from '../core/store/commit-store.ts';
import { UpgradeHaltError } from '../modules/upgrade/index.ts';
import { upgradeHandlers } from '../node/upgrades.ts';
import { upgradeMsgs } from '../sdk/upgrade/messages.ts';
import { defaultAppState } from '../node/genesis.ts';
import { AppChain, checkAppState } from './support/app-chain.ts';
import { sendTx } from './support/staking.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

const MIGRATION = 'test-migration';

async function governed(store?: CommitStore): Promise<{ chain: AppChain; gov: TestWallet; other: TestWallet; store: CommitStore }> {
  const [gov, other] = await Promise.all([testWallet(3), testWallet(0)]);
  const s = store ?? (await CommitStore.memory());
  const chain = await AppChain.start({ store: s, funded: [gov, other].map((w) => ({ address: w.address, amount: 10n ** 12n })), authority: new AddressCodec('cairn').decode(gov.address) });
  await chain.block();
  return { chain, gov, other, store: s };
}

/** The same store run by another "build": one that registers `handlers` (as a restart with the new binary). */
function restart(store: CommitStore, gov: TestWallet, handlers: readonly string[], upgradeHaltGraceMs?: number): Promise<AppChain> {
  return AppChain.start({ store, authority: new AddressCodec('cairn').decode(gov.address), upgradeHandlers: upgradeHandlers(handlers), upgradeHaltGraceMs });
}

async function currentPlan(chain: AppChain): Promise<Plan | undefined> {
  const r = await chain.query('/cosmos.upgrade.v1beta1.Query/CurrentPlan', new Uint8Array());
  return QueryCurrentPlanResponse.decode(r.value).plan;
}

async function appliedHeight(chain: AppChain, name: string): Promise<bigint> {
  const r = await chain.query('/cosmos.upgrade.v1beta1.Query/AppliedPlan', QueryAppliedPlanRequest.encode({ name }).finish());
  return QueryAppliedPlanResponse.decode(r.value).height;
}

async function maxMemo(chain: AppChain): Promise<bigint> {
  const r = await chain.query('/cosmos.auth.v1beta1.Query/Params', new Uint8Array());
  return AuthParamsResponse.decode(r.value).params!.maxMemoCharacters;
}

function schedule(authority: string, plan: Partial<Plan>) {
  return upgradeMsgs.MsgSoftwareUpgrade({ authority, plan: { name: MIGRATION, height: 0n, info: '', time: { seconds: 0n, nanos: 0 }, ...plan } });
}

function expectRefused(r: ExecTxResult, codespace: string, code: number, log: string): void {
  expect({ codespace: r.codespace, code: r.code }).toEqual({ codespace, code });
  expect(r.log).toContain(log);
}

describe('MsgSoftwareUpgrade and MsgCancelUpgrade', () => {
  it('from the authority schedule a plan the CurrentPlan query shows, and cancel it', async () => {
    const { chain, gov } = await governed();
    const r = await sendTx(chain, gov, [schedule(gov.address, { height: chain.height + 10n, info: 'v2' })]);
    expect(r.log).toBe('');
    expect(await currentPlan(chain)).toMatchObject({ name: MIGRATION, height: chain.height + 9n, info: 'v2' });
    expect((await sendTx(chain, gov, [upgradeMsgs.MsgCancelUpgrade({ authority: gov.address })])).code).toBe(0);
    expect(await currentPlan(chain)).toBeUndefined();
    // Cancelling with nothing scheduled is not an error, as in the SDK.
    expect((await sendTx(chain, gov, [upgradeMsgs.MsgCancelUpgrade({ authority: gov.address })])).code).toBe(0);
  });

  it('refuse another signer (upgrade/6), an empty name, a height not in the future, a time: each with the SDK code, changing nothing', async () => {
    const { chain, gov, other } = await governed();
    expect((await sendTx(chain, gov, [schedule(gov.address, { name: 'kept', height: 1000n })])).code).toBe(0);
    const kept = await currentPlan(chain);
    expectRefused(await sendTx(chain, other, [schedule(other.address, { height: 1000n })]), 'upgrade', 6, `expected ${gov.address} got ${other.address}: expected authority account as only signer`);
    expectRefused(await sendTx(chain, other, [upgradeMsgs.MsgCancelUpgrade({ authority: other.address })]), 'upgrade', 6, 'expected authority account');
    expectRefused(await sendTx(chain, gov, [schedule(gov.address, { name: '', height: 1000n })]), 'sdk', 18, 'plan: name cannot be empty');
    expectRefused(await sendTx(chain, gov, [schedule(gov.address, { height: 0n })]), 'sdk', 18, 'plan: height must be greater than 0');
    expectRefused(await sendTx(chain, gov, [schedule(gov.address, { height: 2n })]), 'sdk', 18, 'upgrade cannot be scheduled in the past');
    // The block running the tx is too late too: the plan runs before a block executes.
    expectRefused(await sendTx(chain, gov, [schedule(gov.address, { height: chain.height + 1n })]), 'sdk', 18, 'upgrade cannot be scheduled in the past');
    expectRefused(await sendTx(chain, gov, [schedule(gov.address, { height: 1000n, time: { seconds: 1n, nanos: 0 } })]), 'sdk', 18, 'time-based upgrades have been deprecated');
    expect(await currentPlan(chain)).toEqual(kept);
  });

  it('answer the module versions of the running build and the authority', async () => {
    const { chain, gov } = await governed();
    const all = QueryModuleVersionsResponse.decode((await chain.query('/cosmos.upgrade.v1beta1.Query/ModuleVersions', new Uint8Array())).value).moduleVersions;
    expect(all.map((v) => v.name)).toEqual(chain.app.modules.map((m) => m.name));
    const one = QueryModuleVersionsResponse.decode((await chain.query('/cosmos.upgrade.v1beta1.Query/ModuleVersions', QueryModuleVersionsRequest.encode({ moduleName: 'upgrade' }).finish())).value);
    expect(one.moduleVersions).toEqual([{ name: 'upgrade', version: 1n }]);
    expect(QueryAuthorityResponse.decode((await chain.query('/cosmos.upgrade.v1beta1.Query/Authority', new Uint8Array())).value).address).toBe(gov.address);
  });
});

describe('at the plan height', () => {
  it('a node holds the block it cannot execute for its grace before refusing it, so its CometBFT can pass on the votes that decided it', async () => {
    const { chain, gov, store } = await governed();
    const height = chain.height + 3n;
    expect((await sendTx(chain, gov, [schedule(gov.address, { height })])).code).toBe(0);
    while (chain.height < height - 1n) await chain.block();
    const node = await restart(store, gov, [], 5_000);
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      let answer: unknown;
      let halted = false;
      const block = node.block().then(() => (answer = 'executed'), (err: unknown) => (answer = err));
      void node.app.halted.then(() => (halted = true));
      await vi.advanceTimersByTimeAsync(4_999);
      expect({ answer, halted }).toEqual({ answer: undefined, halted: false });
      await vi.advanceTimersByTimeAsync(1);
      await block;
      expect(answer).toBeInstanceOf(UpgradeHaltError);
      expect((answer as Error).message).toBe(`UPGRADE "${MIGRATION}" NEEDED at height: ${height}: `);
      expect(halted).toBe(true);
      expect(store.lastHeight).toBe(height - 1n);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a build without the handler stops before executing the block; restarted with it, the migration runs there and blocks go on', async () => {
    const { chain, gov, store } = await governed();
    const height = chain.height + 3n;
    expect((await sendTx(chain, gov, [schedule(gov.address, { height, info: 'cairn v0.2.0' })])).code).toBe(0);
    while (chain.height < height - 1n) await chain.block();
    const before = { hash: Buffer.from(store.lastAppHash).toString('hex'), memo: await maxMemo(chain) };

    const halt = chain.block();
    await expect(halt).rejects.toThrow(UpgradeHaltError);
    await expect(halt).rejects.toThrow(`UPGRADE "${MIGRATION}" NEEDED at height: ${height}: cairn v0.2.0`);
    expect((await chain.app.halted).plan.name).toBe(MIGRATION);
    // Nothing of block `height` was applied or committed.
    expect(store.lastHeight).toBe(height - 1n);
    expect(Buffer.from(await store.workingHash()).toString('hex')).toBe(before.hash);
    // Restarting the same build: it refuses to start, and would stop at the same block again.
    const same = await restart(store, gov, []);
    await expect(same.app.checkUpgradeHandlers()).rejects.toThrow(`UPGRADE "${MIGRATION}" NEEDED`);
    await expect(same.block()).rejects.toThrow('NEEDED');

    const upgraded = await restart(store, gov, [MIGRATION]);
    await upgraded.app.checkUpgradeHandlers();
    await upgraded.block();
    expect(upgraded.height).toBe(height);
    expect(await maxMemo(upgraded)).toBe(before.memo * 2n);
    expect(await appliedHeight(upgraded, MIGRATION)).toBe(height);
    expect(await currentPlan(upgraded)).toBeUndefined();
    const event = upgraded.lastBlock!.events.find((e) => e.type === 'upgrade');
    expect(Object.fromEntries(event!.attributes.map((a) => [a.key, a.value]))).toMatchObject({ name: MIGRATION, height: String(height) });
    await upgraded.block();
    expect(upgraded.height).toBe(height + 1n);
    // An applied name cannot be scheduled again.
    expectRefused(await sendTx(upgraded, gov, [schedule(gov.address, { height: upgraded.height + 5n })]), 'sdk', 18, `upgrade with name ${MIGRATION} has already been completed`);
  });

  it('a build that has the handler before the plan height refuses to start, and refuses blocks', async () => {
    const { chain, gov, store } = await governed();
    const height = chain.height + 10n;
    expect((await sendTx(chain, gov, [schedule(gov.address, { height })])).code).toBe(0);
    const early = await restart(store, gov, [MIGRATION]);
    await expect(early.app.checkUpgradeHandlers()).rejects.toThrow(`BINARY UPDATED BEFORE TRIGGER! UPGRADE "${MIGRATION}"`);
    await expect(early.block()).rejects.toThrow(/in binary but not executed on chain/);
    expect(store.lastHeight).toBe(chain.height);
    // The build without it goes on until the height.
    await (await restart(store, gov, [])).block();
  });

  it('survives a genesis export and import: the scheduled plan stays due and an applied name stays applied', async () => {
    const { chain, gov, store } = await governed();
    const height = chain.height + 2n;
    expect((await sendTx(chain, gov, [schedule(gov.address, { height })])).code).toBe(0);
    const upgraded = await restart(store, gov, [MIGRATION]);
    await upgraded.block();
    expect((await sendTx(upgraded, gov, [schedule(gov.address, { name: 'next', height: 1000n, info: 'later' })])).code).toBe(0);
    const module = upgraded.app.modules.find((m) => m.name === 'upgrade')!;
    const exported = await module.genesis.export({ store: store.committed, height: upgraded.height, addresses: upgraded.app.addresses });
    expect(exported).toEqual({ plan: { name: 'next', height: '1000', info: 'later' }, applied: [{ name: MIGRATION, height: String(height) }] });
    const imported = await AppChain.start({ appState: { ...defaultAppState(), upgrade: exported } });
    await imported.block();
    expect(await currentPlan(imported)).toMatchObject({ name: 'next', height: 1000n, info: 'later' });
    expect(await appliedHeight(imported, MIGRATION)).toBe(height);
    // A section that contradicts itself, or a consensus section in app_state, is refused at genesis.
    const bad = (upgrade: unknown) => checkAppState({ ...defaultAppState(), upgrade });
    await expect(bad({ plan: { name: MIGRATION, height: '5' }, applied: [{ name: MIGRATION, height: '3' }] })).rejects.toThrow('is already applied');
    await expect(bad({ plan: { name: '', height: '5' } })).rejects.toThrow('upgrade.plan.name must not be empty');
    await expect(bad({ upgrades: [] })).rejects.toThrow('upgrade.upgrades: unknown field');
    await expect(checkAppState({ ...defaultAppState(), consensus: { block: {} } })).rejects.toThrow("genesis.json's consensus_params");
  });

  it('an unknown handler name is refused when the node is given it', () => {
    expect(() => upgradeHandlers(['no-such-upgrade'])).toThrow('this build has no upgrade handler named "no-such-upgrade" (it knows: test-migration)');
  });
});
