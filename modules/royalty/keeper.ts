// Splits settled amounts (protocol fee, royalties, operator) and keeps the royalty ledger: lifetime
// entries per recipient, accruals per epoch (the leaves of each epoch's root) and the obligations of
// OFFCHAIN batches. Coins move only in settleEscrow, out of the account of the module that held them.
import { type Amount, formatCoins } from '../../core/framework/coins.ts';
import type { Context } from '../../core/framework/context.ts';
import { moduleAddress } from '../../core/framework/address.ts';
import { u64Key } from '../../core/framework/collections.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import { ModelKind } from '../../proto/gen/cairn/registry/v1/types.ts';
import type { EpochRoot, LedgerEntry, Params, Split, SplitTerms } from '../../proto/gen/cairn/royalty/v1/types.ts';
import type { RoyaltyBank, RoyaltyRegistry } from './deps.ts';
import { ErrInvalidTerms, ErrModelNotFound } from './errors.ts';
import { EVENTS } from './events.ts';
import * as keys from './keys.ts';
import { accrualRoot } from './merkle.ts';
import { type SplitAmounts, computeSplit, splitToProto } from './split.ts';

export interface Settlement {
  /** The module account holding the coins (escrow). */
  readonly fromModule: string;
  readonly denom: string;
  readonly total: bigint;
  readonly operator: Uint8Array;
  readonly terms: SplitTerms;
  /** The epoch the settlement happens in (its accruals join that epoch's root). */
  readonly epoch: bigint;
  readonly batchId?: bigint;
}

export class RoyaltyKeeper {
  readonly #bank: RoyaltyBank;
  readonly #registry: RoyaltyRegistry;

  constructor(bank: RoyaltyBank, registry: RoyaltyRegistry) {
    this.#bank = bank;
    this.#registry = registry;
  }

  async params(store: KVRead): Promise<Params> {
    const p = await keys.params.get(store);
    if (p === undefined) throw new Error('royalty params are missing from state (genesis not initialised)');
    return p;
  }

  /**
   * The terms a batch of `modelId` (a base model) served through `adapterId` ("" for none) is
   * settled with: the adapter's royalty and the base's, or the base's alone.
   */
  async termsFor(store: KVRead, modelId: string, adapterId: string): Promise<SplitTerms> {
    const base = await this.#registry.modelOf(store, modelId);
    if (base === undefined) throw ErrModelNotFound.wrap(modelId);
    if (base.kind !== ModelKind.MODEL_KIND_BASE) throw ErrInvalidTerms.wrap(`${modelId} is not a base model`);
    const baseRecipients = base.recipients.map((r) => ({ address: r.address, weightBps: r.weightBps }));
    if (adapterId === '') {
      return { modelId, modelRoyaltyBps: base.royaltyBps, modelRecipients: baseRecipients, baseModelId: '', baseRoyaltyBps: 0, baseRecipients: [] };
    }
    const adapter = await this.#registry.modelOf(store, adapterId);
    if (adapter === undefined) throw ErrModelNotFound.wrap(adapterId);
    if (adapter.kind !== ModelKind.MODEL_KIND_ADAPTER || adapter.baseModelId !== modelId) {
      throw ErrInvalidTerms.wrap(`${adapterId} is not an adapter of ${modelId}`);
    }
    return {
      modelId: adapterId,
      modelRoyaltyBps: adapter.royaltyBps,
      modelRecipients: adapter.recipients.map((r) => ({ address: r.address, weightBps: r.weightBps })),
      baseModelId: modelId,
      baseRoyaltyBps: base.royaltyBps,
      baseRecipients,
    };
  }

  async preview(store: KVRead, total: bigint, terms: SplitTerms): Promise<SplitAmounts> {
    return computeSplit(total, terms, await this.params(store));
  }

  /** Pays the split out of `s.fromModule`: burns, treasury, each royalty recipient, the operator. */
  async settleEscrow(ctx: Context, s: Settlement): Promise<Split> {
    const amounts = computeSplit(s.total, s.terms, await this.params(ctx.store));
    const coin = (amount: bigint): Amount[] => [{ denom: s.denom, amount }];
    const from = moduleAddress(s.fromModule);
    if (amounts.feeBurned > 0n) await this.#bank.burn(ctx, s.fromModule, coin(amounts.feeBurned));
    if (amounts.feeTreasury > 0n) await this.#bank.send(ctx, from, moduleAddress(keys.TREASURY_ACCOUNT), coin(amounts.feeTreasury));
    for (const r of amounts.royalties) {
      if (r.amount > 0n) await this.#bank.send(ctx, from, ctx.addresses.decode(r.address), coin(r.amount));
    }
    if (amounts.operatorAmount > 0n) await this.#bank.send(ctx, from, s.operator, coin(amounts.operatorAmount));
    await this.#record(ctx, s, amounts, 'paid');
    return splitToProto(s.denom, s.total, ctx.addresses.encode(s.operator), amounts);
  }

