// Genesis files a validator might write by hand: good ones load, bad ones are refused with the
// path of the bad field, before the chain starts.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { addGenesisAccount, checkAppState, defaultAppState } from '../node/genesis.ts';
import { AppChain } from './support/app-chain.ts';

const ALICE = 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9';
const BOB = 'cairn1a0ks2pc0wzy5s395jdsy74raazf6eq8ce9c03l';
const funded = () => addGenesisAccount(defaultAppState(), ALICE, [{ denom: 'ucairn', amount: 1000n }]);

describe('genesis validation', () => {
  it('accepts the default genesis with a funded account', () => {
    expect(() => checkAppState(funded())).not.toThrow();
  });

  it('refuses an account with a bad address', () => {
    const state = funded() as { auth: { accounts: { address: string }[] } };
    state.auth.accounts[0]!.address = 'cairn1qqqq';
    expect(() => checkAppState(state)).toThrow(/auth\.accounts\[0\]\.address/);
  });

  it('refuses a balance for an address of another chain', () => {
    const state = funded() as { bank: { balances: { address: string }[] } };
    state.bank.balances[0]!.address = 'cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4';
    expect(() => checkAppState(state)).toThrow(/bank\.balances\[0\]\.address.*prefix/);
  });

  it('refuses a duplicate account', () => {
    const state = funded() as { auth: { accounts: unknown[] } };
    state.auth.accounts.push({ ...(state.auth.accounts[0] as object), account_number: '7' });
    expect(() => checkAppState(state)).toThrow(/duplicate account/);
  });

  it('refuses a supply that does not match the balances', () => {
    const state = funded() as { bank: { supply: { denom: string; amount: string }[] } };
    state.bank.supply = [{ denom: 'ucairn', amount: '999' }];
    expect(() => checkAppState(state)).toThrow(/bank\.supply/);
  });

  it('refuses negative and non-numeric amounts and unknown module sections', () => {
    const negative = funded() as { bank: { balances: { coins: { amount: string }[] }[]; supply: unknown[] } };
    negative.bank.balances[0]!.coins[0]!.amount = '-5';
    negative.bank.supply = [];
    expect(() => checkAppState(negative)).toThrow(/bank\.balances\[0\]\.coins/);
    expect(() => checkAppState({ ...funded(), nonexistent: {} })).toThrow(/unknown module section "nonexistent"/);
  });

  it('makes InitChain fail on a bad genesis rather than start a broken chain', async () => {
    const state = funded() as { auth: { accounts: { address: string }[] } };
    state.auth.accounts[0]!.address = 'nonsense';
    await expect(AppChain.start({ appState: state })).rejects.toThrow(/auth\.accounts\[0\]\.address/);
  });

  it('is checked by `cairn genesis validate`, which names the problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-genesis-'));
    const good = { genesis_time: '2026-01-01T00:00:00Z', chain_id: 'cairn-x-1', initial_height: '1', validators: [], app_state: addGenesisAccount(funded(), BOB, [{ denom: 'ucairn', amount: 5n }]) };
    await writeFile(join(dir, 'good.json'), JSON.stringify(good));
    const bad = { ...good, app_state: { ...good.app_state, bank: { balances: [{ address: BOB, coins: [{ denom: 'ucairn', amount: '1.5' }] }] } } };
    await writeFile(join(dir, 'bad.json'), JSON.stringify(bad));
    const cli = join(import.meta.dirname, '..', 'cli', 'cairn.ts');
    const run = promisify(execFile);
    const ok = await run(process.execPath, [cli, 'genesis', 'validate', join(dir, 'good.json')]);
    expect(ok.stdout).toMatch(/valid genesis for chain cairn-x-1/);
    const failed = await run(process.execPath, [cli, 'genesis', 'validate', join(dir, 'bad.json')]).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(/bank\.balances\[0\]\.coins/);
  });
});

describe('genesis edge cases', () => {
  it('starts a chain whose bank params are all defaults-off (an all-default protobuf value)', async () => {
    const state = funded() as { bank: { params: Record<string, unknown> } };
    state.bank.params = { send_enabled: [], default_send_enabled: false };
    const c = await AppChain.start({ appState: state });
    await c.block();
    expect(await c.balance(ALICE)).toBe(1000n);
  });

  it('gives the fee collector an account number no genesis account has', async () => {
    const c = await AppChain.start({ appState: addGenesisAccount(funded(), BOB, [{ denom: 'ucairn', amount: 1n }]) });
    await c.block();
    const { moduleAddress } = await import('../core/framework/address.ts');
    const numbers = [
      (await c.account(ALICE)).accountNumber,
      (await c.account(BOB)).accountNumber,
      (await c.app.accounts.get(c.store.committed, moduleAddress('fee_collector')))!.base.accountNumber,
    ];
    expect(new Set(numbers).size).toBe(3);
  });
});

describe('genesis public keys', () => {
  it('refuses a pub_key that does not belong to the account address', async () => {
    const { testWallet } = await import('./support/wallets.ts');
    const other = await testWallet(3);
    const state = funded() as { auth: { accounts: Record<string, unknown>[] } };
    state.auth.accounts[0]!['pub_key'] = { '@type': '/cosmos.crypto.secp256k1.PubKey', key: Buffer.from(other.pubkey).toString('base64') };
    expect(() => checkAppState(state)).toThrow(/auth\.accounts\[0\]\.pub_key: the key does not belong/);
  });
});
