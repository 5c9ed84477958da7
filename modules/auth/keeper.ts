// The accounts that other modules may read and create. Accounts are created on first receive
// (as in the SDK), so a wallet can query and sign for an address as soon as it holds coins.
import { BaseAccount, ModuleAccount, Params } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { AUTH_TYPE_URLS } from '../../sdk/auth/messages.ts';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { fromBech32 } from '@cosmjs/encoding';
import { BECH32_LIMIT, moduleAddress } from '../../core/framework/address.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import * as keys from './keys.ts';


export type Account =
  | { readonly kind: 'base'; readonly base: BaseAccount }
  | { readonly kind: 'module'; readonly base: BaseAccount; readonly module: ModuleAccount };

export function encodeAccount(account: Account): Any {
  return account.kind === 'base'
    ? { typeUrl: AUTH_TYPE_URLS.BaseAccount, value: BaseAccount.encode(account.base).finish() }
    : { typeUrl: AUTH_TYPE_URLS.ModuleAccount, value: ModuleAccount.encode({ ...account.module, baseAccount: account.base }).finish() };
}

export function decodeAccount(any: Any): Account {
  if (any.typeUrl === AUTH_TYPE_URLS.BaseAccount) return { kind: 'base', base: BaseAccount.decode(any.value) };
  if (any.typeUrl === AUTH_TYPE_URLS.ModuleAccount) {
    const module = ModuleAccount.decode(any.value);
    if (module.baseAccount === undefined) throw new Error('module account without base account in state');
    return { kind: 'module', base: module.baseAccount, module };
  }
  throw new Error(`unknown account type ${any.typeUrl} in state`);
}

export const DEFAULT_PARAMS: Params = {
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
};

export class AccountKeeper {
  async get(store: KVRead, address: Uint8Array): Promise<Account | undefined> {
    const any = await keys.accounts.get(store, address);
    return any === undefined ? undefined : decodeAccount(any);
  }

  set(store: KVStore, account: Account): void {
    keys.accounts.set(store, addressOf(account), encodeAccount(account));
  }

  /** Returns the account, creating a BaseAccount with the next account number if there is none. */
  async ensure(store: KVStore, address: Uint8Array, bech32: string): Promise<Account> {
    const existing = await this.get(store, address);
    if (existing !== undefined) return existing;
    const account: Account = {
      kind: 'base',
      base: { address: bech32, accountNumber: await this.#takeNumber(store), sequence: 0n },
    };
    this.set(store, account);
    return account;
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

  async params(store: KVRead): Promise<Params> {
    return (await keys.params.get(store)) ?? DEFAULT_PARAMS;
  }

  async #takeNumber(store: KVStore): Promise<bigint> {
    const next = (await keys.nextAccountNumber.get(store)) ?? 0n;
    keys.nextAccountNumber.set(store, next + 1n);
    return next;
  }
}

// BaseAccount holds a bech32 string; the state key is the raw bytes. The prefix was checked when
// the account was created, so it is not checked again here.
function addressOf(account: Account): Uint8Array {
  return fromBech32(account.base.address, BECH32_LIMIT).data;
}
