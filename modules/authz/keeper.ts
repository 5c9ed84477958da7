// Grants of authorizations, and running messages for their granters (MsgExec): each message goes
// through the app's router to its own module's handler, after its granter's grant accepted it.
import type { Grant } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Context } from '../../core/framework/context.ts';
import { compareTime } from '../../core/framework/timestamps.ts';
import type { KVRead } from '../../core/store/types.ts';
import { type Authorization, encodeAuthorization, msgTypeUrl } from './authorization.ts';
import * as keys from './keys.ts';

/** How many expired grants one begin block deletes at most (as the SDK). */
export const MAX_PRUNED_PER_BLOCK = 200;

export class AuthzKeeper {
  async grant(store: KVRead, granter: Uint8Array, grantee: Uint8Array, typeUrl: string): Promise<Grant | undefined> {
    return keys.grants.get(store, [granter, [grantee, typeUrl]]);
  }

  /** A grant that exists and has not expired at `now` (what Exec and the Grants query by type honour). */
  async liveGrant(store: KVRead, granter: Uint8Array, grantee: Uint8Array, typeUrl: string, now: Timestamp): Promise<Grant | undefined> {
    const grant = await this.grant(store, granter, grantee, typeUrl);
    return grant === undefined || isExpired(grant, now) ? undefined : grant;
  }

  /** Stores (or replaces) the grant for the authorization's message type, and queues its expiry. */
  async save(ctx: Context, granter: Uint8Array, grantee: Uint8Array, authorization: Authorization, expiration: Timestamp | undefined): Promise<void> {
    const typeUrl = msgTypeUrl(authorization);
    await this.#unqueue(ctx, granter, grantee, typeUrl);
    keys.grants.set(ctx.store, [granter, [grantee, typeUrl]], {
      authorization: encodeAuthorization(authorization),
      ...(expiration === undefined ? {} : { expiration }),
    });
    if (expiration !== undefined) keys.expiryQueue.set(ctx.store, [expiration, [granter, [grantee, typeUrl]]], true);
  }

  async delete(ctx: Context, granter: Uint8Array, grantee: Uint8Array, typeUrl: string): Promise<void> {
    await this.#unqueue(ctx, granter, grantee, typeUrl);
    keys.grants.delete(ctx.store, [granter, [grantee, typeUrl]]);
  }

  /**
   * Deletes grants whose expiration is at or before the block time, at most MAX_PRUNED_PER_BLOCK
   * per block (the SDK's begin blocker, which bounds its work the same way).
   */
  async pruneExpired(ctx: Context): Promise<void> {
    const due: [Uint8Array, [Uint8Array, string]][] = [];
    for await (const [[time, grant]] of keys.expiryQueue.entries(ctx.store)) {
      if (compareTime(time, ctx.block.time) > 0 || due.length === MAX_PRUNED_PER_BLOCK) break;
      due.push(grant);
    }
    for (const [granter, [grantee, typeUrl]] of due) await this.delete(ctx, granter, grantee, typeUrl);
  }

  async #unqueue(ctx: Context, granter: Uint8Array, grantee: Uint8Array, typeUrl: string): Promise<void> {
    const old = await this.grant(ctx.store, granter, grantee, typeUrl);
    if (old?.expiration !== undefined) keys.expiryQueue.delete(ctx.store, [old.expiration, [granter, [grantee, typeUrl]]]);
  }
}

export function isExpired(grant: Grant, now: Timestamp): boolean {
  return grant.expiration !== undefined && compareTime(grant.expiration, now) < 0;
}
