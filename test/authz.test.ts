// authz in-process: grants, MsgExec running a granter's messages through their own handlers,
// spend limits and allow lists, expiry, revocation, the queries, genesis, and bad input refused
// with the SDK's codes and nothing changed.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { GrantAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import {
  QueryGranteeGrantsRequest,
  QueryGranteeGrantsResponse,
  QueryGranterGrantsRequest,
  QueryGranterGrantsResponse,
  QueryGrantsRequest,
  QueryGrantsResponse,
} from 'cosmjs-types/cosmos/authz/v1beta1/query';
import { MsgExecResponse } from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { beforeEach, describe, expect, it } from 'vitest';
import { AddressCodec } from '../core/framework/address.ts';
import { authzMsgs, genericAuthorization, sendAuthorization } from '../sdk/authz/messages.ts';
import { bankMsgs } from '../sdk/bank/messages.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { type TestWallet, sendMsg, signTx, testWallet } from './support/wallets.ts';

const FUNDS = 10n ** 12n;
const SEND = '/cosmos.bank.v1beta1.MsgSend';
const registry = cairnRegistry();
let alice: TestWallet;
let bob: TestWallet;
let carol: TestWallet;
let dave: TestWallet;
let chain: AppChain;

beforeEach(async () => {
  [alice, bob, carol, dave] = await Promise.all([testWallet(0), testWallet(1), testWallet(2), testWallet(3)]);
  chain = await AppChain.start({ funded: [alice, bob].map((w) => ({ address: w.address, amount: FUNDS })) });
  await chain.block();
});

async function run(w: TestWallet, msgs: EncodeObject[]): Promise<{ code: number; codespace: string; log: string; data: Uint8Array }> {
  const account = await chain.account(w.address);
  const tx = await signTx(w, msgs, { chainId: CHAIN_ID, accountNumber: account.accountNumber, sequence: account.sequence, gas: 400_000n });
  const [r] = await chain.block([tx]);
  return r!;
}

const grant = (granter: string, grantee: string, authorization: { typeUrl: string; value: Uint8Array }, expiration?: bigint) =>
  authzMsgs.MsgGrant({ granter, grantee, grant: { authorization, ...(expiration === undefined ? {} : { expiration: { seconds: expiration, nanos: 0 } }) } });
const exec = (grantee: string, msgs: EncodeObject[]) => authzMsgs.MsgExec({ grantee, msgs: msgs.map((m) => registry.encodeAsAny(m)) });

async function grants(granter: string, grantee: string, msgTypeUrl = ''): Promise<{ code: number; grants: QueryGrantsResponse['grants'] }> {
  const r = await chain.query('/cosmos.authz.v1beta1.Query/Grants', QueryGrantsRequest.encode({ granter, grantee, msgTypeUrl }).finish());
  return { code: r.code, grants: r.code === 0 ? QueryGrantsResponse.decode(r.value).grants : [] };
}

