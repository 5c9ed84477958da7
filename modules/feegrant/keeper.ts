// Fee allowances: granting, revoking, and spending one when a tx names a fee granter (the ante calls
// useGrantedFees before it moves the fee out of the granter's account).
import type { Grant } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import type { Amount } from '../../core/framework/coins.ts';
import type { Context } from '../../core/framework/context.ts';
import { ErrInvalidRequest } from '../../core/framework/sdk-errors.ts';
import { compareTime } from '../../core/framework/timestamps.ts';
import type { KVRead } from '../../core/store/types.ts';
import { type Allowance, accept, decodeAllowance, encodeAllowance, expiresAt } from './allowance.ts';
import { ErrNoAllowance } from './errors.ts';
import * as keys from './keys.ts';

export class FeegrantKeeper {
  async grant(store: KVRead, granter: Uint8Array, grantee: Uint8Array): Promise<Grant | undefined> {
    return keys.grants.get(store, [grantee, granter]);
  }

  /** Stores a new allowance; the caller has checked that none exists. Expired-at-grant is refused. */
  save(ctx: Context, granter: Uint8Array, grantee: Uint8Array, allowance: Allowance): void {
    const expiration = expiresAt(allowance);
    if (expiration !== undefined && compareTime(expiration, ctx.block.time) < 0) {
      throw ErrInvalidRequest.wrap('expiration is before current block time');
    }
    this.restore(ctx, granter, grantee, allowance);
  }

  /** Stores an allowance as it is (genesis), queueing its expiry. */
  restore(ctx: Context, granter: Uint8Array, grantee: Uint8Array, allowance: Allowance): void {
    this.#write(ctx, granter, grantee, allowance);
    const expiration = expiresAt(allowance);
    if (expiration !== undefined) keys.expiryQueue.set(ctx.store, [expiration, [grantee, granter]], true);
  }

  async revoke(ctx: Context, granter: Uint8Array, grantee: Uint8Array): Promise<void> {
    const grant = await this.grant(ctx.store, granter, grantee);
    const expiration = grant === undefined ? undefined : expiresAt(decodeAllowance(grant.allowance));
    if (expiration !== undefined) keys.expiryQueue.delete(ctx.store, [expiration, [grantee, granter]]);
    keys.grants.delete(ctx.store, [grantee, granter]);
    ctx.events.emit('revoke_feegrant', this.#parties(ctx, granter, grantee));
  }

  /** Deletes up to `limit` allowances whose expiration is before the block time (MsgPruneAllowances); returns how many. */
  async pruneExpired(ctx: Context, limit: number): Promise<number> {
    const due: [Uint8Array, Uint8Array][] = [];
    for await (const [[time, pair]] of keys.expiryQueue.entries(ctx.store)) {
      if (compareTime(time, ctx.block.time) >= 0 || due.length === limit) break;
      due.push(pair);
    }
    for (const [grantee, granter] of due) await this.revoke(ctx, granter, grantee);
    return due.length;
  }

  /**
   * Spends `fee` of the allowance `granter` gave `grantee` for a tx with these messages, as the
   * SDK's UseGrantedFees: the allowance is updated, or deleted when used up; a refusal throws the
   * allowance's error (fee limit exceeded, expired, message not allowed, no allowance).
   */
  async useGrantedFees(ctx: Context, granter: Uint8Array, grantee: Uint8Array, fee: readonly Amount[], msgTypeUrls: readonly string[]): Promise<void> {
    const grant = await this.grant(ctx.store, granter, grantee);
    if (grant === undefined) throw ErrNoAllowance.wrap('fee-grant not found');
    const result = accept(decodeAllowance(grant.allowance), fee, ctx.block.time, msgTypeUrls);
    if (result.remove) await this.revoke(ctx, granter, grantee);
    if (!result.ok) throw result.error;
    ctx.events.emit('use_feegrant', this.#parties(ctx, granter, grantee));
    if (result.remove) return;
    this.#write(ctx, granter, grantee, result.updated);
    ctx.events.emit('update_feegrant', this.#parties(ctx, granter, grantee));
  }

  #write(ctx: Context, granter: Uint8Array, grantee: Uint8Array, allowance: Allowance): void {
    keys.grants.set(ctx.store, [grantee, granter], {
      granter: ctx.addresses.encode(granter),
      grantee: ctx.addresses.encode(grantee),
      allowance: encodeAllowance(allowance),
    });
  }

  #parties(ctx: Context, granter: Uint8Array, grantee: Uint8Array): Record<string, string> {
    return { granter: ctx.addresses.encode(granter), grantee: ctx.addresses.encode(grantee) };
  }
}
