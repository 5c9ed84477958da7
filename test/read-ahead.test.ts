// A validator reads a proposal's state ahead while the block is voted on (ProcessProposal starts it,
// FinalizeBlock finds it cached): the block must commit exactly what it would without, and the
// recipients' accounts and balances must no longer be read from LevelDB on the app's thread.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AddressCodec } from '../core/framework/address.ts';
import { CommitStore } from '../core/store/commit-store.ts';
import { LevelBackend } from '../core/store/level-backend.ts';
import { T_LATEST, tableKey } from '../core/store/layout.ts';
import * as authKeys from '../modules/auth/keys.ts';
import * as bankKeys from '../modules/bank/keys.ts';
import { bankMsgs } from '../sdk/bank/messages.ts';
import { AppChain, CHAIN_ID } from './support/app-chain.ts';
import { tempDir } from './support/store.ts';
import { sendMsg, signTx, testWallet } from './support/wallets.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const codec = new AddressCodec('cairn');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('reading a proposal ahead', () => {
  it('commits what a block without it commits, and FinalizeBlock reads no recipient from LevelDB on its thread', async () => {
    const sender = await testWallet(0);
    const known = await testWallet(1);
    const fresh = [1, 2, 3].map((i) => codec.encode(new Uint8Array(20).fill(i)));
    const funded = [
      { address: sender.address, amount: 10n ** 9n },
      { address: known.address, amount: 1_000n },
    ];
    const dir = tempDir();
    cleanups.push(dir.remove);
    // The validator: a LevelDB store, reopened so that nothing of the state is cached.
    let store = await CommitStore.open({ path: dir.path });
    await (await AppChain.start({ funded, store })).block();
    await store.close();
    store = await CommitStore.open({ path: dir.path });
    cleanups.push(() => store.close());
    const validator = await AppChain.start({ funded, store });
    // The same chain in memory, its blocks never proposed.
    const reference = await AppChain.start({ funded });
    await reference.block();

    const { accountNumber } = await validator.account(sender.address);
    const sign = (msgs: Parameters<typeof signTx>[1], sequence: bigint): Promise<Uint8Array> => signTx(sender, msgs, { chainId: CHAIN_ID, accountNumber, sequence });
    const txs = [
      await sign([sendMsg(sender.address, known.address, '5')], 0n),
      await sign([sendMsg(sender.address, fresh[0]!, '6')], 1n),
      await sign([bankMsgs.MsgMultiSend({ inputs: [{ address: sender.address, coins: [{ denom: 'ucairn', amount: '15' }] }], outputs: [{ address: fresh[1]!, coins: [{ denom: 'ucairn', amount: '7' }] }, { address: fresh[2]!, coins: [{ denom: 'ucairn', amount: '8' }] }] })], 2n),
      Uint8Array.of(1, 2, 3), // garbage: nothing to read ahead, and it fails in the block
      await sign([sendMsg(sender.address, 'cairn1notanaddress', '1')], 3n),
    ];
    const recipientKeys = new Set(
      [known.address, ...fresh].flatMap((a) => {
        const address = codec.decode(a);
        return [authKeys.accounts.storeKey(address), bankKeys.balances.storeKey([address, 'ucairn'])].map((k) => hex(tableKey(T_LATEST, k)));
      }),
    );
    const reads = vi.spyOn(LevelBackend.prototype, 'getSync');
    let results;
    try {
      results = await validator.block(txs, { proposed: txs });
      expect(reads.mock.calls.filter(([key]) => recipientKeys.has(hex(key)))).toEqual([]);
    } finally {
      reads.mockRestore();
    }
    const expected = await reference.block(txs);
    expect(results).toEqual(expected);
    expect(results.map((r) => r.code === 0)).toEqual([true, true, true, false, false]);
    expect(validator.appHashes.at(-1)).toEqual(reference.appHashes.at(-1));
    for (const [address, amount] of [[known.address, 1_005n], [fresh[0]!, 6n], [fresh[1]!, 7n], [fresh[2]!, 8n]] as const) {
      expect(await validator.balance(address)).toBe(amount);
    }
  });

  it('runs a block other than the proposal it read ahead (a later round) as if nothing had been read', async () => {
    const sender = await testWallet(0);
    const funded = [{ address: sender.address, amount: 10n ** 9n }];
    const dir = tempDir();
    cleanups.push(dir.remove);
    const store = await CommitStore.open({ path: dir.path });
    cleanups.push(() => store.close());
    const validator = await AppChain.start({ funded, store });
    const reference = await AppChain.start({ funded });
    await validator.block();
    await reference.block();
    const { accountNumber } = await validator.account(sender.address);
    const send = (to: string, sequence: bigint): Promise<Uint8Array> => signTx(sender, [sendMsg(sender.address, to, '9')], { chainId: CHAIN_ID, accountNumber, sequence });
    const proposal = [await send(codec.encode(new Uint8Array(20).fill(7)), 0n)];
    const decided = [await send(codec.encode(new Uint8Array(20).fill(8)), 0n)];
    expect(await validator.block(decided, { proposed: proposal })).toEqual(await reference.block(decided));
    expect(validator.appHashes).toEqual(reference.appHashes);
    expect(await validator.balance(codec.encode(new Uint8Array(20).fill(8)))).toBe(9n);
    expect(await validator.balance(codec.encode(new Uint8Array(20).fill(7)))).toBe(0n);
  });
});
