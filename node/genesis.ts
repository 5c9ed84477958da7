// Building and editing the app_state of a genesis file: every module's default section, genesis
// accounts with balances, and the documented dev account of `npm start`.
import { AccountKeeper } from '../modules/auth/keeper.ts';
import { BankKeeper } from '../modules/bank/keeper.ts';
import { buildModules, validateGenesis } from './app.ts';
import { type Amount, sumCoins } from '../core/framework/coins.ts';
import { devVerifier } from '../sdk/registry/dev-verifier.ts';

/**
 * The dev chain's funded account. This is the BIP-39 test mnemonic that every wallet developer
 * knows: never send real value to it. Address: cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9.
 */
export const DEV_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
/** 10 million CAIRN in ucairn: well under the emission cap (21 million), so minting has room. */
export const DEV_BALANCE = 10_000_000_000_000n;

export type AppState = Record<string, unknown>;

export function defaultAppState(): AppState {
  const accounts = new AccountKeeper();
  const state: AppState = {};
  for (const m of buildModules(accounts, new BankKeeper(accounts))) state[m.name] = m.genesis.defaultGenesis();
  return state;
}

/** Throws an Error naming the first bad field. */
export function checkAppState(appState: AppState): void {
  const accounts = new AccountKeeper();
  validateGenesis(buildModules(accounts, new BankKeeper(accounts)), appState);
}

/**
 * Adds the dev verifier (sdk/registry/dev-verifier.ts, a key anyone can sign with) to the registry's
 * trusted verifiers. For dev chains and localnets only, never for a chain that holds value.
 */
export function trustDevVerifier(appState: AppState): AppState {
  const next = structuredClone(appState);
  const registry = (next['registry'] ??= {}) as { params?: { trusted_verifiers?: string[] } };
  const params = (registry.params ??= {});
  const key = Buffer.from(devVerifier().publicKey).toString('base64');
  const trusted = (params.trusted_verifiers ??= []);
  if (!trusted.includes(key)) trusted.push(key);
  return next;
}

interface JsonCoin {
  denom: string;
  amount: string;
}

/** Adds an account (if new) and credits `coins` to it, keeping the bank supply in step. */
export function addGenesisAccount(appState: AppState, address: string, coins: readonly Amount[]): AppState {
  const next = structuredClone(appState);
  const auth = (next['auth'] ??= {}) as { accounts?: unknown[] };
  const bank = (next['bank'] ??= {}) as { balances?: { address: string; coins: JsonCoin[] }[]; supply?: JsonCoin[] };
  const accounts = (auth.accounts ??= []);
  if (!accounts.some((a) => (a as { address?: string }).address === address)) {
    accounts.push({ '@type': '/cosmos.auth.v1beta1.BaseAccount', address, pub_key: null, account_number: String(accounts.length), sequence: '0' });
  }
  const balances = (bank.balances ??= []);
  let entry = balances.find((b) => b.address === address);
  if (entry === undefined) {
    entry = { address, coins: [] };
    balances.push(entry);
  }
  entry.coins = toJson(sumCoins(fromJson(entry.coins), coins));
  bank.supply = toJson(sumCoins(fromJson(bank.supply ?? []), coins));
  return next;
}

function fromJson(coins: readonly JsonCoin[]): Amount[] {
  return coins.map((c) => ({ denom: c.denom, amount: BigInt(c.amount) }));
}

function toJson(coins: readonly Amount[]): JsonCoin[] {
  return coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}
