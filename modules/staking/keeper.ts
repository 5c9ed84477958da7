// Validators, the two bond pools, and the state changes every flow shares. Message handlers, the
// end-block validator-set update and slashing all go through here, so the pools always hold exactly
// the tokens the records say (see invariants.ts).
import { BondStatus, type Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Context } from '../../core/framework/context.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import { moduleAddress } from '../../core/framework/address.ts';
import type { AuthApi } from '../auth/api.ts';
import type { BankApi } from '../bank/api.ts';
import { type Dec, ONE, decToProto, mulDivTrunc } from '../../core/framework/dec.ts';
import { msToTimestamp, timestampMs } from '../../core/framework/time.ts';
import { ErrDelegatorShareExRateInvalid } from './errors.ts';
import { type StakingHooks, fire } from './hooks.ts';
import * as keys from './keys.ts';
import { BONDED_POOL, NOT_BONDED_POOL } from './keys.ts';
import { StakingView, consAddressOf, isBonded, operatorBytes, powerOf, sharesOf, tokensOf } from './view.ts';

/** Block interval assumed before the chain has a history to average. */
export const DEFAULT_BLOCK_MS = 5_000n;
/** One block's interval counts at most this much: a halt or a late first block is not the chain's pace. */
const MAX_BLOCK_MS = 60_000n;
/** The average follows recent blocks: each block moves it 1/16 of the way to its own interval. */
const AVERAGE_WEIGHT = 16n;
/** The latest time a protobuf Timestamp can hold (9999-12-31T23:59:59Z), so an estimate always encodes. */
const MAX_TIMESTAMP_MS = 253_402_300_799_000n;

export class StakingKeeper extends StakingView {
  readonly accounts: AuthApi;
  readonly bank: BankApi;
  readonly hooks: readonly StakingHooks[];

  constructor(accounts: AuthApi, bank: BankApi, hooks: readonly StakingHooks[] = []) {
    super();
    this.accounts = accounts;
    this.bank = bank;
    this.hooks = hooks;
  }

  fire<K extends keyof StakingHooks>(name: K, ...args: Parameters<NonNullable<StakingHooks[K]>>): Promise<void> {
    return fire(this.hooks, name, ...args);
  }

  // ---- validators ----

  /** Writes a validator and keeps the power index in step (jailed or powerless ones are not indexed). */
  async setValidator(store: KVStore, v: Validator): Promise<void> {
    const operator = operatorBytes(v);
    const before = await keys.validators.get(store, operator);
    if (before !== undefined) keys.powerIndex.delete(store, [keys.invertPower(powerOf(before)), operator]);
    keys.validators.set(store, operator, v);
    if (!v.jailed && powerOf(v) > 0n) keys.powerIndex.set(store, [keys.invertPower(powerOf(v)), operator], true);
  }

  /** Deletes a validator that has no tokens and no shares left. */
  async removeValidator(ctx: Context, v: Validator): Promise<void> {
    if (tokensOf(v) !== 0n || sharesOf(v) !== 0n) throw new Error(`cannot remove validator ${v.operatorAddress}: it still has tokens or shares`);
    if (isBonded(v)) throw new Error(`cannot remove bonded validator ${v.operatorAddress}`);
    const operator = operatorBytes(v);
    const consAddr = consAddressOf(v);
    keys.powerIndex.delete(ctx.store, [keys.invertPower(powerOf(v)), operator]);
    keys.validators.delete(ctx.store, operator);
    keys.validatorsByConsAddr.delete(ctx.store, consAddr);
    await this.fire('afterValidatorRemoved', ctx, consAddr, operator);
    ctx.events.emit('remove_validator', { validator: v.operatorAddress });
  }

  async setJailed(ctx: Context, consAddr: Uint8Array, jailed: boolean): Promise<Validator | undefined> {
    const v = await this.validatorByConsAddr(ctx.store, consAddr);
    if (v === undefined || v.jailed === jailed) return v;
    const next = { ...v, jailed };
    await this.setValidator(ctx.store, next);
    return next;
  }

