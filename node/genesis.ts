// Building, editing and checking a genesis: every module's default section, genesis accounts with
// balances, the documented dev account of `npm start`, and the one check every path uses.
import { AccountKeeper } from '../modules/auth/keeper.ts';
import { AUTH_TYPE_URLS } from '../sdk/auth/messages.ts';
import { VESTING_TYPE_URLS } from '../sdk/vesting/messages.ts';
import { DEFAULT_BECH32_PREFIX } from '../modules/auth/genesis.ts';
import { CAIRN_METADATA, metadataToJson } from '../modules/bank/genesis.ts';
import { BankKeeper } from '../modules/bank/keeper.ts';
import { readFile } from 'node:fs/promises';
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { CairnApp, buildModules } from './app.ts';
import { type ConsensusParamsJson, type GenesisDoc, checkGenesisDoc, consensusParamsToJson, parseGenesis } from './cometbft/genesis.ts';
import { defaultConsensusParams } from '../modules/consensus/index.ts';
import { silentLogger } from './log.ts';
import { CommitStore } from '../core/store/commit-store.ts';
import { type Amount, subCoins, sumCoins } from '../core/framework/coins.ts';
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

/**
 * A new Cairn chain's genesis.json consensus_params: CometBFT's defaults with a finite block gas limit
 * (modules/consensus/params.ts DEFAULT_BLOCK_MAX_GAS), which governance can change.
 */
export function defaultGenesisConsensusParams(): ConsensusParamsJson {
  return consensusParamsToJson(defaultConsensusParams());
}

export class InvalidGenesisError extends Error {
  override readonly name = 'InvalidGenesisError';
}

export interface GenesisCheckOptions {
  /** A genesis still being assembled (`cairn genesis add-account`) may have no validator yet. */
  readonly allowNoValidators?: boolean;
}

/**
 * The one check of a genesis, used by `cairn genesis validate|add-*`, `cairn init`, the node before
 * it starts CometBFT, and the localnet: what CometBFT checks of the document itself, then a dry-run
 * InitChain of the real app on a throwaway in-memory store, so every module's own checks run and
 * whatever InitChain would refuse is refused here first, with InitChain's message. Returns the
 * validator set InitChain hands to CometBFT. Throws an InvalidGenesisError.
 */
export async function checkGenesis(doc: GenesisDoc, opts: GenesisCheckOptions = {}): Promise<ValidatorUpdate[]> {
  try {
    const checked = checkGenesisDoc(doc);
    const validators = checked.validators.map((v) => ({ pubKey: { ed25519: new Uint8Array(Buffer.from(v.pubKey, 'base64')) }, power: v.power }));
    const store = await CommitStore.memory();
    let result: ValidatorUpdate[];
    try {
      const app = new CairnApp({ store, logger: silentLogger });
      // The parsed document itself, not its bytes parsed again: a big state is held once.
      result = await app.dryRunInitChain({ chainId: checked.chainId, initialHeight: checked.initialHeight, time: checked.time, validators, consensusParams: checked.consensusParams }, doc.app_state);
    } finally {
      await store.close();
    }
    // CometBFT's own rule: genesis.json's list or InitChain's answer must name at least one validator.
    if (result.length === 0 && validators.length === 0 && opts.allowNoValidators !== true) {
      throw new Error('it has no validator: fund an operator with `cairn genesis add-account` and bond it with `cairn genesis add-validator`');
    }
    return result.length > 0 ? result : validators;
  } catch (err) {
    throw new InvalidGenesisError((err as Error).message, { cause: err });
  }
}

