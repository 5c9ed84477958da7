// Genesis files a validator might write by hand: good ones load, bad ones are refused with the
// path of the bad field, before the chain starts (the CLI side: start-refusals.test.ts).
import { describe, expect, it } from 'vitest';
import { DEV_BALANCE, addGenesisAccount, defaultAppState, trustDevVerifier, withDevParams } from '../node/genesis.ts';
import { AppChain, checkAppState } from './support/app-chain.ts';

const ALICE = 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9';
const BOB = 'cairn1a0ks2pc0wzy5s395jdsy74raazf6eq8ce9c03l';
const funded = () => addGenesisAccount(defaultAppState(), ALICE, [{ denom: 'ucairn', amount: 1000n }]);

describe('genesis validation', () => {
  it('accepts the default genesis with a funded account', async () => {
    await expect(checkAppState(funded())).resolves.toBeDefined();
  });

  it('accepts the dev chain’s genesis (short windows, the dev verifier, the dev balance) and starts a chain from it', async () => {
    const dev = withDevParams(trustDevVerifier(addGenesisAccount(defaultAppState(), ALICE, [{ denom: 'ucairn', amount: DEV_BALANCE }])));
    await expect(checkAppState(dev)).resolves.toBeDefined();
    expect((dev['receipts'] as { params: Record<string, unknown> }).params).toMatchObject({ epoch_blocks: '120', dispute_window_blocks: '30', reveal_window: '10' });
    const chain = await AppChain.start({ appState: dev });
    await chain.block();
    expect(await chain.balance(ALICE)).toBe(DEV_BALANCE);
  });

  it('refuses an account with a bad address', async () => {
    const state = funded() as { auth: { accounts: { address: string }[] } };
    state.auth.accounts[0]!.address = 'cairn1qqqq';
    await expect(checkAppState(state)).rejects.toThrow(/auth\.accounts\[0\]\.address/);
  });

  it('refuses a balance for an address of another chain', async () => {
    const state = funded() as { bank: { balances: { address: string }[] } };
    state.bank.balances[0]!.address = 'cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4';
    await expect(checkAppState(state)).rejects.toThrow(/bank\.balances\[0\]\.address.*prefix/);
  });

  it('refuses a duplicate account', async () => {
    const state = funded() as { auth: { accounts: unknown[] } };
    state.auth.accounts.push({ ...(state.auth.accounts[0] as object), account_number: '7' });
    await expect(checkAppState(state)).rejects.toThrow(/duplicate account/);
  });

  it('refuses a supply that does not match the balances', async () => {
    const state = funded() as { bank: { supply: { denom: string; amount: string }[] } };
    state.bank.supply = [{ denom: 'ucairn', amount: '999' }];
    await expect(checkAppState(state)).rejects.toThrow(/bank\.supply/);
  });

  it('refuses negative and non-numeric amounts and unknown module sections', async () => {
    const negative = funded() as { bank: { balances: { coins: { amount: string }[] }[]; supply: unknown[] } };
    negative.bank.balances[0]!.coins[0]!.amount = '-5';
    negative.bank.supply = [];
    await expect(checkAppState(negative)).rejects.toThrow(/bank\.balances\[0\]\.coins/);
    await expect(checkAppState({ ...funded(), nonexistent: {} })).rejects.toThrow(/unknown module section "nonexistent"/);
  });

  it('makes InitChain fail on a bad genesis rather than start a broken chain', async () => {
    const state = funded() as { auth: { accounts: { address: string }[] } };
    state.auth.accounts[0]!.address = 'nonsense';
    await expect(AppChain.start({ appState: state })).rejects.toThrow(/auth\.accounts\[0\]\.address/);
  });
});

describe('the genesis check is a dry-run InitChain', () => {
  const messageOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'accepted', (e: Error) => e.message);

  it('refuses what InitChain refuses, with the same message, including checks that only InitChain makes', async () => {
    const overCap = addGenesisAccount(funded(), BOB, [{ denom: 'ucairn', amount: 21_000_000_000_000n }]);
    const badAddress = funded() as { auth: { accounts: { address: string }[] } };
    badAddress.auth.accounts[0]!.address = 'nonsense';
    const unknown = { ...funded(), governance: {} };
    for (const state of [overCap, badAddress, unknown]) {
      const initChain = await messageOf(AppChain.start({ appState: structuredClone(state) }));
      expect(initChain).not.toBe('accepted');
      expect(await messageOf(checkAppState(state))).toBe(initChain);
    }
    expect(await messageOf(checkAppState(overCap))).toMatch(/^emission: genesis supply 21000000001000ucairn exceeds max_supply 21000000000000$/);
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
    await expect(checkAppState(state)).rejects.toThrow(/auth\.accounts\[0\]\.pub_key: the key does not belong/);
  });
});
