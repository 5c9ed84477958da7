// Slashing a validator's stake for a fault at a past height: the stake it had then is what is
// punished, so unbonding entries and redelegations that started at or after the fault lose the same
// fraction (pro rata to what they held), and the validator's current tokens cover the rest. Burned
// tokens leave the supply.
import { BondStatus, type Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { Context } from '../../core/framework/context.ts';
import { lengthPrefixedBytes } from '../../core/framework/collections.ts';
import { type Dec, ONE, decToProto, mulDivCeil, mulDivTrunc, mulTrunc, parseDec } from '../../core/framework/dec.ts';
import { unbond } from './delegation.ts';
import type { StakingKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { POWER_REDUCTION } from './params.ts';
import { isBonded, operatorBytes, tokensOf } from './view.ts';

export interface SlashResult {
  /** Tokens burned from the validator, its unbonding entries and redelegated stake. */
  readonly burned: bigint;
}

/**
 * Slashes `fraction` of the stake the validator with `consAddr` had at `infractionHeight` (given as
 * its voting `power` then). A validator that no longer exists or is fully unbonded cannot be slashed.
 */
export async function slash(k: StakingKeeper, ctx: Context, consAddr: Uint8Array, infractionHeight: bigint, power: bigint, fraction: Dec): Promise<SlashResult> {
  if (fraction < 0n || fraction > ONE) throw new RangeError(`slash fraction ${fraction} out of [0, 1]`);
  if (infractionHeight > ctx.block.height) throw new RangeError(`cannot slash for future height ${infractionHeight} at ${ctx.block.height}`);
  const validator = await k.validatorByConsAddr(ctx.store, consAddr);
  if (validator === undefined || validator.status === BondStatus.BOND_STATUS_UNBONDED) return { burned: 0n };
  const operator = operatorBytes(validator);
  const slashAmount = mulDivTrunc(power * POWER_REDUCTION, fraction, ONE);
  let remaining = slashAmount;
  let burned = 0n;

  if (infractionHeight < ctx.block.height) {
    const sub = lengthPrefixedBytes.encode(operator);
    const delegators: Uint8Array[] = [];
    for await (const [[, delegator]] of keys.unbondingByValidator.entries(ctx.store, { subPrefix: sub })) delegators.push(delegator);
    for (const delegator of delegators) {
      const r = await slashUnbonding(k, ctx, delegator, operator, infractionHeight, fraction);
      remaining -= r.due;
      burned += r.burned;
    }
    const triples: [Uint8Array, Uint8Array][] = [];
    for await (const [[, [delegator, dst]]] of keys.redelegationsBySrc.entries(ctx.store, { subPrefix: sub })) triples.push([delegator, dst]);
    for (const [delegator, dst] of triples) {
      const r = await slashRedelegation(k, ctx, delegator, operator, dst, infractionHeight, fraction);
      remaining -= r.due;
      burned += r.burned;
    }
  }
  if (remaining < 0n) remaining = 0n;

  // Hooks may have changed nothing about tokens, but re-read after the redelegation unbonds above.
  const current = (await k.validator(ctx.store, operator)) as Validator;
  const tokens = tokensOf(current);
  const fromValidator = remaining < tokens ? remaining : tokens;
  if (fromValidator > 0n) {
    const effective = mulDivCeil(fromValidator, ONE, tokens);
    await k.fire('beforeValidatorSlashed', ctx, operator, effective > ONE ? ONE : effective);
    const after = (await k.validator(ctx.store, operator)) as Validator;
    await k.setValidator(ctx.store, { ...after, tokens: (tokensOf(after) - fromValidator).toString() });
    await k.burnFromPool(ctx, isBonded(after), fromValidator);
    burned += fromValidator;
  }
  ctx.events.emit('slash', {
    validator: current.operatorAddress,
    infraction_height: infractionHeight.toString(),
    power: power.toString(),
    fraction: decToProto(fraction),
    burned: burned.toString(),
  });
  return { burned };
}

async function slashUnbonding(k: StakingKeeper, ctx: Context, delegator: Uint8Array, operator: Uint8Array, infractionHeight: bigint, fraction: Dec): Promise<{ due: bigint; burned: bigint }> {
  const ubd = await keys.unbondingDelegations.get(ctx.store, [delegator, operator]);
  if (ubd === undefined) return { due: 0n, burned: 0n };
  let due = 0n;
  let burned = 0n;
  for (const entry of ubd.entries) {
    // Stake that left before the fault was not part of it.
    if (entry.creationHeight < infractionHeight) continue;
    if (((await keys.entryCompletion.get(ctx.store, entry.unbondingId)) ?? 0n) <= ctx.block.height) continue;
    const amount = mulDivTrunc(BigInt(entry.initialBalance), fraction, ONE);
    due += amount;
    const balance = BigInt(entry.balance);
    const take = amount < balance ? amount : balance;
    if (take === 0n) continue;
    entry.balance = (balance - take).toString();
    burned += take;
  }
  if (burned > 0n) {
    keys.unbondingDelegations.set(ctx.store, [delegator, operator], ubd);
    await k.burnFromPool(ctx, false, burned);
  }
  return { due, burned };
}

async function slashRedelegation(
  k: StakingKeeper,
  ctx: Context,
  delegator: Uint8Array,
  src: Uint8Array,
  dst: Uint8Array,
  infractionHeight: bigint,
  fraction: Dec,
): Promise<{ due: bigint; burned: bigint }> {
  const red = await keys.redelegations.get(ctx.store, [delegator, [src, dst]]);
  if (red === undefined) return { due: 0n, burned: 0n };
  let due = 0n;
  let burned = 0n;
  for (const entry of red.entries) {
    if (entry.creationHeight < infractionHeight) continue;
    if (((await keys.entryCompletion.get(ctx.store, entry.unbondingId)) ?? 0n) <= ctx.block.height) continue;
    due += mulDivTrunc(BigInt(entry.initialBalance), fraction, ONE);
    let shares = mulTrunc(parseDec(entry.sharesDst), fraction);
    if (shares === 0n) continue;
    const delegation = await k.delegation(ctx.store, delegator, dst);
    // The delegator may have moved the stake on since; what is left at the destination is slashed.
    if (delegation === undefined) continue;
    const held = parseDec(delegation.shares);
    if (shares > held) shares = held;
    const dstBefore = (await k.validator(ctx.store, dst)) as Validator;
    const tokens = await unbond(k, ctx, delegator, dst, shares);
    await k.burnFromPool(ctx, isBonded(dstBefore), tokens);
    burned += tokens;
  }
  return { due, burned };
}
