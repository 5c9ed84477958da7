// What the royalty module needs from others, and nothing more.
import type { BankApi } from '../bank/api.ts';
import type { RegistryApi } from '../registry/api.ts';
import type { KVStore } from '../../core/store/types.ts';

/** Paying out of the settling module's account, burning the burned part of the fee. */
export type RoyaltyBank = Pick<BankApi, 'send' | 'burn'>;

/** Model manifests: royalty terms and base models. */
export type RoyaltyRegistry = Pick<RegistryApi, 'modelOf'>;

export interface RoyaltyAccounts {
  ensureModuleAccount(store: KVStore, name: string, bech32: (a: Uint8Array) => string, permissions?: string[]): Promise<Uint8Array>;
}
