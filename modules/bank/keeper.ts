// Balances, transfers, mint and burn. Other modules get exactly this (see BankApi); the supply
// only changes through mint and burn, so "supply = sum of balances" holds by construction.
import type { Params } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { type AddressCodec, moduleAddress } from '../../core/framework/address.ts';
import { type Amount, amountOf, formatCoins } from '../../core/framework/coins.ts';
import type { Context } from '../../core/framework/context.ts';
import { ErrInsufficientFunds, ErrUnauthorized } from '../../core/framework/sdk-errors.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import type { AuthApi } from '../auth/api.ts';
import * as keys from './keys.ts';
import { BankView } from './view.ts';

const NO_COINS: readonly Amount[] = Object.freeze([]);

export const DEFAULT_PARAMS: Params = { sendEnabled: [], defaultSendEnabled: true };

export class BankKeeper extends BankView {
  readonly #accounts: AuthApi;

  constructor(accounts: AuthApi) {
    super();
    this.#accounts = accounts;
  }

  params(store: KVRead): Promise<Params> {
    return keys.params.get(store).then((p) => p ?? DEFAULT_PARAMS);
  }

  async isSendEnabled(store: KVRead, denom: string): Promise<boolean> {
    const p = await this.params(store);
    return p.sendEnabled.find((s) => s.denom === denom)?.enabled ?? p.defaultSendEnabled;
  }

  /**
   * Users may not send to module accounts (the SDK's blocked addresses): coins there belong to a
   * module's books (fees, bonds, escrow), and a stray transfer would break its invariants.
   */
  async assertMayReceive(store: KVRead, address: Uint8Array, bech32: string): Promise<void> {
    if ((await this.#accounts.get(store, address))?.kind === 'module') {
      throw ErrUnauthorized.wrap(`${bech32} is a module account and is not allowed to receive funds`);
    }
  }

  /** What `address` may send at unix time `now`: its balances less a vesting account's locked coins. */
  async spendableCoins(store: KVRead, address: Uint8Array, now: bigint): Promise<Amount[]> {
    const locked = await this.#accounts.lockedCoins(store, address, now);
    return (await this.balances(store, address))
      .map((b) => ({ denom: b.denom, amount: b.amount - amountOf(locked, b.denom) }))
      .filter((b) => b.amount > 0n);
  }

  // send and the module sends hand back #move's promise rather than awaiting it in a frame of their
  // own: each async frame is garbage, and a bank send makes two sends (its fee and its message) a pass.

  /** Moves coins; creates the recipient's account if it has none. */
  send(ctx: Context, from: Uint8Array, to: Uint8Array, amounts: readonly Amount[]): Promise<void> {
    return this.#move(ctx, from, to, amounts, true);
  }

  async #move(ctx: Context, from: Uint8Array, to: Uint8Array, amounts: readonly Amount[], respectLocks: boolean): Promise<void> {
    await this.#subtract(ctx, from, amounts, respectLocks);
    await this.#add(ctx, to, amounts);
    this.#transferEvent(ctx, from, to, amounts);
  }