describe('authz', () => {
  it('grant → exec (a send as the granter, within the spend limit, to an allowed recipient) → revoke → exec refused', async () => {
    expect((await run(alice, [grant(alice.address, bob.address, sendAuthorization([{ denom: 'ucairn', amount: '1000' }], [carol.address]))])).code).toBe(0);
    const aliceBefore = await chain.balance(alice.address);
    const r = await run(bob, [exec(bob.address, [sendMsg(alice.address, carol.address, '400')])]);
    expect(r.code).toBe(0);
    expect(MsgExecResponse.decode(TxMsgData.decode(r.data).msgResponses[0]!.value).results).toHaveLength(1);
    expect(await chain.balance(alice.address)).toBe(aliceBefore - 400n);
    expect(await chain.balance(carol.address)).toBe(400n);
    const events = chain.lastBlock!.txResults[0]!.events;
    // The inner send's events carry its index in the exec, as in the SDK.
    const inner = events.find((e) => e.type === 'transfer' && e.attributes.some((a) => a.key === 'recipient' && a.value === carol.address));
    expect(inner?.attributes.find((a) => a.key === 'authz_msg_index')?.value).toBe('0');
    const left = await grants(alice.address, bob.address, SEND);
    expect(SendAuthorization.decode(left.grants[0]!.authorization!.value).spendLimit).toEqual([{ denom: 'ucairn', amount: '600' }]);

    // Over the limit, or to a recipient not on the list: refused, nothing moves.
    expect(await run(bob, [exec(bob.address, [sendMsg(alice.address, carol.address, '601')])])).toMatchObject({ code: 5, codespace: 'sdk', log: 'requested amount is more than spend limit: insufficient funds' });
    expect(await run(bob, [exec(bob.address, [sendMsg(alice.address, dave.address, '1')])])).toMatchObject({ code: 4, codespace: 'sdk' });
    expect(await chain.balance(alice.address)).toBe(aliceBefore - 400n);

    expect((await run(alice, [authzMsgs.MsgRevoke({ granter: alice.address, grantee: bob.address, msgTypeUrl: SEND })])).code).toBe(0);
    expect(chain.lastBlock!.txResults[0]!.events.find((e) => e.type === 'cosmos.authz.v1beta1.EventRevoke')?.attributes.find((a) => a.key === 'granter')?.value).toBe(JSON.stringify(alice.address));
    expect(await run(bob, [exec(bob.address, [sendMsg(alice.address, carol.address, '1')])])).toMatchObject({ code: 2, codespace: 'authz' });
    expect(await chain.balance(carol.address)).toBe(400n);
  });

  it('deletes a send authorization once its limit is spent', async () => {
    expect((await run(alice, [grant(alice.address, bob.address, sendAuthorization([{ denom: 'ucairn', amount: '10' }]))])).code).toBe(0);
    expect((await run(bob, [exec(bob.address, [sendMsg(alice.address, dave.address, '4'), sendMsg(alice.address, dave.address, '6')])])).code).toBe(0);
    expect(await chain.balance(dave.address)).toBe(10n);
    expect((await grants(alice.address, bob.address, SEND)).code).not.toBe(0);
  });

  it('a generic authorization runs any message of its type until it expires, and the expired grant is deleted at the next block', async () => {
    const expires = 1_800_000_000n + (chain.height + 3n) * 5n;
    expect((await run(alice, [grant(alice.address, bob.address, genericAuthorization(SEND), expires)])).code).toBe(0);
    expect((await run(bob, [exec(bob.address, [sendMsg(alice.address, dave.address, '5')])])).code).toBe(0);
    expect((await grants(alice.address, bob.address)).grants).toHaveLength(1);
    // The block at the expiration time deletes it in its begin block, before any tx.
    await chain.block();
    expect((await grants(alice.address, bob.address)).grants).toEqual([]);
    expect(await run(bob, [exec(bob.address, [sendMsg(alice.address, dave.address, '5')])])).toMatchObject({ code: 2, codespace: 'authz' });
    expect(await chain.balance(dave.address)).toBe(5n);
  });

  it('a new grant of the same type replaces the old one with its expiration', async () => {
    const soon = 1_800_000_000n + (chain.height + 2n) * 5n;
    expect((await run(alice, [grant(alice.address, bob.address, genericAuthorization(SEND), soon)])).code).toBe(0);
    expect((await run(alice, [grant(alice.address, bob.address, genericAuthorization(SEND), 2_000_000_000n)])).code).toBe(0);
    await chain.block();
    await chain.block();
    const left = (await grants(alice.address, bob.address, SEND)).grants;
    expect(left.map((g) => g.expiration?.seconds)).toEqual([2_000_000_000n]);
  });

  it('runs the grantee’s own messages in an exec without a grant, and refuses another signer’s without one', async () => {
    expect((await run(bob, [exec(bob.address, [sendMsg(bob.address, dave.address, '3')])])).code).toBe(0);
    expect(await chain.balance(dave.address)).toBe(3n);
    const r = await run(bob, [exec(bob.address, [sendMsg(alice.address, dave.address, '3')])]);
    expect(r).toMatchObject({ code: 2, codespace: 'authz' });
    expect(r.log).toContain(`failed to get grant with given granter: ${alice.address}, grantee: ${bob.address} & msgType: ${SEND}`);
  });

  it('answers GranterGrants and GranteeGrants, and round-trips its grants through genesis', async () => {
    expect((await run(alice, [grant(alice.address, bob.address, genericAuthorization(SEND), 2_000_000_000n), grant(alice.address, carol.address, sendAuthorization([{ denom: 'ucairn', amount: '7' }], [dave.address]))])).code).toBe(0);
    expect((await run(bob, [grant(bob.address, carol.address, genericAuthorization('/cosmos.staking.v1beta1.MsgDelegate'))])).code).toBe(0);
    const byGranter = QueryGranterGrantsResponse.decode((await chain.query('/cosmos.authz.v1beta1.Query/GranterGrants', QueryGranterGrantsRequest.encode({ granter: alice.address }).finish())).value);
    expect(byGranter.grants.map((g) => g.grantee).sort()).toEqual([bob.address, carol.address].sort());
    const byGrantee = QueryGranteeGrantsResponse.decode((await chain.query('/cosmos.authz.v1beta1.Query/GranteeGrants', QueryGranteeGrantsRequest.encode({ grantee: carol.address }).finish())).value);
    expect(byGrantee.grants.map((g: GrantAuthorization) => g.granter).sort()).toEqual([alice.address, bob.address].sort());

    const module = chain.app.modules.find((m) => m.name === 'authz')!;
    const ctx = { store: chain.store.committed, height: chain.height, addresses: new AddressCodec('cairn') };
    const exported = await module.genesis.export(ctx);
    expect((exported as { authorization: unknown[] }).authorization).toHaveLength(3);
    const again = await AppChain.start({ appState: { authz: exported as never } });
    expect(await module.genesis.export({ ...ctx, store: again.store.working })).toEqual(exported);
  });
});

