// Unmodified CosmJS against a real CometBFT node: fee grants (a granter pays another account's fee),
// authz (grant, exec as the granter, revoke), with the grants read back over REST as an explorer
// would, and a genesis vesting account (locked coins cannot be sent, can be delegated).
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForHeight } from '../node/cometbft/rpc.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { basicAllowance, feegrantMsgs } from '../sdk/feegrant/messages.ts';
import { authzMsgs, sendAuthorization } from '../sdk/authz/messages.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { TEST_OPERATOR, createTestHome, type TestHome } from './support/node-home.ts';
import { addVestingAccount } from './support/vesting.ts';
import { defaultAppState } from '../node/genesis.ts';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

const FUNDS = 10_000_000_000n;
const FEE = { amount: [{ denom: 'ucairn', amount: '6000' }], gas: '240000' };
let home: TestHome;
let node: RunningNode;
let alice: TestWallet;
let bob: TestWallet;
let carol: TestWallet;
let dave: TestWallet;
let aliceClient: SigningStargateClient;
let bobClient: SigningStargateClient;
let daveClient: SigningStargateClient;
const VESTING = 5_000_000_000n;
const FREE = 1_000_000n;

beforeAll(async () => {
  [alice, bob, carol, dave] = await Promise.all([testWallet(0), testWallet(1), testWallet(2), testWallet(3)]);
  // dave: a team allocation vesting over ten years from a minute ago, plus a little for fees.
  const now = BigInt(Math.floor(Date.now() / 1000));
  const base = addVestingAccount(defaultAppState(), dave.address, { type: 'continuous', vesting: VESTING, free: FREE, start: now - 60n, end: now + 10n * 365n * 86_400n });
  home = await createTestHome(
    [
      { address: alice.address, amount: FUNDS },
      { address: bob.address, amount: FUNDS },
    ],
    'cairn-it-1',
    base,
  );
  node = await startNode({ home: home.home, logger: silentLogger, withCometbft: true, config: { apiEnabled: true, apiAddress: 'tcp://127.0.0.1:0', grpcAddress: '127.0.0.1:0' } });
  await waitForHeight(home.rpcUrl, 2, 60_000);
  const options = { gasPrice: GasPrice.fromString('0.025ucairn') };
  aliceClient = await SigningStargateClient.connectWithSigner(home.rpcUrl, alice.wallet, options);
  bobClient = await SigningStargateClient.connectWithSigner(home.rpcUrl, bob.wallet, options);
  daveClient = await SigningStargateClient.connectWithSigner(home.rpcUrl, dave.wallet, options);
}, 120_000);

afterAll(async () => {
  aliceClient?.disconnect();
  bobClient?.disconnect();
  daveClient?.disconnect();
  await node?.stop();
});

async function balance(address: string): Promise<bigint> {
  return BigInt((await aliceClient.getBalance(address, 'ucairn')).amount);
}

describe('feegrant with CosmJS', () => {
  it('a fee grant pays another account’s fee: the granter’s balance drops by the fee, the grantee’s does not', async () => {
    const grant = feegrantMsgs.MsgGrantAllowance({ granter: alice.address, grantee: bob.address, allowance: basicAllowance({ spendLimit: [{ denom: 'ucairn', amount: '100000' }] }) });
    expect((await aliceClient.signAndBroadcast(alice.address, [grant], FEE)).code).toBe(0);

    const [aliceBefore, bobBefore] = [await balance(alice.address), await balance(bob.address)];
    const sent = await bobClient.sendTokens(bob.address, carol.address, [{ denom: 'ucairn', amount: '11' }], { ...FEE, granter: alice.address });
    expect(sent.code).toBe(0);
    expect(await balance(alice.address)).toBe(aliceBefore - 6000n);
    expect(await balance(bob.address)).toBe(bobBefore - 11n);

    const r = await fetch(`${node.api!.url}/cosmos/feegrant/v1beta1/allowance/${alice.address}/${bob.address}`, { signal: AbortSignal.timeout(20_000) });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({
      allowance: { granter: alice.address, grantee: bob.address, allowance: { '@type': '/cosmos.feegrant.v1beta1.BasicAllowance', spend_limit: [{ denom: 'ucairn', amount: '94000' }] } },
    });
  });
});

