// Fee grants in-process: a granter pays a grantee's fees out of an allowance that the ante spends,
// refusals carry the SDK's codes and change nothing, the queries answer, genesis round-trips.
import { Grant } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import {
  QueryAllowanceRequest,
  QueryAllowanceResponse,
  QueryAllowancesByGranterRequest,
  QueryAllowancesByGranterResponse,
  QueryAllowancesRequest,
  QueryAllowancesResponse,
} from 'cosmjs-types/cosmos/feegrant/v1beta1/query';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AddressCodec } from '../core/framework/address.ts';
import { basicAllowance, feegrantMsgs, periodicAllowance } from '../sdk/feegrant/messages.ts';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { type TestWallet, sendMsg, signTx, testWallet } from './support/wallets.ts';

const FUNDS = 10n ** 12n;
let alice: TestWallet;
let bob: TestWallet;
let carol: TestWallet;
let chain: AppChain;

beforeEach(async () => {
  [alice, bob, carol] = await Promise.all([testWallet(0), testWallet(1), testWallet(2)]);
  chain = await AppChain.start({ funded: [alice, bob].map((w) => ({ address: w.address, amount: FUNDS })) });
  await chain.block();
});

async function tx(w: TestWallet, msgs: EncodeObject[], opts: { fee?: string; granter?: string } = {}): Promise<Uint8Array> {
  const account = await chain.account(w.address);
  return signTx(w, msgs, {
    chainId: CHAIN_ID,
    accountNumber: account.accountNumber,
    sequence: account.sequence,
    fee: [{ denom: 'ucairn', amount: opts.fee ?? '5000' }],
    ...(opts.granter === undefined ? {} : { granter: opts.granter }),
  });
}

async function run(bytes: Uint8Array): Promise<{ code: number; codespace: string; log: string }> {
  const [r] = await chain.block([bytes]);
  return r!;
}

async function allowance(granter: string, grantee: string): Promise<Grant | undefined> {
  const r = await chain.query('/cosmos.feegrant.v1beta1.Query/Allowance', QueryAllowanceRequest.encode({ granter, grantee }).finish());
  return r.code === 0 ? QueryAllowanceResponse.decode(r.value).allowance : undefined;
}

const grantBasic = (granter: string, grantee: string, limit: string) =>
  feegrantMsgs.MsgGrantAllowance({ granter, grantee, allowance: basicAllowance({ spendLimit: [{ denom: 'ucairn', amount: limit }] }) });

