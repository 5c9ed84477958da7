// The accounts that other modules may read and create. Accounts are created on first receive
// (as in the SDK), so a wallet can query and sign for an address as soon as it holds coins.
import { BaseAccount, ModuleAccount, Params } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { AUTH_TYPE_URLS } from '../../sdk/auth/messages.ts';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { fromBech32 } from '@cosmjs/encoding';
import { BECH32_LIMIT, moduleAddress } from '../../core/framework/address.ts';
import { LruCache } from '../../core/lru-cache.ts';
import type { Amount } from '../../core/framework/coins.ts';
import { deepFreeze } from '../../core/framework/collections.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import * as keys from './keys.ts';
export type { Vesting } from './vesting.ts';
import { type Vesting, decodeVestingAccount, encodeVestingAccount, lockedCoins, trackDelegation, trackUndelegation } from './vesting.ts';
import { toKeyString } from '../../core/store/bytes.ts';
import { encodeBaseAccountAny } from './base-account-bytes.ts';


export type Account =
  | { readonly kind: 'base'; readonly base: BaseAccount }
  | { readonly kind: 'module'; readonly base: BaseAccount; readonly module: ModuleAccount }
  | { readonly kind: 'vesting'; readonly base: BaseAccount; readonly vesting: Vesting };

export function encodeAccount(account: Account): Any {
  switch (account.kind) {
    case 'base':
      return { typeUrl: AUTH_TYPE_URLS.BaseAccount, value: BaseAccount.encode(account.base).finish() };
    case 'module':
      return { typeUrl: AUTH_TYPE_URLS.ModuleAccount, value: ModuleAccount.encode({ ...account.module, baseAccount: account.base }).finish() };
    case 'vesting':
      return encodeVestingAccount(account.base, account.vesting);
  }
}

export function decodeAccount(any: Any): Account {
  if (any.typeUrl === AUTH_TYPE_URLS.BaseAccount) return { kind: 'base', base: BaseAccount.decode(any.value) };
  if (any.typeUrl === AUTH_TYPE_URLS.ModuleAccount) {
    const module = ModuleAccount.decode(any.value);
    if (module.baseAccount === undefined) throw new Error('module account without base account in state');
    return { kind: 'module', base: module.baseAccount, module };
  }
  const vesting = decodeVestingAccount(any);
  if (vesting !== undefined) return { kind: 'vesting', ...vesting };
  throw new Error(`unknown account type ${any.typeUrl} in state`);
}

export const DEFAULT_PARAMS: Params = {
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
};

const NO_COINS: readonly Amount[] = Object.freeze([]);

/** Decoded accounts kept by their stored bytes: enough for every account a busy mempool and block touch. */
const DECODED_ACCOUNTS = 10_000;

export class AccountKeeper {
  // A bank send reads its sender's account three to four times in each of CheckTx, ReCheckTx and
  // FinalizeBlock, and decoding the Any and the BaseAccount each time was ~15 % of a recheck and much
  // of the app's garbage. Decoding is pure, so the same stored bytes share one decoded Account; the
  // key is the bytes themselves, so other bytes never get it. Accounts are frozen, cached or not, so
  // a caller that changed one in place would fail at once, on every node alike, instead of changing
  // what the next reader sees: callers build a new Account to write.
  readonly #decoded = new LruCache<Account>(DECODED_ACCOUNTS);

  /** Where the account of `address` is stored (for reads ahead: MsgHandler.readAhead). */
  accountKey(address: Uint8Array): Uint8Array {
    return keys.accounts.storeKey(address);
  }

