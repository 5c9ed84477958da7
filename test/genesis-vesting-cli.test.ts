// `cairn genesis add-account --vesting-amount …` writes a vesting account into genesis.json, as simd's
// add-genesis-account does, and refuses a vesting amount above what the account gets.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.ts';
import { checkGenesisFile } from '../node/genesis.ts';
import { memoryIo } from './support/cli-io.ts';
import { createTestHome, type TestHome } from './support/node-home.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

let home: TestHome;
let team: TestWallet;
let investor: TestWallet;

beforeAll(async () => {
  [team, investor] = await Promise.all([testWallet(0), testWallet(1)]);
  home = await createTestHome([]);
});

async function accounts(): Promise<Record<string, unknown>[]> {
  const doc = JSON.parse(await readFile(join(home.home, 'config', 'genesis.json'), 'utf8')) as { app_state: { auth: { accounts: Record<string, unknown>[] } } };
  return doc.app_state.auth.accounts;
}

describe('cairn genesis add-account with vesting flags', () => {
  it('writes a continuous vesting account with a start time and a delayed one without, and the genesis stays valid', async () => {
    const io = memoryIo();
    const continuous = ['genesis', 'add-account', team.address, '500ucairn', '--vesting-amount', '400ucairn', '--vesting-start-time', '1767225600', '--vesting-end-time', '1893456000', '--home', home.home];
    expect(await runCli(continuous, io), io.stderrText()).toBe(0);
    expect(await runCli(['genesis', 'add-account', investor.address, '300ucairn', '--vesting-amount', '300ucairn', '--vesting-end-time', '1893456000', '--home', home.home], io), io.stderrText()).toBe(0);
    const list = await accounts();
    expect(list).toContainEqual(
      expect.objectContaining({
        '@type': '/cosmos.vesting.v1beta1.ContinuousVestingAccount',
        start_time: '1767225600',
        base_vesting_account: expect.objectContaining({ base_account: expect.objectContaining({ address: team.address }), original_vesting: [{ denom: 'ucairn', amount: '400' }], end_time: '1893456000' }),
      }),
    );
    expect(list).toContainEqual(expect.objectContaining({ '@type': '/cosmos.vesting.v1beta1.DelayedVestingAccount' }));
    await checkGenesisFile(join(home.home, 'config', 'genesis.json'), { allowNoValidators: true });
  });

  it('refuses a vesting amount above the account’s coins, or flags without an amount, and writes nothing', async () => {
    const before = await accounts();
    const io = memoryIo();
    expect(await runCli(['genesis', 'add-account', investor.address, '1ucairn', '--vesting-amount', '900ucairn', '--vesting-end-time', '1893456000', '--home', home.home], io)).not.toBe(0);
    expect(io.stderrText()).toMatch(/vesting amount 900ucairn cannot be greater than what the account holds/);
    const io2 = memoryIo();
    expect(await runCli(['genesis', 'add-account', investor.address, '1ucairn', '--vesting-end-time', '1893456000', '--home', home.home], io2)).not.toBe(0);
    expect(io2.stderrText()).toMatch(/need --vesting-amount/);
    expect(await accounts()).toEqual(before);
  });
});
