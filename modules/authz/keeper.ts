// Grants of authorizations, and running messages for their granters (MsgExec): each message goes
// through the app's router to its own module's handler, after its granter's grant accepted it.
import type { Grant } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Context } from '../../core/framework/context.ts';
import { compareTime } from '../../core/framework/timestamps.ts';
import type { KVRead } from '../../core/store/types.ts';
import { type Authorization, encodeAuthorization, msgTypeUrl } from './authorization.ts';
import * as keys from './keys.ts';

export class AuthzKeeper {
  async grant(store: KVRead, granter: Uint8Array, grantee: Uint8Array, typeUrl: string): Promise<Grant | undefined> {
    return keys.grants.get(store, [granter, [grantee, typeUrl]]);
  }

  /** A grant that exists and has not expired at `now` (what Exec and the Grants query by type honour). */
  async liveGrant(store: KVRead, granter: Uint8Array, grantee: Uint8Array, typeUrl: string, now: Timestamp): Promise<Grant | undefined> {
    const grant = await this.grant(store, granter, grantee, typeUrl);
    return grant === undefined || isExpired(grant, now) ? undefined : grant;
  }

  /** Stores (or replaces) the grant for the authorization's message type. */
  save(ctx: Context, granter: Uint8Array, grantee: Uint8Array, authorization: Authorization, expiration: Timestamp | undefined): void {
    keys.grants.set(ctx.store, [granter, [grantee, msgTypeUrl(authorization)]], {
      authorization: encodeAuthorization(authorization),
      ...(expiration === undefined ? {} : { expiration }),
    });
  }

  delete(ctx: Context, granter: Uint8Array, grantee: Uint8Array, typeUrl: string): void {
    keys.grants.delete(ctx.store, [granter, [grantee, typeUrl]]);
  }
}

export function isExpired(grant: Grant, now: Timestamp): boolean {
  return grant.expiration !== undefined && compareTime(grant.expiration, now) < 0;
}
