// Delegating, unbonding and redelegating: the token and share movements of the SDK's x/staking,
// with its hook order (distribution settles rewards before any share change).
import { BondStatus, type UnbondingDelegation, type Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Context } from '../../core/framework/context.ts';
import { type Dec, decToProto, mulDivCeil, parseDec } from '../../core/framework/dec.ts';
import {
  ErrBadAmount,
  ErrBadRedelegationDst,
  ErrMaxRedelegationEntries,
  ErrMaxUnbondingDelegationEntries,
  ErrNoDelegation,
  ErrNoValidatorFound,
  ErrNotEnoughDelegationShares,
  ErrTinyRedelegationAmount,
  ErrTransitiveRedelegation,
} from './errors.ts';
import type { StakingKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { equalBytes } from './addresses.ts';
import { BONDED_POOL, NOT_BONDED_POOL } from './keys.ts';
import { isBonded, operatorBytes, sharesOf, tokensFromShares, tokensOf } from './view.ts';

/** Where delegated tokens come from: an account, or a pool (a redelegation's unbonded tokens). */
export type TokenSource = { readonly account: Uint8Array } | { readonly pool: 'bonded' | 'not_bonded' };

export async function delegate(k: StakingKeeper, ctx: Context, delegator: Uint8Array, validator: Validator, amount: bigint, source: TokenSource): Promise<Dec> {
  const operator = operatorBytes(validator);
  const existing = await k.delegation(ctx.store, delegator, operator);
  if (existing === undefined) await k.fire('beforeDelegationCreated', ctx, delegator, operator);
  else await k.fire('beforeDelegationSharesModified', ctx, delegator, operator);

  const { bondDenom } = await k.params(ctx.store);
  const target = isBonded(validator) ? 'bonded' : 'not_bonded';
  if ('account' in source) {
    await k.bank.delegateCoins(ctx, source.account, target === 'bonded' ? BONDED_POOL : NOT_BONDED_POOL, [{ denom: bondDenom, amount }]);
  } else if (source.pool === 'bonded' && target === 'not_bonded') {
    await k.moveBondedToNotBonded(ctx, amount);
  } else if (source.pool === 'not_bonded' && target === 'bonded') {
    await k.moveNotBondedToBonded(ctx, amount);
  }

  // Re-read: the hooks above may not change the validator, but the caller's copy may be stale.
  const current = (await k.validator(ctx.store, operator)) ?? validator;
  const { validator: updated, shares } = k.addTokens(current, amount);
  await k.setValidator(ctx.store, updated);
  const before = existing === undefined ? 0n : parseDec(existing.shares);
  keys.delegations.set(ctx.store, [delegator, operator], {
    delegatorAddress: ctx.addresses.encode(delegator),
    validatorAddress: validator.operatorAddress,
    shares: decToProto(before + shares),
  });
  keys.delegationsByValidator.set(ctx.store, [operator, delegator], true);
  await k.fire('afterDelegationModified', ctx, delegator, operator);
  return shares;
}

/** The shares to remove for `amount` tokens; refuses more than the delegation is worth. */
export async function sharesForAmount(k: StakingKeeper, ctx: Context, delegator: Uint8Array, validator: Validator, amount: bigint): Promise<Dec> {
  const operator = operatorBytes(validator);
  const delegation = await k.delegation(ctx.store, delegator, operator);
  if (delegation === undefined) throw ErrNoDelegation.wrap(`${ctx.addresses.encode(delegator)} has no delegation to ${validator.operatorAddress}`);
  const held = parseDec(delegation.shares);
  const worth = tokensFromShares(validator, held) / 10n ** 18n;
  if (amount > worth) {
    throw ErrNotEnoughDelegationShares.wrap(`cannot unbond ${amount}: the delegation is worth ${worth}`);
  }
  if (amount === worth) return held;
  // Round the shares up so the tokens paid out are not short of `amount` by a rounding unit.
  const shares = mulDivCeil(sharesOf(validator), amount, tokensOf(validator));
  return shares > held ? held : shares;
}

/** Removes shares from a delegation and the validator; returns the tokens (still in their pool). */
export async function unbond(k: StakingKeeper, ctx: Context, delegator: Uint8Array, operator: Uint8Array, shares: Dec): Promise<bigint> {
  const delegation = await k.delegation(ctx.store, delegator, operator);
  if (delegation === undefined) throw ErrNoDelegation.wrap('no delegation to unbond');
  const held = parseDec(delegation.shares);
  if (shares > held) throw ErrNotEnoughDelegationShares.wrap(`have ${held} shares, asked for ${shares}`);
  await k.fire('beforeDelegationSharesModified', ctx, delegator, operator);

  let validator = await k.validator(ctx.store, operator);
  if (validator === undefined) throw ErrNoValidatorFound.wrap('validator of the delegation is gone');
  const remaining = held - shares;
  // An operator whose own stake drops below its declared minimum is jailed (as in the SDK).
  if (equalBytes(delegator, operator) && !validator.jailed) {
    const left = tokensFromShares(validator, remaining) / 10n ** 18n;
    if (left < BigInt(validator.minSelfDelegation)) {
      validator = { ...validator, jailed: true };
      await k.setValidator(ctx.store, validator);
      ctx.events.emit('jail_min_self_delegation', { validator: validator.operatorAddress });
    }
  }
  if (remaining === 0n) {
    await k.fire('beforeDelegationRemoved', ctx, delegator, operator);
    keys.delegations.delete(ctx.store, [delegator, operator]);
    keys.delegationsByValidator.delete(ctx.store, [operator, delegator]);
  } else {
    keys.delegations.set(ctx.store, [delegator, operator], { ...delegation, shares: decToProto(remaining) });
    await k.fire('afterDelegationModified', ctx, delegator, operator);
  }

  const { validator: updated, amount } = k.removeShares(validator, shares);
  await k.setValidator(ctx.store, updated);
  if (sharesOf(updated) === 0n && updated.status === BondStatus.BOND_STATUS_UNBONDED) await k.removeValidator(ctx, updated);
  return amount;
}

export async function undelegate(
  k: StakingKeeper,
  ctx: Context,
  delegator: Uint8Array,
  operator: Uint8Array,
  amount: bigint,
): Promise<{ completionTime: Timestamp; amount: bigint }> {
  const validator = await k.validator(ctx.store, operator);
  if (validator === undefined) throw ErrNoValidatorFound.wrap(ctx.addresses.encode(operator, ctx.addresses.validatorPrefix));
  const params = await k.params(ctx.store);
  const shares = await sharesForAmount(k, ctx, delegator, validator, amount);
  const existing = await keys.unbondingDelegations.get(ctx.store, [delegator, operator]);
  const height = ctx.block.height;
  const merges = existing?.entries.some((e) => e.creationHeight === height) ?? false;
  if (!merges && (existing?.entries.length ?? 0) >= params.maxEntries) {
    throw ErrMaxUnbondingDelegationEntries.wrap(`at most ${params.maxEntries} entries; wait for one to complete`);
  }

  const returned = await unbond(k, ctx, delegator, operator, shares);
  if (returned === 0n) throw ErrBadAmount.wrap('the undelegation is worth zero tokens');
  if (isBonded(validator)) await k.moveBondedToNotBonded(ctx, returned);

  const completionHeight = height + params.unbondingBlocks;
  const completionTime = await k.estimateTime(ctx, params.unbondingBlocks);
  const ubd: UnbondingDelegation = existing ?? {
    delegatorAddress: ctx.addresses.encode(delegator),
    validatorAddress: validator.operatorAddress,
    entries: [],
  };
  const same = ubd.entries.find((e) => e.creationHeight === height);
  if (same !== undefined) {
    // Two undelegations in one block share an entry (and its completion), as in the SDK.
    same.initialBalance = (BigInt(same.initialBalance) + returned).toString();
    same.balance = (BigInt(same.balance) + returned).toString();
  } else {
    const id = await k.takeUnbondingId(ctx.store);
    ubd.entries.push({ creationHeight: height, completionTime, initialBalance: returned.toString(), balance: returned.toString(), unbondingId: id, unbondingOnHoldRefCount: 0n });
    keys.unbondingQueue.set(ctx.store, [completionHeight, id], { delegatorAddress: ubd.delegatorAddress, validatorAddress: ubd.validatorAddress });
    keys.entryCompletion.set(ctx.store, id, completionHeight);
  }
  keys.unbondingDelegations.set(ctx.store, [delegator, operator], ubd);
  keys.unbondingByValidator.set(ctx.store, [operator, delegator], true);
  return { completionTime, amount: returned };
}

export async function redelegate(
  k: StakingKeeper,
  ctx: Context,
  delegator: Uint8Array,
  srcOperator: Uint8Array,
  dstOperator: Uint8Array,
  amount: bigint,
): Promise<Timestamp> {
  const src = await k.validator(ctx.store, srcOperator);
  if (src === undefined) throw ErrNoValidatorFound.wrap(`source ${ctx.addresses.encode(srcOperator, ctx.addresses.validatorPrefix)}`);
  const dst = await k.validator(ctx.store, dstOperator);
  if (dst === undefined) throw ErrBadRedelegationDst.wrap(ctx.addresses.encode(dstOperator, ctx.addresses.validatorPrefix));
  // Stake that is itself still redelegating into `src` cannot hop on: a slash of its first source must reach it.
  for await (const _ of keys.redelegationsByDst.entries(ctx.store, { subPrefix: keys.addressPair.encode([srcOperator, delegator]) })) {
    throw ErrTransitiveRedelegation.wrap(`redelegations into ${src.operatorAddress} are still maturing`);
  }
  const params = await k.params(ctx.store);
  const existing = await keys.redelegations.get(ctx.store, [delegator, [srcOperator, dstOperator]]);
  if ((existing?.entries.length ?? 0) >= params.maxEntries) throw ErrMaxRedelegationEntries.wrap(`at most ${params.maxEntries} entries`);

  const shares = await sharesForAmount(k, ctx, delegator, src, amount);
  const srcWasBonded = isBonded(src);
  const returned = await unbond(k, ctx, delegator, srcOperator, shares);
  if (returned === 0n) throw ErrTinyRedelegationAmount.wrap(`${amount}`);
  const dstNow = (await k.validator(ctx.store, dstOperator))!;
  const sharesDst = await delegate(k, ctx, delegator, dstNow, returned, { pool: srcWasBonded ? 'bonded' : 'not_bonded' });

  // The stake stays slashable for the source's faults until the source could no longer be slashed.
  let completionHeight: bigint;
  if (src.status === BondStatus.BOND_STATUS_BONDED) completionHeight = ctx.block.height + params.unbondingBlocks;
  else if (src.status === BondStatus.BOND_STATUS_UNBONDING) completionHeight = src.unbondingHeight + params.unbondingBlocks;
  else return ctx.block.time;
  if (completionHeight <= ctx.block.height) return ctx.block.time;

  const completionTime = await k.estimateTime(ctx, completionHeight - ctx.block.height);
  const id = await k.takeUnbondingId(ctx.store);
  const red = existing ?? {
    delegatorAddress: ctx.addresses.encode(delegator),
    validatorSrcAddress: src.operatorAddress,
    validatorDstAddress: dst.operatorAddress,
    entries: [],
  };
  red.entries.push({ creationHeight: ctx.block.height, completionTime, initialBalance: returned.toString(), sharesDst: decToProto(sharesDst), unbondingId: id, unbondingOnHoldRefCount: 0n });
  keys.redelegations.set(ctx.store, [delegator, [srcOperator, dstOperator]], red);
  keys.redelegationsBySrc.set(ctx.store, [srcOperator, [delegator, dstOperator]], true);
  keys.redelegationsByDst.set(ctx.store, [dstOperator, [delegator, srcOperator]], true);
  keys.redelegationQueue.set(ctx.store, [completionHeight, id], {
    delegatorAddress: red.delegatorAddress,
    validatorSrcAddress: red.validatorSrcAddress,
    validatorDstAddress: red.validatorDstAddress,
  });
  keys.entryCompletion.set(ctx.store, id, completionHeight);
  return completionTime;
}
