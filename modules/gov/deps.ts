// What gov needs from other modules, and nothing more (the SDK's expected_keepers).
import type { AuthApi } from '../auth/api.ts';
import type { BankApi } from '../bank/api.ts';
import type { StakingApi } from '../staking/api.ts';
import type { MsgHandler } from '../../core/framework/module.ts';

/** Its module account (which holds the deposits) at genesis. */
export type GovAccounts = Pick<AuthApi, 'ensureModuleAccount'>;
/** Deposits in, refunds out, burned deposits; the deposit pool's balance checked at genesis. */
export type GovBank = Pick<BankApi, 'balances' | 'sendToModule' | 'sendFromModule' | 'burn'>;
/** The bonded validators and each voter's delegations, for the tally. */
export type GovStaking = Pick<StakingApi, 'allValidators' | 'delegationsOf'>;
/** Every message handler of the app by type URL: what a passed proposal's messages run through. */
export type GovRouter = ReadonlyMap<string, MsgHandler>;
