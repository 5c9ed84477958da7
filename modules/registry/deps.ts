// What the registry needs from other modules, and nothing more (the SDK's expected_keepers).
import type { BankApi } from '../bank/api.ts';
import type { KVStore } from '../../core/store/types.ts';

/** Coins in and out of the bonds module account, and burning slashed coins. */
export type RegistryBank = Pick<BankApi, 'balance' | 'send' | 'sendToModule' | 'sendFromModule' | 'burn'>;

/** Creating the bonds module account at genesis. */
export interface RegistryAccounts {
  ensureModuleAccount(store: KVStore, name: string, bech32: (a: Uint8Array) => string, permissions?: string[]): Promise<Uint8Array>;
}