describe('a fee grant', () => {
  it('makes the granter pay the grantee’s fee and spends the allowance', async () => {
    expect(await run(await tx(alice, [grantBasic(alice.address, bob.address, '12000')]))).toMatchObject({ code: 0 });
    const [aliceBefore, bobBefore] = [await chain.balance(alice.address), await chain.balance(bob.address)];
    const r = await run(await tx(bob, [sendMsg(bob.address, carol.address, '7')], { granter: alice.address }));
    expect(r.code).toBe(0);
    expect(await chain.balance(alice.address)).toBe(aliceBefore - 5000n);
    expect(await chain.balance(bob.address)).toBe(bobBefore - 7n);
    const events = chain.lastBlock!.txResults[0]!.events;
    expect(events.find((e) => e.type === 'use_feegrant')?.attributes.map((a) => [a.key, a.value])).toEqual(
      expect.arrayContaining([['granter', alice.address], ['grantee', bob.address]]),
    );
    expect(events.some((e) => e.type === 'tx' && e.attributes.some((a) => a.key === 'fee_payer' && a.value === alice.address))).toBe(true);
    const left = await allowance(alice.address, bob.address);
    expect(left?.allowance?.value).toEqual(basicAllowance({ spendLimit: [{ denom: 'ucairn', amount: '7000' }] }).value);
  });

  it('is deleted once used up, and a grantee without coins can still transact', async () => {
    // carol holds nothing: the grant creates her account, alice's allowance pays her fee.
    expect((await run(await tx(alice, [grantBasic(alice.address, carol.address, '5000')]))).code).toBe(0);
    const carolGrants = feegrantMsgs.MsgGrantAllowance({ granter: carol.address, grantee: bob.address, allowance: basicAllowance({}) });
    expect(await run(await tx(carol, [carolGrants], { granter: alice.address }))).toMatchObject({ code: 0 });
    expect(await allowance(alice.address, carol.address)).toBeUndefined();
    expect(await chain.balance(carol.address)).toBe(0n);
    expect(chain.lastBlock!.txResults[0]!.events.some((e) => e.type === 'revoke_feegrant')).toBe(true);
  });

  it('refuses at CheckTx, with the SDK codes, a fee above the allowance, without one, or after a revoke', async () => {
    expect((await run(await tx(alice, [grantBasic(alice.address, bob.address, '4999')]))).code).toBe(0);
    const over = await chain.checkTx(await tx(bob, [sendMsg(bob.address, carol.address, '1')], { granter: alice.address }));
    expect(over).toMatchObject({ code: 2, codespace: 'feegrant' });
    expect(over.log).toBe(`${alice.address} does not allow to pay fees for ${bob.address}: basic allowance: fee limit exceeded`);
    const none = await chain.checkTx(await tx(alice, [sendMsg(alice.address, carol.address, '1')], { granter: bob.address }));
    expect(none).toMatchObject({ code: 5, codespace: 'feegrant' });
    expect((await run(await tx(alice, [feegrantMsgs.MsgRevokeAllowance({ granter: alice.address, grantee: bob.address })]))).code).toBe(0);
    const revoked = await chain.checkTx(await tx(bob, [sendMsg(bob.address, carol.address, '1')], { granter: alice.address, fee: '1' }));
    expect(revoked).toMatchObject({ code: 5, codespace: 'feegrant' });
    // A refused fee grant takes nothing from anyone.
    expect(await chain.balance(bob.address)).toBe(FUNDS);
  });

  it('refuses a fee grant limited in time once it has expired', async () => {
    const expiring = feegrantMsgs.MsgGrantAllowance({
      granter: alice.address,
      grantee: bob.address,
      // AppChain blocks are 5 s apart from 1_800_000_000: this expires two blocks from now.
      allowance: basicAllowance({ expiration: { seconds: 1_800_000_000n + (chain.height + 2n) * 5n, nanos: 0 } }),
    });
    expect((await run(await tx(alice, [expiring]))).code).toBe(0);
    await chain.block();
    await chain.block();
    const r = await run(await tx(bob, [sendMsg(bob.address, carol.address, '1')], { granter: alice.address }));
    expect(r).toMatchObject({ code: 3, codespace: 'feegrant' });
  });

  it('MsgPruneAllowances (by anyone) deletes the allowances that have expired, and only those', async () => {
    const soon = basicAllowance({ expiration: { seconds: 1_800_000_000n + (chain.height + 2n) * 5n, nanos: 0 } });
    const later = basicAllowance({ expiration: { seconds: 1_900_000_000n, nanos: 0 } });
    expect((await run(await tx(alice, [feegrantMsgs.MsgGrantAllowance({ granter: alice.address, grantee: bob.address, allowance: soon }), feegrantMsgs.MsgGrantAllowance({ granter: alice.address, grantee: carol.address, allowance: later })]))).code).toBe(0);
    // At its expiration time it is still usable, so not pruned.
    expect((await run(await tx(bob, [feegrantMsgs.MsgPruneAllowances({ pruner: bob.address })]))).code).toBe(0);
    expect(await allowance(alice.address, bob.address)).toBeDefined();
    const r = await run(await tx(bob, [feegrantMsgs.MsgPruneAllowances({ pruner: bob.address })]));
    expect(r.code).toBe(0);
    expect(chain.lastBlock!.txResults[0]!.events.map((e) => e.type)).toEqual(expect.arrayContaining(['revoke_feegrant', 'prune_feegrant']));
    expect(await allowance(alice.address, bob.address)).toBeUndefined();
    expect(await allowance(alice.address, carol.address)).toBeDefined();
  });

  it('answers the Allowances and AllowancesByGranter queries', async () => {
    const periodic = periodicAllowance({ period: { seconds: 60n, nanos: 0 }, periodSpendLimit: [{ denom: 'ucairn', amount: '100' }] });
    expect((await run(await tx(alice, [grantBasic(alice.address, bob.address, '10'), feegrantMsgs.MsgGrantAllowance({ granter: alice.address, grantee: carol.address, allowance: periodic })]))).code).toBe(0);
    expect((await run(await tx(bob, [grantBasic(bob.address, carol.address, '20')]))).code).toBe(0);
    const byGrantee = await chain.query('/cosmos.feegrant.v1beta1.Query/Allowances', QueryAllowancesRequest.encode({ grantee: carol.address }).finish());
    expect(QueryAllowancesResponse.decode(byGrantee.value).allowances.map((g) => g.granter).sort()).toEqual([alice.address, bob.address].sort());
    const byGranter = await chain.query('/cosmos.feegrant.v1beta1.Query/AllowancesByGranter', QueryAllowancesByGranterRequest.encode({ granter: alice.address }).finish());
    const answer = QueryAllowancesByGranterResponse.decode(byGranter.value);
    expect(answer.allowances.map((g) => g.grantee).sort()).toEqual([bob.address, carol.address].sort());
    expect(answer.pagination?.total).toBe(2n);
  });

  it('exports its allowances in genesis and imports them back unchanged', async () => {
    const periodic = periodicAllowance({
      basic: { spendLimit: [{ denom: 'ucairn', amount: '1000' }], expiration: { seconds: 1_900_000_000n, nanos: 5 } },
      period: { seconds: 60n, nanos: 500_000_000 },
      periodSpendLimit: [{ denom: 'ucairn', amount: '100' }],
      periodCanSpend: [{ denom: 'ucairn', amount: '100' }],
    });
    expect((await run(await tx(alice, [feegrantMsgs.MsgGrantAllowance({ granter: alice.address, grantee: bob.address, allowance: periodic })]))).code).toBe(0);
    const module = chain.app.modules.find((m) => m.name === 'feegrant')!;
    const ctx = { store: chain.store.committed, height: chain.height, addresses: new AddressCodec('cairn') };
    const exported = await module.genesis.export(ctx);
    const again = await AppChain.start({ appState: { feegrant: exported as never } });
    const reexported = await module.genesis.export({ ...ctx, store: again.store.working });
    expect(reexported).toEqual(exported);
    expect(JSON.stringify(exported)).toContain('"period":"60.5s"');
  });
});

