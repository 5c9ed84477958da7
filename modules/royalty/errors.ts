// The royalty module's registered errors (codespace "royalty").
import { registerError } from '../../core/framework/errors.ts';

const err = (code: number, description: string) => registerError('royalty', code, description);

export const ErrInvalidParams = err(2, 'invalid royalty params');
export const ErrUnauthorized = err(3, 'signer is not the params authority');
export const ErrModelNotFound = err(4, 'model not found');
export const ErrInvalidTerms = err(5, 'invalid royalty terms');
