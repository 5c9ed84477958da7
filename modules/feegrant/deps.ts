// What the feegrant module needs from others, and nothing more.
import type { AuthApi } from '../auth/api.ts';

/** The grantee's account is created on grant (as in the SDK), so it can sign before it holds coins; module accounts are refused. */
export type FeegrantAccounts = Pick<AuthApi, 'get' | 'ensure'>;
