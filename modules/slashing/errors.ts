import { registerError } from '../../core/framework/errors.ts';

// Codes and descriptions as in the SDK's x/slashing/types/errors.go.
const slashing = (code: number, description: string) => registerError('slashing', code, description);

export const ErrNoValidatorForAddress = slashing(2, 'address is not associated with any known validator');
export const ErrBadValidatorAddr = slashing(3, 'validator does not exist for that address');
export const ErrValidatorJailed = slashing(4, 'validator still jailed; cannot be unjailed');
export const ErrValidatorNotJailed = slashing(5, 'validator not jailed; cannot be unjailed');
export const ErrMissingSelfDelegation = slashing(6, 'validator has no self-delegation; cannot be unjailed');
export const ErrSelfDelegationTooLowToUnjail = slashing(7, "validator's self delegation less than minimum; cannot be unjailed");
export const ErrNoSigningInfoFound = slashing(8, 'no validator signing info found');
