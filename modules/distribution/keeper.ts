// Fee distribution by the F1 scheme of the Cosmos SDK ("F1 fee distribution", Ojha 2019): each
// validator's rewards accumulate per period; closing a period adds rewards/tokens to a cumulative
// ratio; a delegation's rewards are its stake × (ratio now − ratio when it started), adjusted for
// slashes in between. So nothing is paid per block and per delegator: each delegator collects
// whenever it withdraws or changes its stake.
//
// Every amount that cannot be paid out exactly has a named home: truncation dust of a payout goes to
// the community pool, rounding left in a validator's outstanding rewards goes there when the
// validator is removed. The distribution account holds exactly Σ outstanding + community pool.
import type { Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { VoteInfo } from 'cosmjs-types/tendermint/abci/types';
import { moduleAddress } from '../../core/framework/address.ts';
import type { Amount } from '../../core/framework/coins.ts';
import { formatCoins } from '../../core/framework/coins.ts';
import type { Context } from '../../core/framework/context.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import { type Dec, ONE, parseDec } from '../../core/framework/dec.ts';
import { type StakingHooks, consAddressOf, operatorBytes, tokensFromShares, tokensOf } from '../staking/api.ts';
import type { DistributionAccounts, DistributionBank, DistributionStaking } from './deps.ts';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import * as dc from './dec-coins.ts';
import type { DecCoins } from './dec-coins.ts';
import * as keys from './keys.ts';
import { MODULE } from './keys.ts';
import { DEFAULT_PARAMS, type DistributionParams, fromProtoParams } from './params.ts';

export class DistributionKeeper {
  readonly accounts: DistributionAccounts;
  readonly bank: DistributionBank;
  readonly staking: DistributionStaking;
  /** The StakingHooks that keep reward accounting in step with stake (given to StakingKeeper). */
  readonly hooks: StakingHooks;

  constructor(accounts: DistributionAccounts, bank: DistributionBank, staking: DistributionStaking) {
    this.accounts = accounts;
    this.bank = bank;
    this.staking = staking;
    this.hooks = {
      afterValidatorCreated: (ctx, operator) => this.initializeValidator(ctx.store, operator),
      afterValidatorRemoved: (ctx, _cons, operator) => this.#onValidatorRemoved(ctx, operator),
      beforeDelegationCreated: async (ctx, _delegator, operator) => {
        await this.incrementPeriod(ctx.store, operator);
      },
      beforeDelegationSharesModified: async (ctx, delegator, operator) => {
        await this.withdrawDelegationRewards(ctx, delegator, operator);
      },
      afterDelegationModified: (ctx, delegator, operator) => this.initializeDelegation(ctx, delegator, operator),
      beforeValidatorSlashed: (ctx, operator, fraction) => this.#recordSlash(ctx, operator, fraction),
    };
  }

  async params(store: KVRead): Promise<DistributionParams> {
    const p = await keys.params.get(store);
    return p === undefined ? DEFAULT_PARAMS : fromProtoParams(p);
  }

  async communityPool(store: KVRead): Promise<DecCoins> {
    return dc.fromProto((await keys.feePool.get(store))?.communityPool ?? []);
  }

  addToCommunityPool(store: KVStore, amount: DecCoins, current: DecCoins): void {
    keys.feePool.set(store, { communityPool: dc.toProto(dc.add(current, amount)) });
  }

  async outstanding(store: KVRead, operator: Uint8Array): Promise<DecCoins> {
    return dc.fromProto((await keys.outstanding.get(store, operator))?.rewards ?? []);
  }

  async commission(store: KVRead, operator: Uint8Array): Promise<DecCoins> {
    return dc.fromProto((await keys.commission.get(store, operator))?.commission ?? []);
  }

  async withdrawAddress(store: KVRead, delegator: Uint8Array): Promise<Uint8Array> {
    return (await keys.withdrawAddrs.get(store, delegator)) ?? delegator;
  }

  // ---- allocation ----

  /**
   * Pays `fees` (already in the distribution account) to the validators that voted on the previous
   * block, by their voting power, after the community tax. What truncation leaves goes to the pool.
   */
  async allocate(ctx: Context, fees: DecCoins, votes: readonly VoteInfo[]): Promise<void> {
    if (dc.isZero(fees)) return;
    let pool = await this.communityPool(ctx.store);
    let totalPower = 0n;
    for (const v of votes) totalPower += v.validator.power;
    if (totalPower === 0n) {
      this.addToCommunityPool(ctx.store, fees, pool);
      return;
    }
    const { communityTax } = await this.params(ctx.store);
    const forValidators = dc.mulDec(fees, ONE - communityTax);
    let remaining = fees;
    for (const vote of votes) {
      const validator = await this.staking.validatorByConsAddr(ctx.store, vote.validator.address);
      if (validator === undefined) continue;
      // Exact share by power, truncated once: amount × power / total.
      const reward = dc.quoInt(dc.mulDec(forValidators, vote.validator.power * ONE), totalPower);
      if (dc.isZero(reward)) continue;
      await this.allocateToValidator(ctx, validator, reward);
      remaining = dc.sub(remaining, reward);
    }
    pool = await this.communityPool(ctx.store);
    this.addToCommunityPool(ctx.store, remaining, pool);
  }

  /** Moves coins from another module (e.g. emission's validator share) and pays them by voting power. */
  async allocateFromModule(ctx: Context, fromModule: string, amounts: readonly Amount[]): Promise<void> {
    if (amounts.length === 0) return;
    await this.bank.send(ctx, moduleAddress(fromModule), moduleAddress(MODULE), amounts);
    const votes: VoteInfo[] = [];
    for await (const [operator, power] of this.staking.lastValidatorPowers(ctx.store)) {
      const v = await this.staking.validator(ctx.store, operator);
      if (v === undefined) continue;
      votes.push({ validator: { address: consAddressOf(v), power }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT });
    }
    await this.allocate(ctx, dc.fromCoins(amounts), votes);
  }

  async allocateToValidator(ctx: Context, validator: Validator, tokens: DecCoins): Promise<void> {
    const operator = operatorBytes(validator);
    const rate = parseDec(validator.commission.commissionRates.rate);
    const commission = dc.mulDec(tokens, rate);
    const shared = dc.sub(tokens, commission);
    keys.commission.set(ctx.store, operator, { commission: dc.toProto(dc.add(await this.commission(ctx.store, operator), commission)) });
    const current = await keys.currentRewards.get(ctx.store, operator);
    if (current === undefined) throw new Error(`no reward records for validator ${validator.operatorAddress}`);
    keys.currentRewards.set(ctx.store, operator, { period: current.period, rewards: dc.toProto(dc.add(dc.fromProto(current.rewards), shared)) });
    keys.outstanding.set(ctx.store, operator, { rewards: dc.toProto(dc.add(await this.outstanding(ctx.store, operator), tokens)) });
    ctx.events.emit('commission', { amount: dc.format(commission), validator: validator.operatorAddress });
    ctx.events.emit('rewards', { amount: dc.format(tokens), validator: validator.operatorAddress });
  }

  // ---- F1 periods ----

  async initializeValidator(store: KVStore, operator: Uint8Array): Promise<void> {
    keys.historicalRewards.set(store, [operator, 0n], { cumulativeRewardRatio: [], referenceCount: 1 });
    keys.currentRewards.set(store, operator, { rewards: [], period: 1n });
    keys.commission.set(store, operator, { commission: [] });
    keys.outstanding.set(store, operator, { rewards: [] });
  }

  /** Closes the current period (rewards/tokens joins the cumulative ratio); returns the closed period. */
  async incrementPeriod(store: KVStore, operator: Uint8Array): Promise<bigint> {
    const validator = await this.staking.validator(store, operator);
    const current = await keys.currentRewards.get(store, operator);
    if (validator === undefined || current === undefined) throw new Error('incrementing the period of an unknown validator');
    const rewards = dc.fromProto(current.rewards);
    let ratio: DecCoins = dc.EMPTY;
    const tokens = tokensOf(validator);
    if (tokens === 0n) {
      // Nobody holds stake to share this with: it goes to the community pool.
      if (!dc.isZero(rewards)) {
        this.addToCommunityPool(store, rewards, await this.communityPool(store));
        keys.outstanding.set(store, operator, { rewards: dc.toProto(dc.sub(await this.outstanding(store, operator), rewards)) });
      }
    } else {
      ratio = dc.quoInt(rewards, tokens);
    }
    const previous = await keys.historicalRewards.get(store, [operator, current.period - 1n]);
    if (previous === undefined) throw new Error(`missing historical rewards for period ${current.period - 1n}`);
    await this.#decrementReference(store, operator, current.period - 1n);
    keys.historicalRewards.set(store, [operator, current.period], {
      cumulativeRewardRatio: dc.toProto(dc.add(dc.fromProto(previous.cumulativeRewardRatio), ratio)),
      referenceCount: 1,
    });
    keys.currentRewards.set(store, operator, { rewards: [], period: current.period + 1n });
    return current.period;
  }

  async #incrementReference(store: KVStore, operator: Uint8Array, period: bigint): Promise<void> {
    const h = await keys.historicalRewards.get(store, [operator, period]);
    if (h === undefined) throw new Error(`missing historical rewards for period ${period}`);
    keys.historicalRewards.set(store, [operator, period], { ...h, referenceCount: h.referenceCount + 1 });
  }

  async #decrementReference(store: KVStore, operator: Uint8Array, period: bigint): Promise<void> {
    const h = await keys.historicalRewards.get(store, [operator, period]);
    if (h === undefined) throw new Error(`missing historical rewards for period ${period}`);
    if (h.referenceCount <= 1) keys.historicalRewards.delete(store, [operator, period]);
    else keys.historicalRewards.set(store, [operator, period], { ...h, referenceCount: h.referenceCount - 1 });
  }

  async initializeDelegation(ctx: Context, delegator: Uint8Array, operator: Uint8Array): Promise<void> {
    const current = await keys.currentRewards.get(ctx.store, operator);
    const validator = await this.staking.validator(ctx.store, operator);
    const delegation = await this.staking.delegation(ctx.store, delegator, operator);
    if (current === undefined || validator === undefined || delegation === undefined) throw new Error('initializing an unknown delegation');
    const previousPeriod = current.period - 1n;
    await this.#incrementReference(ctx.store, operator, previousPeriod);
    const stake = tokensFromShares(validator, parseDec(delegation.shares));
    keys.startingInfo.set(ctx.store, [operator, delegator], { previousPeriod, stake: stake.toString(), height: ctx.block.height });
  }

  // ---- rewards ----

  /** The cumulative ratio as of now: the last closed period's plus what the open period has earned. */
  async #ratioNow(store: KVRead, operator: Uint8Array, validator: Validator): Promise<DecCoins> {
    const current = await keys.currentRewards.get(store, operator);
    if (current === undefined) return dc.EMPTY;
    const closed = await keys.historicalRewards.get(store, [operator, current.period - 1n]);
    const base = dc.fromProto(closed?.cumulativeRewardRatio ?? []);
    const tokens = tokensOf(validator);
    return tokens === 0n ? base : dc.add(base, dc.quoInt(dc.fromProto(current.rewards), tokens));
  }

  async #ratioAt(store: KVRead, operator: Uint8Array, period: bigint): Promise<DecCoins> {
    const h = await keys.historicalRewards.get(store, [operator, period]);
    if (h === undefined) throw new Error(`missing historical rewards for period ${period}`);
    return dc.fromProto(h.cumulativeRewardRatio);
  }

  /** Rewards a delegation has earned and not withdrawn, read-only (queries and withdrawals agree). */
  async pendingRewards(store: KVRead, height: bigint, delegator: Uint8Array, operator: Uint8Array): Promise<DecCoins> {
    const validator = await this.staking.validator(store, operator);
    const delegation = await this.staking.delegation(store, delegator, operator);
    const start = await keys.startingInfo.get(store, [operator, delegator]);
    if (validator === undefined || delegation === undefined || start === undefined) return dc.EMPTY;
    if (start.height === height) return dc.EMPTY;
    let period = start.previousPeriod;
    let stake: Dec = parseDec(start.stake);
    let rewards: DecCoins = dc.EMPTY;
    const between = async (from: DecCoins, to: DecCoins, s: Dec): Promise<DecCoins> => dc.mulDec(dc.sub(to, from), s);
    // Slashes since the delegation started shrank its stake from the period they closed on.
    for await (const [[, [h]], event] of keys.slashEvents.entries(store, { subPrefix: lengthPrefixed(operator) })) {
      if (h < start.height || h > height) continue;
      if (event.validatorPeriod > period) {
        rewards = dc.add(rewards, await between(await this.#ratioAt(store, operator, period), await this.#ratioAt(store, operator, event.validatorPeriod), stake));
        stake = (stake * (ONE - parseDec(event.fraction))) / ONE;
        period = event.validatorPeriod;
      }
    }
    // Rounding in the slash arithmetic can leave the recorded stake a hair above the real one.
    const currentStake = tokensFromShares(validator, parseDec(delegation.shares));
    if (stake > currentStake) stake = currentStake;
    rewards = dc.add(rewards, await between(await this.#ratioAt(store, operator, period), await this.#ratioNow(store, operator, validator), stake));
    return rewards;
  }

  /** Pays a delegation's rewards to its withdraw address and closes its accounting. */
  async withdrawDelegationRewards(ctx: Context, delegator: Uint8Array, operator: Uint8Array): Promise<Amount[]> {
    const start = await keys.startingInfo.get(ctx.store, [operator, delegator]);
    if (start === undefined) throw new Error('withdrawing rewards of a delegation without starting info');
    const computed = await this.pendingRewards(ctx.store, ctx.block.height, delegator, operator);
    await this.incrementPeriod(ctx.store, operator);
    const outstanding = await this.outstanding(ctx.store, operator);
    // Never pay more than the validator holds (a guard; the accounting keeps rewards <= outstanding).
    const rewards = dc.isAllLte(computed, outstanding) ? computed : dc.intersect(computed, outstanding);
    const { coins, change } = dc.truncate(rewards);
    if (coins.length > 0) await this.bank.send(ctx, moduleAddress(MODULE), await this.withdrawAddress(ctx.store, delegator), coins);
    keys.outstanding.set(ctx.store, operator, { rewards: dc.toProto(dc.sub(outstanding, rewards)) });
    this.addToCommunityPool(ctx.store, change, await this.communityPool(ctx.store));
    await this.#decrementReference(ctx.store, operator, start.previousPeriod);
    keys.startingInfo.delete(ctx.store, [operator, delegator]);
    const validatorText = ctx.addresses.encode(operator, ctx.addresses.validatorPrefix);
    ctx.events.emit('withdraw_rewards', { amount: formatCoins(coins), validator: validatorText, delegator: ctx.addresses.encode(delegator) });
    return coins;
  }

  /** Pays the whole part of a validator's accumulated commission; the fraction stays accumulated. */
  async withdrawCommission(ctx: Context, operator: Uint8Array): Promise<Amount[]> {
    const accumulated = await this.commission(ctx.store, operator);
    const { coins, change } = dc.truncate(accumulated);
    keys.commission.set(ctx.store, operator, { commission: dc.toProto(change) });
    keys.outstanding.set(ctx.store, operator, { rewards: dc.toProto(dc.sub(await this.outstanding(ctx.store, operator), dc.fromCoins(coins))) });
    if (coins.length > 0) await this.bank.send(ctx, moduleAddress(MODULE), await this.withdrawAddress(ctx.store, operator), coins);
    ctx.events.emit('withdraw_commission', { amount: formatCoins(coins) });
    return coins;
  }

  async #recordSlash(ctx: Context, operator: Uint8Array, fraction: Dec): Promise<void> {
    if (fraction < 0n || fraction > ONE) throw new RangeError(`slash fraction ${fraction} out of [0, 1]`);
    const period = await this.incrementPeriod(ctx.store, operator);
    // The ratio at this period must outlive the delegations that started before it.
    await this.#incrementReference(ctx.store, operator, period);
    keys.slashEvents.set(ctx.store, [operator, [ctx.block.height, period]], { validatorPeriod: period, fraction: fraction.toString() });
  }

  async #onValidatorRemoved(ctx: Context, operator: Uint8Array): Promise<void> {
    let outstanding = await this.outstanding(ctx.store, operator);
    let pool = await this.communityPool(ctx.store);
    const commission = await this.commission(ctx.store, operator);
    if (!dc.isZero(commission)) {
      outstanding = dc.sub(outstanding, commission);
      const { coins, change } = dc.truncate(commission);
      pool = dc.add(pool, change);
      if (coins.length > 0) await this.bank.send(ctx, moduleAddress(MODULE), await this.withdrawAddress(ctx.store, operator), coins);
    }
    // What is left is rounding dust no delegation can claim any more.
    this.addToCommunityPool(ctx.store, outstanding, pool);
    keys.outstanding.delete(ctx.store, operator);
    keys.commission.delete(ctx.store, operator);
    keys.currentRewards.delete(ctx.store, operator);
    const sub = lengthPrefixed(operator);
    const periods: bigint[] = [];
    for await (const [[, period]] of keys.historicalRewards.entries(ctx.store, { subPrefix: sub })) periods.push(period);
    for (const p of periods) keys.historicalRewards.delete(ctx.store, [operator, p]);
    const events: [bigint, bigint][] = [];
    for await (const [[, hp]] of keys.slashEvents.entries(ctx.store, { subPrefix: sub })) events.push(hp);
    for (const hp of events) keys.slashEvents.delete(ctx.store, [operator, hp]);
  }
}

function lengthPrefixed(b: Uint8Array): Uint8Array {
  return Uint8Array.of(b.length, ...b);
}
