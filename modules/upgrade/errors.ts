import { registerError } from '../../core/framework/errors.ts';

// Codes and descriptions as in the SDK 0.50's x/upgrade/types/errors.go.
const upgrade = (code: number, description: string) => registerError('upgrade', code, description);

export const ErrNoUpgradePlanFound = upgrade(3, 'upgrade plan not found');
export const ErrInvalidSigner = upgrade(6, 'expected authority account as only signer for proposal message');
