// The registry's state operations. Messages, queries, block hooks and the exported API (api.ts)
// all go through here; every write to the bonds module account happens in this file or in the
// bond messages, so the invariant "bonds + unbonding = registry_bonds balance" is easy to audit.
import { moduleAddress } from '../../core/framework/address.ts';
import { type Amount, formatCoins } from '../../core/framework/coins.ts';
import type { Context } from '../../core/framework/context.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import {
  type Attestation,
  type GpuCommitment,
  type Model,
  type Operator,
  OperatorStatus,
  type Params,
  type PayerKey,
  TeeType,
  TrustLevel,
  type UnbondingEntry,
} from '../../proto/gen/cairn/registry/v1/types.ts';
import type { RegistryBank } from './deps.ts';
import { ErrInvalidSlash, ErrNotJailed, ErrOperatorNotFound, ErrOperatorTombstoned, ErrStillJailed } from './errors.ts';
import { EVENTS } from './events.ts';
import * as keys from './keys.ts';
import { BPS } from './validate.ts';

/** A receipt key and the heights it signs for: [validFrom, validUntil), open-ended for the current key. */
export interface ReceiptKeyInfo {
  readonly key: Uint8Array;
  readonly validFrom: bigint;
  /** undefined for the current key. */
  readonly validUntil: bigint | undefined;
}

/** The receipt key of `windows` that signed for the operator at `height` (validFrom <= height < validUntil). */
export function receiptKeyAt<K extends ReceiptKeyInfo>(windows: readonly K[], height: bigint): K | undefined {
  return windows.find((w) => w.validFrom <= height && (w.validUntil === undefined || height < w.validUntil));
}

/** Whether a payer key record authorises signing at `height`: authorised at or before it, not revoked by then. */
export function payerKeyValidAt(record: Pick<PayerKey, 'authorizedHeight' | 'revokedHeight'> | undefined, height: bigint): boolean {
  if (record === undefined || height < record.authorizedHeight) return false;
  return record.revokedHeight === 0n || height < record.revokedHeight;
}

export interface SlashResult {
  readonly slashed: Amount[];
}

export interface SlashOptions {
  /** Module account that receives the slashed coins; without it they are burned. */
  readonly recipientModule?: string;
}

/** Where a module keeps the evidence it has punished, so the same evidence is never punished twice. */
export interface EvidenceLog {
  record(ctx: Context, hash: Uint8Array): void;
}

/** One proven fault of an operator, as the punishing module states it (its own params and evidence). */
export interface Punishment {
  /** Share of the bond and of each unbonding entry slashed, 1..10000 basis points. */
  readonly bps: number;
  /** The fault's name in the slash, jail and tombstone events. */
  readonly reason: string;
  /** After the slash: jail for `jailBlocks` blocks, tombstone, or neither. */
  readonly then: 'jail' | 'tombstone' | 'none';
  /** With `then: 'jail'`: blocks from this one until the operator may unjail. */
  readonly jailBlocks?: bigint;
  /** Who proved the fault and is owed the reward; undefined when the chain found it itself. Never the operator. */
  readonly prover?: Uint8Array;
  /** The prover's share of the slash in basis points; the rest is burned. */
  readonly rewardBps: number;
  /**
   * The module account the slashed coins pass through on their way to the prover and the burn
   * (the punishing module's penalty account). Without it they are burned straight from the bonds
   * account, and nobody can be rewarded.
   */
  readonly via?: string;
  /** The evidence to record as processed, in the punishing module's own log. */
  readonly evidence?: { readonly hash: Uint8Array; readonly log: EvidenceLog };
}

export interface PunishResult {
  /** What left the bond and unbonding entries (empty when there was nothing to take). */
  readonly slashed: Amount[];
  /** What the prover got, in the bond's denom. */
  readonly reward: bigint;
  /** The jail's end height; 0 when not jailed. */
  readonly jailedUntil: bigint;
}

export class RegistryKeeper {
  readonly #bank: RegistryBank;

  constructor(bank: RegistryBank) {
    this.#bank = bank;
  }

  async params(store: KVRead): Promise<Params> {
    const p = await keys.params.get(store);
    if (p === undefined) throw new Error('registry params are missing from state (genesis not initialised)');
    return p;
  }

  /** Unix seconds of the block this state belongs to (written at the start of every block). */
  async blockTime(store: KVRead): Promise<bigint> {
    return (await keys.blockTime.get(store))?.seconds ?? 0n;
  }

  async getOperator(store: KVRead, address: Uint8Array): Promise<Operator | undefined> {
    return keys.operators.get(store, address);
  }