  /** Records what an OFFCHAIN batch owes (nothing moves on chain) and its payment-references root. */
  async recordOwed(ctx: Context, s: Settlement & { readonly batchId: bigint; readonly batchEpoch: bigint; readonly paymentRefsRoot: Uint8Array }): Promise<Split> {
    const amounts = computeSplit(s.total, s.terms, await this.params(ctx.store));
    await this.#record(ctx, s, amounts, 'owed');
    const split = splitToProto(s.denom, s.total, ctx.addresses.encode(s.operator), amounts);
    keys.owed.set(ctx.store, s.batchId, { batchId: s.batchId, epoch: s.batchEpoch, paymentRefsRoot: s.paymentRefsRoot, split, height: ctx.block.height });
    return split;
  }

  async #record(ctx: Context, s: Settlement, amounts: SplitAmounts, kind: 'paid' | 'owed'): Promise<void> {
    for (const r of amounts.royalties) {
      if (r.amount === 0n) continue;
      const address = ctx.addresses.decode(r.address);
      const entry = (await keys.ledger.get(ctx.store, address)) ?? { recipient: r.address, denom: s.denom, paid: '0', owed: '0', updatedHeight: 0n };
      keys.ledger.set(ctx.store, address, {
        ...entry,
        paid: kind === 'paid' ? (BigInt(entry.paid) + r.amount).toString() : entry.paid,
        owed: kind === 'owed' ? (BigInt(entry.owed) + r.amount).toString() : entry.owed,
        updatedHeight: ctx.block.height,
      });
      const existing = await keys.accruals.get(ctx.store, [s.epoch, address]);
      if (existing === undefined) keys.recipientEpochs.set(ctx.store, [address, s.epoch], true);
      const accrual = existing ?? { epoch: s.epoch, recipient: r.address, paid: '0', owed: '0' };
      keys.accruals.set(ctx.store, [s.epoch, address], {
        ...accrual,
        paid: kind === 'paid' ? (BigInt(accrual.paid) + r.amount).toString() : accrual.paid,
        owed: kind === 'owed' ? (BigInt(accrual.owed) + r.amount).toString() : accrual.owed,
      });
      ctx.events.emit(EVENTS.royalty, { recipient: r.address, model_id: r.modelId, amount: formatCoins([{ denom: s.denom, amount: r.amount }]), kind, batch_id: String(s.batchId ?? '') });
    }
    ctx.events.emit(EVENTS.split, {
      batch_id: String(s.batchId ?? ''),
      mode: kind === 'paid' ? 'escrow' : 'offchain',
      total: formatCoins([{ denom: s.denom, amount: s.total }]),
      fee_burned: amounts.feeBurned.toString(),
      fee_treasury: amounts.feeTreasury.toString(),
      royalties: amounts.royalties.reduce((t, r) => t + r.amount, 0n).toString(),
      operator_amount: amounts.operatorAmount.toString(),
    });
  }

  /** Ends an epoch: stores and emits the root over its accruals. */
  async closeEpoch(ctx: Context, epoch: bigint): Promise<EpochRoot> {
    const leaves: { epoch: bigint; recipient: Uint8Array; paid: bigint; owed: bigint }[] = [];
    let paid = 0n;
    let owed = 0n;
    for await (const [[, recipient], a] of keys.accruals.entries(ctx.store, { subPrefix: u64Key.encode(epoch) })) {
      const leaf = { epoch, recipient: recipient.slice(), paid: BigInt(a.paid), owed: BigInt(a.owed) };
      leaves.push(leaf);
      paid += leaf.paid;
      owed += leaf.owed;
    }
    const root: EpochRoot = { epoch, root: accrualRoot(leaves), recipients: BigInt(leaves.length), paid: paid.toString(), owed: owed.toString(), height: ctx.block.height };
    keys.epochRoots.set(ctx.store, epoch, root);
    ctx.events.emit(EVENTS.epochRoot, { epoch: epoch.toString(), root: Buffer.from(root.root).toString('hex'), recipients: String(leaves.length), paid: root.paid, owed: root.owed });
    return root;
  }

  async ledgerOf(store: KVRead, recipient: Uint8Array): Promise<LedgerEntry | undefined> {
    return keys.ledger.get(store, recipient);
  }

  async epochRoot(store: KVRead, epoch: bigint): Promise<EpochRoot | undefined> {
    return keys.epochRoots.get(store, epoch);
  }

  setParams(store: KVStore, p: Params): void {
    keys.params.set(store, p);
  }
}