  get(store: KVRead, address: Uint8Array): Promise<Account | undefined> {
    // No async frame (see GasKVStore.get): a bank send reads accounts ~20 times; a throw is still a rejection.
    try {
      return store.get(keys.accounts.storeKey(address)).then((raw) => (raw === undefined ? undefined : this.#decode(raw)));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #decode(raw: Uint8Array): Account {
    const key = toKeyString(raw);
    let account = this.#decoded.get(key);
    if (account === undefined) {
      account = deepFreeze(decodeAccount(keys.accountCodec.decode(raw)));
      this.#decoded.set(key, account);
    }
    return account;
  }

  set(store: KVStore, account: Account): void {
    // A base account (every fee payer's sequence bump) in one pass: the same bytes as the codec's,
    // which decode (base-account-bytes.test.ts), so the codec's decode-back check is not repeated.
    const bytes = account.kind === 'base' ? encodeBaseAccountAny(account.base) : undefined;
    if (bytes !== undefined) store.set(keys.accounts.storeKey(addressOf(account)), bytes);
    else keys.accounts.set(store, addressOf(account), encodeAccount(account));
  }

  /** Returns the account, creating a BaseAccount with the next account number if there is none. */
  ensure(store: KVStore, address: Uint8Array, bech32: string): Promise<Account> {
    // No async frame for the common case, an existing account (every recipient and fee collector).
    return this.get(store, address).then((existing) => existing ?? this.#create(store, bech32));
  }

  async #create(store: KVStore, bech32: string): Promise<Account> {
    const account: Account = {
      kind: 'base',
      base: { address: bech32, accountNumber: await this.#takeNumber(store), sequence: 0n },
    };
    this.set(store, account);
    return account;
  }

  /** Creates a vesting account with the next account number; the caller has checked that none exists at the address. */
  async createVestingAccount(store: KVStore, address: Uint8Array, bech32: string, vesting: Vesting): Promise<void> {
    this.set(store, { kind: 'vesting', base: { address: bech32, accountNumber: await this.#takeNumber(store), sequence: 0n }, vesting });
  }

  /** Creates the module account `name` if it does not exist yet and returns its address. */
  async ensureModuleAccount(store: KVStore, name: string, bech32: (a: Uint8Array) => string, permissions: string[] = []): Promise<Uint8Array> {
    const address = moduleAddress(name);
    const existing = await this.get(store, address);
    if (existing?.kind === 'module') return address;
    const base: BaseAccount = existing?.base ?? {
      address: bech32(address),
      accountNumber: await this.#takeNumber(store),
      sequence: 0n,
    };
    this.set(store, { kind: 'module', base, module: { baseAccount: base, name, permissions } });
    return address;
  }

  /** What a vesting account may not spend at unix time `now` (nothing for other accounts). */
  lockedCoins(store: KVRead, address: Uint8Array, now: bigint): Promise<readonly Amount[]> {
    // No async frame: the bank asks at every debit (see GasKVStore.get).
    return this.get(store, address).then((account) => (account?.kind === 'vesting' ? lockedCoins(account.vesting, now) : NO_COINS));
  }

  /** Records coins of a vesting account going into a bond at unix time `now` (the bank calls it as they move). */
  async trackDelegation(store: KVStore, address: Uint8Array, now: bigint, amount: readonly Amount[]): Promise<void> {
    await this.#updateVesting(store, address, (v) => trackDelegation(v, now, amount));
  }

  /** Records coins of a vesting account coming back from a bond. */
  async trackUndelegation(store: KVStore, address: Uint8Array, amount: readonly Amount[]): Promise<void> {
    await this.#updateVesting(store, address, (v) => trackUndelegation(v, amount));
  }

  async #updateVesting(store: KVStore, address: Uint8Array, update: (v: Vesting) => Vesting): Promise<void> {
    const account = await this.get(store, address);
    if (account?.kind === 'vesting') this.set(store, { ...account, vesting: update(account.vesting) });
  }

  params(store: KVRead): Promise<Params> {
    return keys.params.get(store).then((p) => p ?? DEFAULT_PARAMS);
  }

  async #takeNumber(store: KVStore): Promise<bigint> {
    const next = (await keys.nextAccountNumber.get(store)) ?? 0n;
    keys.nextAccountNumber.set(store, next + 1n);
    return next;
  }
}

// BaseAccount holds a bech32 string; the state key is the raw bytes. The prefix was checked when
// the account was created, so it is not checked again here. Every account write needs it (each tx's
// sequence), so the bytes of recent addresses are kept; they only go into a key, which copies them.
const addressBytes = new LruCache<Uint8Array>(DECODED_ACCOUNTS);

function addressOf(account: Account): Uint8Array {
  const text = account.base.address;
  let bytes = addressBytes.get(text);
  if (bytes === undefined) {
    bytes = fromBech32(text, BECH32_LIMIT).data;
    addressBytes.set(text, bytes);
  }
  return bytes;
}
