// What the authz module needs from others, and nothing more.
import type { MsgHandler } from '../../core/framework/module.ts';
import type { AuthApi } from '../auth/api.ts';

/** The grantee's account is created on grant (as in the SDK); module accounts are refused. */
export type AuthzAccounts = Pick<AuthApi, 'get' | 'ensure'>;

/** Every module's message handlers, by type URL: MsgExec runs the granters' messages through them (filled by the app). */
export type AuthzRouter = ReadonlyMap<string, MsgHandler>;
