// What slashing needs from staking, and nothing more (the SDK's expected_keepers).
import type { StakingApi } from '../staking/api.ts';

/** Finding a validator by its consensus address, its self-delegation, the bonded set at genesis; jailing and slashing it. */
export type SlashingStaking = Pick<StakingApi, 'validator' | 'validatorByConsAddr' | 'delegation' | 'allValidators' | 'setJailed' | 'slash'>;
