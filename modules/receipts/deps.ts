// What the receipts module needs from other modules, and nothing more (the SDK's expected_keepers).
import type { BankApi } from '../bank/api.ts';
import type { RegistryApi } from '../registry/api.ts';
import type { RoyaltyApi } from '../royalty/api.ts';
import type { KVStore } from '../../core/store/types.ts';

/** Coins into and out of the escrow account; paying rewards and burning slashes. */
export type ReceiptsBank = Pick<BankApi, 'balance' | 'send' | 'sendToModule' | 'sendFromModule' | 'burn'>;

export type ReceiptsRegistry = RegistryApi;

export type ReceiptsRoyalty = RoyaltyApi;

export interface ReceiptsAccounts {
  ensureModuleAccount(store: KVStore, name: string, bech32: (a: Uint8Array) => string, permissions?: string[]): Promise<Uint8Array>;
}
