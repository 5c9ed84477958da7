// What distribution needs from other modules, and nothing more (the SDK's expected_keepers).
import type { AuthApi } from '../auth/api.ts';
import type { BankApi } from '../bank/api.ts';
import type { StakingApi } from '../staking/api.ts';

/** Its module account at genesis; refusing a module account as a withdraw address. */
export type DistributionAccounts = Pick<AuthApi, 'get' | 'ensureModuleAccount'>;
/** Fees in from the fee collector, rewards and commission out, the community pool. */
export type DistributionBank = Pick<BankApi, 'balances' | 'send' | 'sendToModule'>;
/** Validators, delegations and the last validator set (reads only: staking tells it of changes through hooks). */
export type DistributionStaking = Pick<StakingApi, 'validator' | 'validatorByConsAddr' | 'delegation' | 'delegationsOf' | 'allValidators' | 'allDelegations' | 'lastValidatorPowers'>;