describe('bad authz messages change nothing', () => {
  const alicesTen = () => sendAuthorization([{ denom: 'ucairn', amount: '10' }]);
  it.each([
    ['a self-grant', () => grant(alice.address, alice.address, alicesTen()), 'authz', 7],
    ['a grant to a bad address', () => grant(alice.address, 'cairn1nope', alicesTen()), 'sdk', 7],
    ['a grant for a message type no module handles', () => grant(alice.address, bob.address, genericAuthorization('/cosmos.nft.v1beta1.MsgSend')), 'sdk', 29],
    ['a grant of an unknown authorization type', () => grant(alice.address, bob.address, { typeUrl: '/cosmos.staking.v1beta1.StakeAuthorization', value: new Uint8Array() }), 'sdk', 2],
    ['a send authorization without a limit', () => grant(alice.address, bob.address, sendAuthorization([])), 'sdk', 10],
    ['a send authorization listing a recipient twice', () => grant(alice.address, bob.address, sendAuthorization([{ denom: 'ucairn', amount: '1' }], [carol.address, carol.address])), 'bank', 8],
    ['a grant that expired already', () => grant(alice.address, bob.address, alicesTen(), 1_000n), 'authz', 3],
    ['an exec of nothing', () => exec(alice.address, []), 'sdk', 18],
    ['an exec of an unknown message type', () => authzMsgs.MsgExec({ grantee: alice.address, msgs: [{ typeUrl: '/cosmos.nft.v1beta1.MsgSend', value: new Uint8Array() }] }), 'sdk', 2],
    ['an exec of an invalid message', () => exec(alice.address, [bankMsgs.MsgSend({ fromAddress: bob.address, toAddress: carol.address, amount: [] })]), 'sdk', 10],
    [
      'an exec of a message with a field this chain does not know',
      () => {
        const any = registry.encodeAsAny(sendMsg(bob.address, carol.address, '1'));
        // Field 99, varint 1: critical (below 1024), so refused as the SDK refuses it.
        return authzMsgs.MsgExec({ grantee: alice.address, msgs: [{ typeUrl: any.typeUrl, value: Uint8Array.from([...any.value, 0x98, 0x06, 0x01]) }] });
      },
      'sdk',
      2,
    ],
    ['a grant whose authorization has a field this chain does not know', () => grant(alice.address, bob.address, { typeUrl: '/cosmos.authz.v1beta1.GenericAuthorization', value: Uint8Array.from([...genericAuthorization(SEND).value, 0x98, 0x06, 0x01]) }), 'sdk', 2],
    ['a revoke of nothing', () => authzMsgs.MsgRevoke({ granter: alice.address, grantee: bob.address, msgTypeUrl: SEND }), 'authz', 2],
    ['a revoke without a message type', () => authzMsgs.MsgRevoke({ granter: alice.address, grantee: bob.address, msgTypeUrl: '' }), 'sdk', 18],
  ])('%s', async (_name, msg, codespace, code) => {
    const before = await chain.balance(alice.address);
    const r = await run(alice, [msg()]);
    expect(r).toMatchObject({ code, codespace });
    expect((await grants(alice.address, bob.address)).grants).toEqual([]);
    // Refused before the ante (a stateless check) or after it (the fee is paid, as in the SDK); nothing else moved.
    expect([before, before - 5000n]).toContain(await chain.balance(alice.address));
  });
});
