// The emission module's registered errors (codespace "emission").
import { registerError } from '../../core/framework/errors.ts';

const err = (code: number, description: string) => registerError('emission', code, description);

export const ErrInvalidParams = err(2, 'invalid emission params');
export const ErrUnauthorized = err(3, 'signer is not the params authority');
export const ErrNotValidator = err(4, 'signer is not a bonded validator');
export const ErrWrongEpoch = err(5, 'report is not for the current epoch');
export const ErrInvalidReport = err(6, 'invalid availability report');
export const ErrUnknownOperator = err(7, 'operator not registered');
export const ErrNotChallenged = err(8, 'no open capacity challenge for this operator');
export const ErrUntrustedVerifier = err(9, 'verifier is not trusted');
export const ErrBadCapacityProof = err(10, 'invalid capacity proof');
export const ErrInvalidChallenge = err(11, 'invalid capacity challenge');
export const ErrNotCommitted = err(12, 'GPU is not committed by an active operator');
export const ErrAlreadyChallenged = err(13, 'GPU is already under an open capacity challenge');
export const ErrNotReporter = err(14, 'signer may not report availability for this validator');