  /** Every operator as (address, record), in address order. */
  async *allOperators(store: KVRead): AsyncIterable<[Uint8Array, Operator]> {
    for await (const entry of keys.operators.entries(store)) yield entry;
  }

  async requireOperator(store: KVRead, address: Uint8Array, bech32: string): Promise<Operator> {
    const op = await keys.operators.get(store, address);
    if (op === undefined) throw ErrOperatorNotFound.wrap(bech32);
    return op;
  }

  /** An operator that may still change its listing: registered and not tombstoned. */
  async requireListedOperator(store: KVRead, address: Uint8Array, bech32: string): Promise<Operator> {
    const op = await this.requireOperator(store, address, bech32);
    if (op.status === OperatorStatus.OPERATOR_STATUS_TOMBSTONED) throw ErrOperatorTombstoned.wrap(bech32);
    return op;
  }

  setOperator(store: KVStore, address: Uint8Array, op: Operator): void {
    keys.operators.set(store, address, op);
  }

  /** Active: status ACTIVE and a bond of at least the current minimum. */
  isActive(op: Operator, params: Params): boolean {
    const min = params.minOperatorBond!;
    return op.status === OperatorStatus.OPERATOR_STATUS_ACTIVE && op.bond?.denom === min.denom && BigInt(op.bond.amount) >= BigInt(min.amount);
  }

  async isActiveOperator(store: KVRead, address: Uint8Array): Promise<boolean> {
    const op = await keys.operators.get(store, address);
    return op !== undefined && this.isActive(op, await this.params(store));
  }

  async gpusOf(store: KVRead, address: Uint8Array): Promise<GpuCommitment[]> {
    const out: GpuCommitment[] = [];
    for await (const [, g] of keys.gpus.entries(store, { subPrefix: keys.addressPrefix(address) })) out.push(g);
    return out;
  }

  async unbondingOf(store: KVRead, address: Uint8Array): Promise<UnbondingEntry[]> {
    const out: UnbondingEntry[] = [];
    for await (const [, e] of keys.unbonding.entries(store, { subPrefix: keys.addressPrefix(address) })) out.push(e);
    return out;
  }

  /** The current receipt key and every rotated-out one, oldest first. */
  async receiptKeysOf(store: KVRead, address: Uint8Array): Promise<ReceiptKeyInfo[]> {
    const op = await keys.operators.get(store, address);
    if (op === undefined) return [];
    const retired: ReceiptKeyInfo[] = [];
    for await (const [, r] of keys.retiredKeys.entries(store, { subPrefix: keys.addressPrefix(address) })) {
      retired.push({ key: r.key, validFrom: r.validFrom, validUntil: r.validUntil });
    }
    retired.sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
    return [...retired, { key: op.receiptKey, validFrom: op.receiptKeySince, validUntil: undefined }];
  }

  /** The payer's record of `key` (authorised and revoked heights), or undefined if the payer never authorised it. */
  async payerKeyOf(store: KVRead, payer: Uint8Array, key: Uint8Array): Promise<PayerKey | undefined> {
    return keys.payerKeys.get(store, [payer, key]);
  }

  /** Whether `key` was an authorised receipt key of `payer` at `height`. */
  async payerKeyAuthorized(store: KVRead, payer: Uint8Array, key: Uint8Array, height: bigint): Promise<boolean> {
    return payerKeyValidAt(await this.payerKeyOf(store, payer, key), height);
  }

  async modelOf(store: KVRead, id: string): Promise<Model | undefined> {
    return keys.models.get(store, id);
  }

  async getAttestation(store: KVRead, id: Uint8Array): Promise<Attestation | undefined> {
    return keys.attestations.get(store, id);
  }

  /** The attestations of each GPU that count at `now` (unix seconds): issued_at <= now < expires_at. */
  async currentAttestationsOf(store: KVRead, address: Uint8Array, now: bigint): Promise<Attestation[]> {
    const out: Attestation[] = [];
    for await (const [, id] of keys.currentAttestations.entries(store, { subPrefix: keys.addressPrefix(address) })) {
      const a = await keys.attestations.get(store, id);
      if (a !== undefined && a.issuedAt <= now && now < a.expiresAt) out.push(a);
    }
    return out;
  }

  /** Verified TEE > self-declared (TEE_TYPE_NONE) > nothing. */
  trustLevel(current: readonly Attestation[]): TrustLevel {
    if (current.some((a) => a.teeType !== TeeType.TEE_TYPE_NONE)) return TrustLevel.TRUST_LEVEL_VERIFIED_TEE;
    return current.length > 0 ? TrustLevel.TRUST_LEVEL_SELF_DECLARED : TrustLevel.TRUST_LEVEL_NONE;
  }