  /** Adds delegated tokens; returns the shares issued for them (at the current exchange rate). */
  addTokens(v: Validator, amount: bigint): { validator: Validator; shares: Dec } {
    const tokens = tokensOf(v);
    const total = sharesOf(v);
    // A validator slashed down to no tokens has shares worth nothing: no new delegation can be priced.
    if (total !== 0n && tokens === 0n) throw ErrDelegatorShareExRateInvalid.wrap(v.operatorAddress);
    // The first tokens set the rate at one share per token; later ones get shares at the current rate.
    const shares = total === 0n ? amount * ONE : mulDivTrunc(total, amount, tokens);
    return { validator: { ...v, tokens: (tokens + amount).toString(), delegatorShares: decToProto(total + shares) }, shares };
  }

  /** Removes shares; returns the tokens they were worth (all the tokens when the last share goes). */
  removeShares(v: Validator, shares: Dec): { validator: Validator; amount: bigint } {
    const tokens = tokensOf(v);
    const total = sharesOf(v);
    if (shares > total) throw new Error(`removing ${shares} shares from ${v.operatorAddress}, which has ${total}`);
    const remaining = total - shares;
    const amount = remaining === 0n ? tokens : mulDivTrunc(shares, tokens, total);
    return { validator: { ...v, tokens: (tokens - amount).toString(), delegatorShares: decToProto(remaining) }, amount };
  }

  // ---- pools ----

  async moveBondedToNotBonded(ctx: Context, amount: bigint): Promise<void> {
    await this.#movePool(ctx, BONDED_POOL, NOT_BONDED_POOL, amount);
  }

  async moveNotBondedToBonded(ctx: Context, amount: bigint): Promise<void> {
    await this.#movePool(ctx, NOT_BONDED_POOL, BONDED_POOL, amount);
  }

  async burnFromPool(ctx: Context, bonded: boolean, amount: bigint): Promise<void> {
    if (amount === 0n) return;
    const { bondDenom } = await this.params(ctx.store);
    await this.bank.burn(ctx, bonded ? BONDED_POOL : NOT_BONDED_POOL, [{ denom: bondDenom, amount }]);
  }

  async #movePool(ctx: Context, from: string, to: string, amount: bigint): Promise<void> {
    if (amount === 0n) return;
    const { bondDenom } = await this.params(ctx.store);
    await this.bank.send(ctx, moduleAddress(from), moduleAddress(to), [{ denom: bondDenom, amount }]);
  }

  poolFor(v: Validator): string {
    return v.status === BondStatus.BOND_STATUS_BONDED ? BONDED_POOL : NOT_BONDED_POOL;
  }

  // ---- time ----

  /**
   * Milliseconds per block over recent blocks (consensus time only): a moving average of block
   * intervals, each capped at MAX_BLOCK_MS, so it stays in [1 ms, 60 s] whatever the genesis time or
   * a halt did.
   */
  async averageBlockMs(store: KVRead): Promise<bigint> {
    return (await keys.averageBlockMs.get(store)) ?? DEFAULT_BLOCK_MS;
  }

  /** Folds the new block's interval into the average (called once per block, before any message). */
  async recordBlockTime(store: KVStore, nowMs: bigint): Promise<void> {
    const last = await keys.lastBlockTime.get(store);
    keys.lastBlockTime.set(store, nowMs);
    if (last === undefined) return; // the first block: its distance from genesis time is not a block interval
    const interval = nowMs - last < 1n ? 1n : nowMs - last > MAX_BLOCK_MS ? MAX_BLOCK_MS : nowMs - last;
    const avg = await this.averageBlockMs(store);
    keys.averageBlockMs.set(store, avg + (interval - avg) / AVERAGE_WEIGHT);
  }

  /** An estimate of the consensus time `blocks` blocks after the current one (for wallets to show). */
  async estimateTime(ctx: Context, blocks: bigint): Promise<Timestamp> {
    const ms = timestampMs(ctx.block.time) + blocks * (await this.averageBlockMs(ctx.store));
    return msToTimestamp(ms > MAX_TIMESTAMP_MS ? MAX_TIMESTAMP_MS : ms);
  }

  async takeUnbondingId(store: KVStore): Promise<bigint> {
    const id = (await keys.nextUnbondingId.get(store)) ?? 1n;
    keys.nextUnbondingId.set(store, id + 1n);
    return id;
  }
}

