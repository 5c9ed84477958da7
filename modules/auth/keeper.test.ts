import { describe, expect, it } from 'vitest';
import { toBech32 } from '@cosmjs/encoding';
import { branch } from '../../core/store/branch.ts';
import { CommitStore } from '../../core/store/commit-store.ts';
import { type Account, AccountKeeper } from './keeper.ts';

const address = new Uint8Array(20).fill(7);
const bech32 = toBech32('cairn', address);

async function keeperWithAccount(): Promise<{ keeper: AccountKeeper; store: ReturnType<typeof branch> }> {
  const keeper = new AccountKeeper();
  const store = branch((await CommitStore.memory()).working);
  keeper.set(store, { kind: 'base', base: { address: bech32, accountNumber: 3n, sequence: 0n } });
  return { keeper, store };
}

describe('AccountKeeper reads (decoded accounts kept by their stored bytes)', () => {
  it('reads back every write, never an earlier decode of the account', async () => {
    const { keeper, store } = await keeperWithAccount();
    for (let sequence = 0n; sequence < 5n; sequence++) {
      const account = (await keeper.get(store, address))!;
      expect(account.base.sequence).toBe(sequence);
      keeper.set(store, { kind: 'base', base: { ...account.base, sequence: sequence + 1n } });
    }
    expect((await keeper.get(store, address))!.base).toEqual({ address: bech32, accountNumber: 3n, sequence: 5n, pubKey: undefined });
  });

  it('shares one decoded account between reads of the same bytes, and never lets a caller change it', async () => {
    const { keeper, store } = await keeperWithAccount();
    const first = (await keeper.get(store, address)) as Account;
    expect(await keeper.get(store, address)).toBe(first);
    expect(() => {
      (first.base as { sequence: bigint }).sequence = 9n;
    }).toThrow(TypeError);
    expect(() => {
      (first as { kind: string }).kind = 'module';
    }).toThrow(TypeError);
    expect((await keeper.get(store, address))!.base.sequence).toBe(0n);
  });

  it('answers an absent account as absent', async () => {
    const { keeper, store } = await keeperWithAccount();
    expect(await keeper.get(store, new Uint8Array(20).fill(8))).toBeUndefined();
  });
});