  async takeUnbondingId(store: KVStore): Promise<bigint> {
    const id = (await keys.nextUnbondingId.get(store)) ?? 1n;
    keys.nextUnbondingId.set(store, id + 1n);
    return id;
  }

  setUnbondingEntry(store: KVStore, address: Uint8Array, entry: UnbondingEntry): void {
    keys.unbonding.set(store, [address, entry.id], entry);
    keys.unbondingQueue.set(store, [entry.completionHeight, address, entry.id], true);
  }

  deleteUnbondingEntry(store: KVStore, address: Uint8Array, entry: UnbondingEntry): void {
    keys.unbonding.delete(store, [address, entry.id]);
    keys.unbondingQueue.delete(store, [entry.completionHeight, address, entry.id]);
  }

  /** End of block: pays out every unbonding entry whose completion height has come. */
  async releaseMatured(ctx: Context): Promise<void> {
    const due: [Uint8Array, bigint][] = [];
    for await (const [[height, address, id]] of keys.unbondingQueue.entries(ctx.store)) {
      if (height > ctx.block.height) break;
      due.push([address, id]);
    }
    for (const [address, id] of due) {
      const entry = await keys.unbonding.get(ctx.store, [address, id]);
      if (entry === undefined) throw new Error(`unbonding queue names a missing entry ${id}`);
      const amount: Amount = { denom: entry.amount!.denom, amount: BigInt(entry.amount!.amount) };
      await this.#bank.sendFromModule(ctx, keys.BONDS_ACCOUNT, address, [amount]);
      this.deleteUnbondingEntry(ctx.store, address, entry);
      ctx.events.emit(EVENTS.completeUnbonding, { operator: entry.operator, amount: formatCoins([amount]), unbonding_id: id.toString() });
    }
  }

  /**
   * Slashes `bps` of the operator's bond and of each of its unbonding entries (each rounded down,
   * so the rounding remainder stays with the operator). The slashed coins leave the bonds account:
   * to `opts.recipientModule` if given (the slashing module pays the challenger and burns the rest
   * there), otherwise they are burned here.
   */
  async slashOperator(ctx: Context, address: Uint8Array, bps: number, reason: string, opts: SlashOptions = {}): Promise<SlashResult> {
    if (!Number.isInteger(bps) || bps < 1 || bps > BPS) throw ErrInvalidSlash.wrap(`${bps} bps is not between 1 and ${BPS}`);
    const bech32 = ctx.addresses.encode(address);
    const op = await this.requireOperator(ctx.store, address, bech32);
    const fraction = (amount: bigint): bigint => (amount * BigInt(bps)) / BigInt(BPS);
    const denom = op.bond!.denom;
    let total = 0n;
    const fromBond = fraction(BigInt(op.bond!.amount));
    if (fromBond > 0n) {
      this.setOperator(ctx.store, address, { ...op, bond: { denom, amount: (BigInt(op.bond!.amount) - fromBond).toString() } });
      total += fromBond;
    }
    for (const entry of await this.unbondingOf(ctx.store, address)) {
      const have = BigInt(entry.amount!.amount);
      const cut = fraction(have);
      if (cut === 0n) continue;
      total += cut;
      if (cut === have) this.deleteUnbondingEntry(ctx.store, address, entry);
      else keys.unbonding.set(ctx.store, [address, entry.id], { ...entry, amount: { denom, amount: (have - cut).toString() } });
    }
    const slashed: Amount[] = total > 0n ? [{ denom, amount: total }] : [];
    if (total > 0n) {
      if (opts.recipientModule === undefined) await this.#bank.burn(ctx, keys.BONDS_ACCOUNT, slashed);
      else await this.#bank.send(ctx, moduleAddress(keys.BONDS_ACCOUNT), moduleAddress(opts.recipientModule), slashed);
    }
    ctx.events.emit(EVENTS.slashOperator, {
      operator: bech32,
      bps: String(bps),
      reason,
      amount: formatCoins(slashed),
      destination: opts.recipientModule ?? 'burned',
    });
    return { slashed };
  }

