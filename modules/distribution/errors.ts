import { registerError } from '../../core/framework/errors.ts';

// Codes and descriptions as in the SDK's x/distribution/types/errors.go.
const distribution = (code: number, description: string) => registerError('distribution', code, description);

export const ErrEmptyDelegatorAddr = distribution(2, 'delegator address is empty');
export const ErrEmptyWithdrawAddr = distribution(3, 'withdraw address is empty');
export const ErrEmptyValidatorAddr = distribution(4, 'validator address is empty');
export const ErrEmptyDelegationDistInfo = distribution(5, 'no delegation distribution info');
export const ErrNoValidatorDistInfo = distribution(6, 'no validator distribution info');
export const ErrNoValidatorCommission = distribution(7, 'no validator commission to withdraw');
export const ErrSetWithdrawAddrDisabled = distribution(8, 'set withdraw address disabled');
export const ErrNoValidatorExists = distribution(12, 'validator does not exist');
export const ErrNoDelegationExists = distribution(13, 'delegation does not exist');
export const ErrBlockedWithdrawAddr = distribution(14, 'module accounts cannot receive rewards');