async function rest(path: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${node.api!.url}${path}`, { signal: AbortSignal.timeout(20_000) });
  return { status: r.status, body: await r.json() };
}

describe('authz with CosmJS', () => {
  it('grant → exec (a send as the granter) → revoke → exec refused', async () => {
    const SEND = '/cosmos.bank.v1beta1.MsgSend';
    const grant = authzMsgs.MsgGrant({ granter: alice.address, grantee: bob.address, grant: { authorization: sendAuthorization([{ denom: 'ucairn', amount: '500' }]) } });
    expect((await aliceClient.signAndBroadcast(alice.address, [grant], FEE)).code).toBe(0);

    const send = cairnRegistry().encodeAsAny({ typeUrl: SEND, value: { fromAddress: alice.address, toAddress: carol.address, amount: [{ denom: 'ucairn', amount: '200' }] } });
    const exec = authzMsgs.MsgExec({ grantee: bob.address, msgs: [send] });
    const [aliceBefore, carolBefore] = [await balance(alice.address), await balance(carol.address)];
    const done = await bobClient.signAndBroadcast(bob.address, [exec], FEE);
    expect(done.code).toBe(0);
    expect(await balance(alice.address)).toBe(aliceBefore - 200n);
    expect(await balance(carol.address)).toBe(carolBefore + 200n);
    const grants = await rest(`/cosmos/authz/v1beta1/grants?granter=${alice.address}&grantee=${bob.address}`);
    expect(grants.body).toMatchObject({ grants: [{ authorization: { '@type': '/cosmos.bank.v1beta1.SendAuthorization', spend_limit: [{ denom: 'ucairn', amount: '300' }] } }] });

    const revoke = authzMsgs.MsgRevoke({ granter: alice.address, grantee: bob.address, msgTypeUrl: SEND });
    expect((await aliceClient.signAndBroadcast(alice.address, [revoke], FEE)).code).toBe(0);
    const refused = await bobClient.signAndBroadcast(bob.address, [exec], FEE);
    expect(refused).toMatchObject({ code: 2 });
    expect(refused.rawLog).toContain('authorization not found');
    expect(await balance(carol.address)).toBe(carolBefore + 200n);
    expect((await rest(`/cosmos/authz/v1beta1/grants/granter/${alice.address}`)).body).toMatchObject({ grants: [] });
  });
});

describe('a vesting account with CosmJS', () => {
  it('cannot send locked coins and can delegate them', async () => {
    const account = await daveClient.getAccount(dave.address);
    expect(account).toMatchObject({ address: dave.address, sequence: 0 });
    const raw = await rest(`/cosmos/auth/v1beta1/accounts/${dave.address}`);
    expect(raw.body).toMatchObject({ account: { '@type': '/cosmos.vesting.v1beta1.ContinuousVestingAccount', base_vesting_account: { original_vesting: [{ denom: 'ucairn', amount: VESTING.toString() }] } } });

    const before = await balance(dave.address);
    const refused = await daveClient.sendTokens(dave.address, carol.address, [{ denom: 'ucairn', amount: (FREE * 10n).toString() }], FEE);
    expect(refused.code).toBe(5);
    expect(refused.rawLog).toMatch(/spendable balance \d+ucairn is smaller than/);
    expect(await balance(dave.address)).toBe(before - 6000n);

    const delegated = await daveClient.delegateTokens(dave.address, valoperOf(TEST_OPERATOR), { denom: 'ucairn', amount: (VESTING / 2n).toString() }, FEE);
    expect(delegated.code).toBe(0);
    const after = await rest(`/cosmos/auth/v1beta1/accounts/${dave.address}`);
    expect(after.body).toMatchObject({ account: { base_vesting_account: { delegated_vesting: [{ denom: 'ucairn', amount: (VESTING / 2n).toString() }], delegated_free: [] } } });
  });
});