  #transferEvent(ctx: Context, from: Uint8Array, to: Uint8Array, amounts: readonly Amount[]): void {
    if (!ctx.events.kept) return;
    ctx.events.emit('transfer', {
      recipient: ctx.addresses.encode(to),
      sender: ctx.addresses.encode(from),
      amount: formatCoins(amounts),
    });
  }

  /**
   * Moves coins from an account into a module's bond (staking's pools), as the SDK's DelegateCoins:
   * locked (vesting) coins may go, and a vesting account records how much of the bond was locked.
   */
  async delegateCoins(ctx: Context, from: Uint8Array, module: string, amounts: readonly Amount[]): Promise<void> {
    for (const a of amounts) {
      const have = await this.balance(ctx.store, from, a.denom);
      if (have < a.amount) throw ErrInsufficientFunds.wrap(`failed to delegate; ${have}${a.denom} is smaller than ${formatCoins(amounts)}`);
    }
    await this.#accounts.trackDelegation(ctx.store, from, ctx.block.time.seconds, amounts);
    await this.#move(ctx, from, moduleAddress(module), amounts, false);
  }

  /** Coins coming back from a module's bond to an account (the SDK's UndelegateCoins), tracked on a vesting account. */
  async undelegateCoins(ctx: Context, module: string, to: Uint8Array, amounts: readonly Amount[]): Promise<void> {
    await this.#subtract(ctx, moduleAddress(module), amounts, true);
    await this.#accounts.trackUndelegation(ctx.store, to, amounts);
    await this.#add(ctx, to, amounts);
    this.#transferEvent(ctx, moduleAddress(module), to, amounts);
  }

  sendFromModule(ctx: Context, module: string, to: Uint8Array, amounts: readonly Amount[]): Promise<void> {
    return this.#move(ctx, moduleAddress(module), to, amounts, true);
  }

  sendToModule(ctx: Context, from: Uint8Array, module: string, amounts: readonly Amount[]): Promise<void> {
    return this.#move(ctx, from, moduleAddress(module), amounts, true);
  }

  async mint(ctx: Context, module: string, amounts: readonly Amount[]): Promise<void> {
    const address = moduleAddress(module);
    await this.#add(ctx, address, amounts);
    for (const a of amounts) keys.supply.set(ctx.store, a.denom, (await this.supplyOf(ctx.store, a.denom)) + a.amount);
    ctx.events.emit('coinbase', { minter: ctx.addresses.encode(address), amount: formatCoins(amounts) });
  }

  async burn(ctx: Context, module: string, amounts: readonly Amount[]): Promise<void> {
    const address = moduleAddress(module);
    await this.#subtract(ctx, address, amounts, true);
    for (const a of amounts) {
      const left = (await this.supplyOf(ctx.store, a.denom)) - a.amount;
      if (left === 0n) keys.supply.delete(ctx.store, a.denom);
      else keys.supply.set(ctx.store, a.denom, left);
    }
    ctx.events.emit('burn', { burner: ctx.addresses.encode(address), amount: formatCoins(amounts) });
  }

  /** Genesis only: sets a balance without events; the caller credits the supply (addGenesisSupply) once for all. */
  initBalance(store: KVStore, address: Uint8Array, amount: Amount): void {
    keys.balances.set(store, [address, amount.denom], amount.amount);
  }

  /** Genesis only: adds each denom's total of the genesis balances to its supply. */
  async addGenesisSupply(store: KVStore, totals: ReadonlyMap<string, bigint>): Promise<void> {
    for (const [denom, amount] of totals) keys.supply.set(store, denom, (await this.supplyOf(store, denom)) + amount);
  }

  /**
   * The keys crediting coins of `denoms` to `bech32` reads (its account and balances), for a send's
   * MsgHandler.readAhead; none for an address that does not decode (validate refuses it).
   */
  receiveKeys(addresses: AddressCodec, bech32: string, denoms: readonly string[]): Uint8Array[] {
    let address: Uint8Array;
    try {
      address = addresses.decode(bech32);
    } catch {
      return [];
    }
    return [this.#accounts.accountKey(address), ...denoms.map((denom) => keys.balances.storeKey([address, denom]))];
  }

  /** `respectLocks`: a vesting account's locked coins stay (every move but a delegation). */
  async #subtract(ctx: Context, address: Uint8Array, amounts: readonly Amount[], respectLocks: boolean): Promise<void> {
    const locked = respectLocks ? await this.#accounts.lockedCoins(ctx.store, address, ctx.block.time.seconds) : NO_COINS;
    for (const a of amounts) {
      const key = keys.balances.storeKey([address, a.denom]);
      const have = (await keys.balances.getAt(ctx.store, key)) ?? 0n;
      const lockedAmount = amountOf(locked, a.denom);
      if (have < lockedAmount) {
        throw ErrInsufficientFunds.wrap(`locked amount exceeds account balance funds: ${lockedAmount}${a.denom} > ${have}${a.denom}`);
      }
      if (have - lockedAmount < a.amount) {
        throw ErrInsufficientFunds.wrap(`spendable balance ${have - lockedAmount}${a.denom} is smaller than ${a.amount}${a.denom}`);
      }
      if (have === a.amount) ctx.store.delete(key);
      else keys.balances.setAt(ctx.store, key, have - a.amount);
    }
    if (ctx.events.kept) ctx.events.emit('coin_spent', { spender: ctx.addresses.encode(address), amount: formatCoins(amounts) });
  }

  async #add(ctx: Context, address: Uint8Array, amounts: readonly Amount[]): Promise<void> {
    await this.#accounts.ensure(ctx.store, address, ctx.addresses.encode(address));
    for (const a of amounts) {
      if (a.amount === 0n) continue;
      const key = keys.balances.storeKey([address, a.denom]);
      keys.balances.setAt(ctx.store, key, ((await keys.balances.getAt(ctx.store, key)) ?? 0n) + a.amount);
    }
    if (ctx.events.kept) ctx.events.emit('coin_received', { receiver: ctx.addresses.encode(address), amount: formatCoins(amounts) });
  }
}
