import { registerError } from '../../core/framework/errors.ts';

// Codes as in the SDK's x/authz/errors.go.
export const ErrNoAuthorizationFound = registerError('authz', 2, 'authorization not found');
export const ErrInvalidExpirationTime = registerError('authz', 3, 'expiration time of authorization should be more than current time');
export const ErrAuthorizationExpired = registerError('authz', 6, 'authorization expired');
export const ErrGranteeIsGranter = registerError('authz', 7, 'grantee and granter should be different');
export const ErrAuthorizationNumOfSigners = registerError('authz', 9, 'authorization can be given to msg with only one signer');
