// Auth as other modules see it (bank, staking, distribution; the Cairn modules declare their own
// narrow RegistryAccounts-style interfaces): account lookups, creating an account on first receipt,
// and module accounts at genesis. Also the fee collector's name, where the ante puts fees.
import type { AccountKeeper } from './keeper.ts';

export type AuthApi = Pick<AccountKeeper, 'accountKey' | 'get' | 'ensure' | 'ensureModuleAccount' | 'lockedCoins' | 'trackDelegation' | 'trackUndelegation'>;

export { FEE_COLLECTOR } from './keys.ts';
