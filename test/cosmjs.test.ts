// Unmodified CosmJS against a real single-validator CometBFT running the Cairn app.
import { GasPrice, SigningStargateClient, StargateClient, isDeliverTxFailure } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForHeight } from '../node/cometbft/rpc.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { createTestHome, type TestHome } from './support/node-home.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

const FUNDS = 10_000_000_000n;
let home: TestHome;
let node: RunningNode;
let alice: TestWallet;
let bob: TestWallet;
let carol: TestWallet;
let client: SigningStargateClient;

beforeAll(async () => {
  [alice, bob, carol] = await Promise.all([testWallet(0), testWallet(1), testWallet(2)]);
  home = await createTestHome([{ address: alice.address, amount: FUNDS }, { address: bob.address, amount: FUNDS }]);
  node = await startNode({ home: home.home, logger: silentLogger, withCometbft: true });
  await waitForHeight(home.rpcUrl, 2, 30_000);
  client = await SigningStargateClient.connectWithSigner(home.rpcUrl, alice.wallet, { gasPrice: GasPrice.fromString('0.025ucairn') });
});

afterAll(async () => {
  client?.disconnect();
  await node?.stop();
});

describe('a CosmJS wallet on a Cairn chain', () => {
  it('reads the chain id, height, accounts and balances', async () => {
    const reader = await StargateClient.connect(home.rpcUrl);
    expect(await reader.getChainId()).toBe(home.chainId);
    expect(await reader.getHeight()).toBeGreaterThanOrEqual(2);
    const account = await reader.getAccount(alice.address);
    expect(account?.address).toBe(alice.address);
    expect(typeof account?.accountNumber).toBe('bigint');
    expect(await reader.getAccount(carol.address)).toBeNull();
    expect(await reader.getBalance(bob.address, 'ucairn')).toEqual({ denom: 'ucairn', amount: FUNDS.toString() });
    expect(await reader.getAllBalances(bob.address)).toEqual([{ denom: 'ucairn', amount: FUNDS.toString() }]);
    expect(await reader.getBalance(carol.address, 'ucairn')).toEqual({ denom: 'ucairn', amount: '0' });
    reader.disconnect();
  });

  it('sends tokens with fee "auto" and finds the tx by hash, sender, recipient and height', async () => {
    const result = await client.sendTokens(alice.address, carol.address, [{ denom: 'ucairn', amount: '4321' }], 'auto', 'hello cairn');
    expect(result.code).toBe(0);
    expect(result.gasUsed).toBeGreaterThan(0n);
    expect(await client.getBalance(carol.address, 'ucairn')).toEqual({ denom: 'ucairn', amount: '4321' });

    const byHash = await client.getTx(result.transactionHash);
    expect(byHash?.height).toBe(result.height);
    expect(byHash?.code).toBe(0);
    const bySender = await client.searchTx(`message.sender='${alice.address}'`);
    expect(bySender.map((t) => t.hash)).toContain(result.transactionHash);
    const byRecipient = await client.searchTx(`transfer.recipient='${carol.address}'`);
    expect(byRecipient.map((t) => t.hash)).toContain(result.transactionHash);
    const byHeight = await client.searchTx(`tx.height=${result.height}`);
    expect(byHeight.map((t) => t.hash)).toContain(result.transactionHash);
  });

  it('gets code 4 at CheckTx for a tx signed with the wrong account number', async () => {
    const account = (await client.getAccount(alice.address))!;
    const signed = await client.sign(
      alice.address,
      [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: alice.address, toAddress: carol.address, amount: [{ denom: 'ucairn', amount: '1' }] } }],
      { amount: [{ denom: 'ucairn', amount: '5000' }], gas: '200000' },
      '',
      { accountNumber: account.accountNumber + 7n, sequence: account.sequence, chainId: home.chainId },
    );
    await expect(client.broadcastTx(TxRaw.encode(signed).finish())).rejects.toThrow(/code 4 \(codespace: sdk\).*signature verification failed/);
  });

  it('gets code 5 from the block for an overspend that passed CheckTx', async () => {
    const result = await client.sendTokens(alice.address, carol.address, [{ denom: 'ucairn', amount: (FUNDS * 10n).toString() }], {
      amount: [{ denom: 'ucairn', amount: '5000' }],
      gas: '200000',
    });
    expect(isDeliverTxFailure(result)).toBe(true);
    expect(result.code).toBe(5);
    expect(result.rawLog).toMatch(/insufficient funds/);
    expect(result.msgResponses).toEqual([]);
  });

  it('gets code 30 for a timeout height in the past', async () => {
    const height = await client.getHeight();
    await expect(
      client.signAndBroadcast(
        alice.address,
        [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: alice.address, toAddress: carol.address, amount: [{ denom: 'ucairn', amount: '1' }] } }],
        { amount: [{ denom: 'ucairn', amount: '5000' }], gas: '200000' },
        '',
        BigInt(height - 1),
      ),
    ).rejects.toThrow(/code 30/);
  });
});