/** Reads and checks a genesis.json; the error says "<path> is not a valid genesis: <what InitChain or CometBFT would say>". */
export async function checkGenesisFile(path: string, opts: GenesisCheckOptions = {}): Promise<{ doc: GenesisDoc; validators: ValidatorUpdate[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ENOENT';
    throw new InvalidGenesisError(missing ? `${path} does not exist: give the path of the chain's genesis.json` : `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    const doc = parseGenesis(text);
    return { doc, validators: await checkGenesis(doc, opts) };
  } catch (err) {
    throw new InvalidGenesisError(`${path} is not a valid genesis: ${(err as Error).message}`, { cause: err });
  }
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

/**
 * Gov periods of dev chains and localnets: a proposal reaches its vote within a minute and is
 * decided a minute later (the SDK's two days elsewhere); the expedited period must stay shorter.
 */
export const DEV_GOV_PARAMS = { max_deposit_period: '60s', voting_period: '60s', expedited_voting_period: '30s' } as const;

/** `appState` with DEV_GOV_PARAMS over its gov params (localnets; `cairn dev` gets them with DEV_PARAMS). */
export function withShortGovPeriods(appState: AppState): AppState {
  const next = structuredClone(appState);
  const gov = (next['gov'] ??= {}) as { params?: Record<string, unknown> };
  gov.params = { ...gov.params, ...DEV_GOV_PARAMS };
  return next;
}

/**
 * The dev chain's shorter windows (`cairn dev`), so a submitted batch is paid about half a minute
 * later: 2-minute epochs (emission's epochs_per_year to match, so the yearly budget is unchanged),
 * a 30-block dispute window, a 10-block reveal window, and escrow withdrawals after 60 blocks.
 */
export const DEV_PARAMS = {
  receipts: { epoch_blocks: '120', dispute_window_blocks: '30', reveal_window: '10', escrow_withdraw_delay: '60' },
  emission: { epochs_per_year: String(365 * 24 * 30) },
  gov: DEV_GOV_PARAMS,
} as const;

export function withDevParams(appState: AppState): AppState {
  const next = structuredClone(appState);
  for (const [module, params] of Object.entries(DEV_PARAMS)) {
    const section = (next[module] ??= {}) as { params?: Record<string, unknown> };
    section.params = { ...section.params, ...params };
  }
  return next;
}

/**
 * What `cairn init` takes as flags (simd's `--default-denom`, plus the prefix and a separate bond
 * denom, which many Cosmos chains' init commands offer). Unset fields keep Cairn's defaults.
 */
export interface ChainSettings {
  /** auth.bech32_prefix: accounts are `<prefix>1…`, operators `<prefix>valoper1…`, consensus keys `<prefix>valcons1…`. */
  readonly bech32Prefix?: string;
  /**
   * The chain's token: what fees, inference prices and escrow (registry price_denom), emission, operator
   * bonds and the receipts challenge bond are counted in; also the bond denom unless `bondDenom` is given.
   */
  readonly defaultDenom?: string;
  /** staking.bond_denom, and the denom of gov deposits (as simd's default denom is for both). */
  readonly bondDenom?: string;
}

/**
 * `appState` with every prefix and denom of every module's section set from `s`, so they agree:
 * the checks that tie modules together (emission's denom is the registry's price denom, a fake-capacity
 * challenger is rewarded only when operator bonds are in the emission denom) hold for any choice.
 * The bank's denom metadata describes the new denoms (a `u` denom gets its display unit at 10^6).
 */
export function withChainSettings(appState: AppState, s: ChainSettings): AppState {
  const next = structuredClone(appState);
  const section = (name: string): Record<string, unknown> => (next[name] ??= {}) as Record<string, unknown>;
  const params = (name: string): Record<string, unknown> => ((section(name)['params'] ??= {}) as Record<string, unknown>);
  if (s.bech32Prefix !== undefined) section('auth')['bech32_prefix'] = s.bech32Prefix;
  const token = s.defaultDenom;
  const bond = s.bondDenom ?? token;
  if (token !== undefined) {
    const registry = params('registry');
    registry['price_denom'] = token;
    registry['min_operator_bond'] = { ...(registry['min_operator_bond'] as object | undefined), denom: token };
    const receipts = params('receipts');
    receipts['challenge_bond'] = { ...(receipts['challenge_bond'] as object | undefined), denom: token };
    params('emission')['denom'] = token;
  }
  if (bond !== undefined) {
    params('staking')['bond_denom'] = bond;
    const gov = params('gov');
    for (const key of ['min_deposit', 'expedited_min_deposit']) {
      const coins = gov[key] as JsonCoin[] | undefined;
      if (coins !== undefined) gov[key] = coins.map((c) => ({ ...c, denom: bond }));
    }
  }
  if (token !== undefined || bond !== undefined) {
    const denoms = [...new Set([token ?? CAIRN_METADATA.base, bond ?? CAIRN_METADATA.base])].sort();
    section('bank')['denom_metadata'] = denoms.map((d) => (d === CAIRN_METADATA.base ? metadataToJson(CAIRN_METADATA) : metadataFor(d)));
  }
  return next;
}

/** Metadata of a denom Cairn knows nothing of but its name: `uxyz` is a millionth of `xyz`. */
function metadataFor(denom: string): Record<string, unknown> {
  const display = /^u[a-z]/.test(denom) ? denom.slice(1) : denom;
  const units = [{ denom, exponent: 0, aliases: [] as string[] }, ...(display === denom ? [] : [{ denom: display, exponent: 6, aliases: [] as string[] }])];
  return { description: '', denom_units: units, base: denom, display, name: display, symbol: display.toUpperCase(), uri: '', uri_hash: '' };
}

/** The account prefix a genesis sets (auth.bech32_prefix, Cairn's default when absent). */
export function genesisPrefix(doc: GenesisDoc): string {
  const auth = (doc.app_state as { auth?: { bech32_prefix?: unknown } } | undefined)?.auth;
  return typeof auth?.bech32_prefix === 'string' ? auth.bech32_prefix : DEFAULT_BECH32_PREFIX;
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
  if (!accounts.some((a) => entryAddress(a) === address)) {
    accounts.push({ '@type': AUTH_TYPE_URLS.BaseAccount, address, pub_key: null, account_number: String(accounts.length), sequence: '0' });
  }
  const balances = (bank.balances ??= []);
  let entry = balances.find((b) => b.address === address);
  if (entry === undefined) {
    entry = { address, coins: [] };
    balances.push(entry);
  }
  entry.coins = toJson(sumCoins([fromJson(entry.coins), coins]));
  bank.supply = toJson(sumCoins([fromJson(bank.supply ?? []), coins]));
  return next;
}

export interface GenesisVesting {
  readonly type: 'continuous' | 'delayed' | 'periodic';
  /** The part of the account's coins under the schedule. */
  readonly amount: readonly Amount[];
  /** Unix seconds (continuous and periodic). */
  readonly start?: bigint;
  readonly end: bigint;
  /** Periodic: each period's length in seconds and amount (they must add up to `end - start` and `amount`). */
  readonly periods?: readonly { length: bigint; amount: readonly Amount[] }[];
}

/**
 * `addGenesisAccount`, then the account becomes a vesting account in the SDK's JSON (what
 * `cairn genesis add-account --vesting-amount …` writes, as simd's add-genesis-account does).
 * The vesting amount must be part of what the account holds; the schedule itself is checked when
 * the genesis is validated.
 */
export function addGenesisVestingAccount(appState: AppState, address: string, coins: readonly Amount[], vesting: GenesisVesting): AppState {
  const next = addGenesisAccount(appState, address, coins);
  const held = fromJson((next['bank'] as { balances: { address: string; coins: JsonCoin[] }[] }).balances.find((b) => b.address === address)!.coins);
  if (subCoins(held, vesting.amount).negative) throw new Error(`vesting amount ${toJson([...vesting.amount]).map((c) => c.amount + c.denom).join(',')} cannot be greater than what the account holds`);
  const accounts = (next['auth'] as { accounts: Record<string, unknown>[] }).accounts;
  const i = accounts.findIndex((a) => entryAddress(a) === address);
  const entry = accounts[i]!;
  const { '@type': _, ...base } = (entry['base_vesting_account'] as { base_account?: Record<string, unknown> } | undefined)?.base_account ?? entry;
  const bva = { base_account: base, original_vesting: toJson([...vesting.amount]), delegated_free: [], delegated_vesting: [], end_time: vesting.end.toString() };
  const start = (vesting.start ?? 0n).toString();
  accounts[i] =
    vesting.type === 'delayed'
      ? { '@type': VESTING_TYPE_URLS.DelayedVestingAccount, base_vesting_account: bva }
      : vesting.type === 'continuous'
        ? { '@type': VESTING_TYPE_URLS.ContinuousVestingAccount, base_vesting_account: bva, start_time: start }
        : {
            '@type': VESTING_TYPE_URLS.PeriodicVestingAccount,
            base_vesting_account: bva,
            start_time: start,
            vesting_periods: (vesting.periods ?? []).map((p) => ({ length: p.length.toString(), amount: toJson([...p.amount]) })),
          };
  return next;
}

/** The address of an auth genesis entry (a vesting account's is inside its base account). */
function entryAddress(entry: unknown): string | undefined {
  const e = entry as { address?: string; base_vesting_account?: { base_account?: { address?: string } } };
  return e.address ?? e.base_vesting_account?.base_account?.address;
}

function fromJson(coins: readonly JsonCoin[]): Amount[] {
  return coins.map((c) => ({ denom: c.denom, amount: BigInt(c.amount) }));
}

function toJson(coins: readonly Amount[]): JsonCoin[] {
  return coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}