describe('bad fee grants change nothing', () => {
  it.each([
    ['a self-grant', () => grantBasic(alice.address, alice.address, '1'), 'sdk', 7],
    ['a bad grantee address', () => grantBasic(alice.address, 'cairn1nope', '1'), 'sdk', 7],
    ['a zero limit', () => grantBasic(alice.address, bob.address, '0'), 'sdk', 10],
    ['an unknown allowance type', () => feegrantMsgs.MsgGrantAllowance({ granter: alice.address, grantee: bob.address, allowance: { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: new Uint8Array() } }), 'sdk', 2],
    ['an expiration in the past', () => feegrantMsgs.MsgGrantAllowance({ granter: alice.address, grantee: bob.address, allowance: basicAllowance({ expiration: { seconds: 1n, nanos: 0 } }) }), 'sdk', 18],
    ['a revoke of nothing', () => feegrantMsgs.MsgRevokeAllowance({ granter: alice.address, grantee: bob.address }), 'feegrant', 5],
  ])('%s', async (_name, msg, codespace, code) => {
    const r = await run(await tx(alice, [msg()]));
    expect(r).toMatchObject({ code, codespace });
    expect(await allowance(alice.address, bob.address)).toBeUndefined();
  });

  it('a second grant to the same grantee', async () => {
    expect((await run(await tx(alice, [grantBasic(alice.address, bob.address, '5')]))).code).toBe(0);
    expect(await run(await tx(alice, [grantBasic(alice.address, bob.address, '9')]))).toMatchObject({ code: 18, codespace: 'sdk', log: 'fee allowance already exists: invalid request' });
    expect((await allowance(alice.address, bob.address))?.allowance?.value).toEqual(basicAllowance({ spendLimit: [{ denom: 'ucairn', amount: '5' }] }).value);
  });
});