  /**
   * The one way an operator is punished for a proven fault: slash the bond and unbonding entries,
   * pay the prover its share, burn the rest, then jail or tombstone, and record the evidence as
   * processed. Every fault of every module (receipts, forged attestations, fake capacity) comes
   * here, so the money and the events of a punishment are the same whoever proved it.
   */
  async punishOperator(ctx: Context, address: Uint8Array, p: Punishment): Promise<PunishResult> {
    const { slashed } = await this.slashOperator(ctx, address, p.bps, p.reason, p.via === undefined ? {} : { recipientModule: p.via });
    let reward = 0n;
    if (p.via !== undefined) {
      const rewarded = p.prover !== undefined && !Buffer.from(p.prover).equals(address);
      for (const coin of slashed) {
        const cut = rewarded ? (coin.amount * BigInt(p.rewardBps)) / BigInt(BPS) : 0n;
        if (cut > 0n) await this.#bank.sendFromModule(ctx, p.via, p.prover!, [{ denom: coin.denom, amount: cut }]);
        if (coin.amount > cut) await this.#bank.burn(ctx, p.via, [{ denom: coin.denom, amount: coin.amount - cut }]);
        reward += cut;
      }
    }
    let jailedUntil = 0n;
    if (p.then === 'tombstone') await this.tombstone(ctx, address, p.reason);
    if (p.then === 'jail') {
      if (p.jailBlocks === undefined) throw new Error(`punishing for ${p.reason}: a jail needs jailBlocks`);
      jailedUntil = ctx.block.height + p.jailBlocks;
      await this.jail(ctx, address, jailedUntil, p.reason);
    }
    if (p.evidence !== undefined) p.evidence.log.record(ctx, p.evidence.hash);
    return { slashed, reward, jailedUntil };
  }

  /**
   * Drops one GPU commitment (and its current-attestation pointer, as MsgCommitGpus does for a GPU
   * that disappears): the fake-capacity fault's "commitment removed". Returns whether there was one.
   */
  async removeGpuCommitment(ctx: Context, address: Uint8Array, gpuId: string): Promise<boolean> {
    if ((await keys.gpus.get(ctx.store, [address, gpuId])) === undefined) return false;
    keys.gpus.delete(ctx.store, [address, gpuId]);
    keys.currentAttestations.delete(ctx.store, [address, gpuId]);
    ctx.events.emit('remove_gpu_commitment', { operator: ctx.addresses.encode(address), gpu_id: gpuId });
    return true;
  }

  /** Writes the emission module's reputation score (0..10000) into the operator record; no-op for an unknown operator. */
  async setReputation(ctx: Context, address: Uint8Array, score: number): Promise<void> {
    const op = await keys.operators.get(ctx.store, address);
    if (op === undefined || op.reputation === BigInt(score)) return;
    this.setOperator(ctx.store, address, { ...op, reputation: BigInt(score) });
  }

  /** Takes the operator out of the catalog until `untilHeight` (and an unjail). No-op when tombstoned. */
  async jail(ctx: Context, address: Uint8Array, untilHeight: bigint, reason: string): Promise<void> {
    const bech32 = ctx.addresses.encode(address);
    const op = await this.requireOperator(ctx.store, address, bech32);
    if (op.status === OperatorStatus.OPERATOR_STATUS_TOMBSTONED) return;
    const until = op.status === OperatorStatus.OPERATOR_STATUS_JAILED && op.jailedUntil > untilHeight ? op.jailedUntil : untilHeight;
    this.setOperator(ctx.store, address, { ...op, status: OperatorStatus.OPERATOR_STATUS_JAILED, jailedUntil: until });
    ctx.events.emit(EVENTS.jailOperator, { operator: bech32, until_height: until.toString(), reason });
  }

  /** Ends a jail whose period is over: active again if the bond still meets the minimum. */
  async unjail(ctx: Context, address: Uint8Array): Promise<void> {
    const bech32 = ctx.addresses.encode(address);
    const op = await this.requireOperator(ctx.store, address, bech32);
    if (op.status !== OperatorStatus.OPERATOR_STATUS_JAILED) throw ErrNotJailed.wrap(bech32);
    if (ctx.block.height < op.jailedUntil) throw ErrStillJailed.wrap(`${bech32} is jailed until height ${op.jailedUntil}`);
    const params = await this.params(ctx.store);
    const next: Operator = { ...op, status: OperatorStatus.OPERATOR_STATUS_ACTIVE, jailedUntil: 0n };
    if (!this.isActive(next, params)) next.status = OperatorStatus.OPERATOR_STATUS_UNBONDING;
    this.setOperator(ctx.store, address, next);
    ctx.events.emit(EVENTS.unjailOperator, { operator: bech32 });
  }

  /** Permanently removes the operator from the catalog. Its bond can still be unbonded (and slashed until released). */
  async tombstone(ctx: Context, address: Uint8Array, reason: string): Promise<void> {
    const bech32 = ctx.addresses.encode(address);
    const op = await this.requireOperator(ctx.store, address, bech32);
    this.setOperator(ctx.store, address, { ...op, status: OperatorStatus.OPERATOR_STATUS_TOMBSTONED, jailedUntil: 0n });
    ctx.events.emit(EVENTS.tombstoneOperator, { operator: bech32, reason });
  }
}
