// End of block: the top `max_validators` by power become CometBFT's validator set (only the changes
// are sent: new powers, and power 0 for validators that left), tokens move between the bond pools
// as validators enter and leave the set, and unbonding that has run its course completes.
import { BondStatus, type Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import type { Context } from '../../core/framework/context.ts';
import { consensusKeyBytes } from './addresses.ts';
import type { StakingKeeper } from './keeper.ts';
import * as keys from './keys.ts';
import { NOT_BONDED_POOL } from './keys.ts';
import { consAddressOf, operatorBytes, powerOf, sharesOf, tokensOf } from './view.ts';

function update(v: Validator, power: bigint): ValidatorUpdate {
  return { pubKey: { ed25519: consensusKeyBytes(v.consensusPubkey) }, power };
}

/** Recomputes the active set; returns the updates for CometBFT in a deterministic order. */
export async function applyValidatorSetUpdates(k: StakingKeeper, ctx: Context): Promise<ValidatorUpdate[]> {
  const { maxValidators, unbondingBlocks } = await k.params(ctx.store);
  const last = new Map<string, { operator: Uint8Array; power: bigint }>();
  for await (const [operator, power] of keys.lastValidatorPowers.entries(ctx.store)) last.set(hexKey(operator), { operator, power });

  const updates: ValidatorUpdate[] = [];
  let total = 0n;
  let count = 0;
  const chosen: Uint8Array[] = [];
  for await (const [[, operator]] of keys.powerIndex.entries(ctx.store)) {
    if (count >= maxValidators) break;
    chosen.push(operator);
    count++;
  }
  for (const operator of chosen) {
    let v = (await k.validator(ctx.store, operator))!;
    if (v.status !== BondStatus.BOND_STATUS_BONDED) v = await bond(k, ctx, v);
    const power = powerOf(v);
    const previous = last.get(hexKey(operator));
    if (previous === undefined || previous.power !== power) {
      updates.push(update(v, power));
      keys.lastValidatorPowers.set(ctx.store, operator, power);
    }
    last.delete(hexKey(operator));
    total += power;
  }
  // Whoever is left was in the set and is not any more: jailed, outranked or out of stake.
  const leaving = [...last.values()].sort((a, b) => (hexKey(a.operator) < hexKey(b.operator) ? -1 : 1));
  for (const { operator } of leaving) {
    const v = await k.validator(ctx.store, operator);
    if (v === undefined) throw new Error(`validator ${hexKey(operator)} left the set without a record`);
    await beginUnbonding(k, ctx, v, unbondingBlocks);
    updates.push(update(v, 0n));
    keys.lastValidatorPowers.delete(ctx.store, operator);
  }
  keys.lastTotalPower.set(ctx.store, total);
  return updates;
}

async function bond(k: StakingKeeper, ctx: Context, v: Validator): Promise<Validator> {
  const operator = operatorBytes(v);
  if (v.status === BondStatus.BOND_STATUS_UNBONDING) keys.validatorQueue.delete(ctx.store, [v.unbondingHeight + (await k.params(ctx.store)).unbondingBlocks, operator]);
  await k.moveNotBondedToBonded(ctx, tokensOf(v));
  const bonded: Validator = { ...v, status: BondStatus.BOND_STATUS_BONDED, unbondingHeight: 0n, unbondingTime: { seconds: 0n, nanos: 0 } };
  await k.setValidator(ctx.store, bonded);
  await k.fire('afterValidatorBonded', ctx, consAddressOf(bonded), operator);
  ctx.events.emit('bond_validator', { validator: v.operatorAddress, tokens: v.tokens });
  return bonded;
}

async function beginUnbonding(k: StakingKeeper, ctx: Context, v: Validator, unbondingBlocks: bigint): Promise<void> {
  const operator = operatorBytes(v);
  await k.moveBondedToNotBonded(ctx, tokensOf(v));
  const unbonding: Validator = {
    ...v,
    status: BondStatus.BOND_STATUS_UNBONDING,
    unbondingHeight: ctx.block.height,
    unbondingTime: await k.estimateTime(ctx, unbondingBlocks),
  };
  await k.setValidator(ctx.store, unbonding);
  keys.validatorQueue.set(ctx.store, [ctx.block.height + unbondingBlocks, operator], ctx.block.height);
  await k.fire('afterValidatorBeginUnbonding', ctx, consAddressOf(v), operator);
  ctx.events.emit('begin_unbonding_validator', { validator: v.operatorAddress, tokens: v.tokens });
}

/** Completes everything whose unbonding period ended at or before this height. */
export async function completeMatured(k: StakingKeeper, ctx: Context): Promise<void> {
  const height = ctx.block.height;

  const validators: [bigint, Uint8Array, bigint][] = [];
  for await (const [[h, operator], unbondingHeight] of keys.validatorQueue.entries(ctx.store)) {
    if (h > height) break;
    validators.push([h, operator, unbondingHeight]);
  }
  for (const [h, operator, unbondingHeight] of validators) {
    keys.validatorQueue.delete(ctx.store, [h, operator]);
    const v = await k.validator(ctx.store, operator);
    // A validator that bonded again (or unbonded again later) is not this queue entry's any more.
    if (v === undefined || v.status !== BondStatus.BOND_STATUS_UNBONDING || v.unbondingHeight !== unbondingHeight) continue;
    const unbonded: Validator = { ...v, status: BondStatus.BOND_STATUS_UNBONDED };
    await k.setValidator(ctx.store, unbonded);
    ctx.events.emit('complete_unbonding_validator', { validator: v.operatorAddress });
    if (sharesOf(unbonded) === 0n) await k.removeValidator(ctx, unbonded);
  }

  const ubds: [bigint, bigint, string, string][] = [];
  for await (const [[h, id], pair] of keys.unbondingQueue.entries(ctx.store)) {
    if (h > height) break;
    ubds.push([h, id, pair.delegatorAddress, pair.validatorAddress]);
  }
  const { bondDenom } = await k.params(ctx.store);
  for (const [h, id, delegatorText, validatorText] of ubds) {
    keys.unbondingQueue.delete(ctx.store, [h, id]);
    keys.entryCompletion.delete(ctx.store, id);
    const delegator = ctx.addresses.decode(delegatorText);
    const operator = ctx.addresses.decode(validatorText, ctx.addresses.validatorPrefix);
    const ubd = await keys.unbondingDelegations.get(ctx.store, [delegator, operator]);
    if (ubd === undefined) continue;
    const entry = ubd.entries.find((e) => e.unbondingId === id);
    if (entry === undefined) continue;
    ubd.entries = ubd.entries.filter((e) => e.unbondingId !== id);
    const amount = BigInt(entry.balance);
    if (amount > 0n) await k.bank.undelegateCoins(ctx, NOT_BONDED_POOL, delegator, [{ denom: bondDenom, amount }]);
    if (ubd.entries.length === 0) {
      keys.unbondingDelegations.delete(ctx.store, [delegator, operator]);
      keys.unbondingByValidator.delete(ctx.store, [operator, delegator]);
    } else {
      keys.unbondingDelegations.set(ctx.store, [delegator, operator], ubd);
    }
    ctx.events.emit('complete_unbonding', { amount: `${amount}${bondDenom}`, validator: validatorText, delegator: delegatorText });
  }

  const reds: [bigint, bigint, string, string, string][] = [];
  for await (const [[h, id], t] of keys.redelegationQueue.entries(ctx.store)) {
    if (h > height) break;
    reds.push([h, id, t.delegatorAddress, t.validatorSrcAddress, t.validatorDstAddress]);
  }
  for (const [h, id, delegatorText, srcText, dstText] of reds) {
    keys.redelegationQueue.delete(ctx.store, [h, id]);
    keys.entryCompletion.delete(ctx.store, id);
    const delegator = ctx.addresses.decode(delegatorText);
    const src = ctx.addresses.decode(srcText, ctx.addresses.validatorPrefix);
    const dst = ctx.addresses.decode(dstText, ctx.addresses.validatorPrefix);
    const red = await keys.redelegations.get(ctx.store, [delegator, [src, dst]]);
    if (red === undefined) continue;
    red.entries = red.entries.filter((e) => e.unbondingId !== id);
    if (red.entries.length === 0) {
      keys.redelegations.delete(ctx.store, [delegator, [src, dst]]);
      keys.redelegationsBySrc.delete(ctx.store, [src, [delegator, dst]]);
      keys.redelegationsByDst.delete(ctx.store, [dst, [delegator, src]]);
    } else {
      keys.redelegations.set(ctx.store, [delegator, [src, dst]], red);
    }
    ctx.events.emit('complete_redelegation', { delegator: delegatorText, source_validator: srcText, destination_validator: dstText });
  }
}

function hexKey(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
