// ReCheckTx after a block: the mempool keeps a tx only if it can still run on the new state. The app
// reuses what CheckTx decoded and verified, so these pin what must still be checked again: the
// signer's sequence and whether the fee can still be paid.
import { beforeAll, describe, expect, it } from 'vitest';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { type TestWallet, sendMsg, signTx, testWallet } from './support/wallets.ts';

let alice: TestWallet;
let bob: TestWallet;

beforeAll(async () => {
  [alice, bob] = await Promise.all([testWallet(0), testWallet(1)]);
});

async function chainWith(funds: bigint): Promise<{ chain: AppChain; accountNumber: bigint }> {
  const chain = await AppChain.start({ funded: [{ address: alice.address, amount: funds }, { address: bob.address, amount: 1_000_000n }] });
  await chain.block();
  return { chain, accountNumber: (await chain.account(alice.address)).accountNumber };
}

const send = (accountNumber: bigint, sequence: bigint, amount: string, fee = '5000'): Promise<Uint8Array> =>
  signTx(alice, [sendMsg(alice.address, bob.address, amount)], { chainId: CHAIN_ID, accountNumber, sequence, fee: [{ denom: 'ucairn', amount: fee }] });

describe('ReCheckTx after a block', () => {
  it('keeps a tx whose sequence is next, and drops one whose sequence a block used', async () => {
    const { chain, accountNumber } = await chainWith(1_000_000n);
    const first = await send(accountNumber, 0n, '1');
    const second = await send(accountNumber, 1n, '2');
    const rival = await send(accountNumber, 0n, '3');
    for (const tx of [first, second]) expect((await chain.checkTx(tx)).code).toBe(0);
    // Another tx with the first one's sequence made it into the block instead.
    expect((await chain.block([rival])).map((r) => r.code)).toEqual([0]);
    const dropped = await chain.checkTx(first, true);
    expect(dropped.code).toBe(32);
    expect(dropped.log).toContain('account sequence mismatch, expected 1, got 0');
    expect((await chain.checkTx(second, true)).code).toBe(0);
    // The same bytes again in the same recheck pass: its sequence is now taken by itself.
    expect((await chain.checkTx(second, true)).code).toBe(32);
  });

  it('drops a tx whose fee its payer can no longer pay', async () => {
    const { chain, accountNumber } = await chainWith(20_000n);
    const later = await send(accountNumber, 1n, '1');
    const spend = await send(accountNumber, 0n, '14000', '1000');
    expect((await chain.checkTx(spend)).code).toBe(0);
    expect((await chain.checkTx(later)).code).toBe(0);
    expect((await chain.block([spend])).map((r) => r.code)).toEqual([0]);
    // 20,000 - 14,000 - 1,000 left 5,000, and `later` pays 5,000: still payable.
    expect((await chain.checkTx(later, true)).code).toBe(0);
    const { chain: poorer, accountNumber: n } = await chainWith(20_000n);
    const late = await send(n, 1n, '1');
    const bigger = await send(n, 0n, '15000', '1000');
    expect((await poorer.checkTx(bigger)).code).toBe(0);
    expect((await poorer.checkTx(late)).code).toBe(0);
    expect((await poorer.block([bigger])).map((r) => r.code)).toEqual([0]);
    // 4,000 left against a fee of 5,000.
    const dropped = await poorer.checkTx(late, true);
    expect(dropped.codespace).toBe('sdk');
    expect(dropped.code).toBe(5);
    expect(dropped.log).toContain('insufficient funds');
  });

  it('answers a check and a recheck with the same code and gas and without the events nobody reads; the block has them', async () => {
    const { chain, accountNumber } = await chainWith(1_000_000n);
    const tx = await send(accountNumber, 0n, '1');
    const checked = await chain.checkTx(tx);
    expect(checked.code).toBe(0);
    // The SDK's baseapp (v0.50) answers a CheckTx with no events too.
    expect(checked.events).toEqual([]);
    await chain.block();
    const rechecked = await chain.checkTx(tx, true);
    expect({ code: rechecked.code, gasWanted: rechecked.gasWanted, gasUsed: rechecked.gasUsed }).toEqual({ code: 0, gasWanted: checked.gasWanted, gasUsed: checked.gasUsed });
    expect(rechecked.events).toEqual([]);
    const [delivered] = await chain.block([tx]);
    expect(delivered!.code).toBe(0);
    expect(delivered!.events.map((e) => e.type)).toEqual(expect.arrayContaining(['tx', 'coin_spent', 'coin_received', 'transfer', 'message']));
  });
});
