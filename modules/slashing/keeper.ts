// Punishing validator faults that CometBFT reports, as the SDK's x/slashing and x/evidence do:
//  - downtime: every block, each validator in the last commit either signed or missed; a validator
//    that missed more than (1 − min_signed) of the last signed_blocks_window blocks (after a first
//    full window) loses downtime_bps of its stake and is jailed for downtime_jail_duration;
//  - double signing: each piece of misbehavior evidence, once (keyed by its hash) and only while
//    younger than max_evidence_age_blocks, slashes double_sign_bps of the stake the validator had at
//    the fault (unbonding and redelegated stake included), jails it and tombstones it for good.
// Jailing removes the validator from CometBFT's set at the end of the block (a power-0 update).
import { Misbehavior, MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import type { ValidatorSigningInfo } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import { BondStatus } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { Context } from '../../core/framework/context.ts';
import type { KVRead, KVStore } from '../../core/store/types.ts';
import { sha256 } from '../../core/crypto/hash.ts';
import { lengthPrefixedBytes } from '../../core/framework/collections.ts';
import { decFromBps } from '../../core/framework/dec.ts';
import { msToTimestamp, timestampMs } from '../../core/framework/time.ts';
import type { SlashingStaking } from './deps.ts';
import * as keys from './keys.ts';
import { DEFAULT_PARAMS, type SlashingParams, fromProtoParams } from './params.ts';

/** CometBFT applies validator updates two blocks later: a fault at h was signed with the set of h−1. */
export const VALIDATOR_UPDATE_DELAY = 1n;
/** Tombstoned validators stay jailed "forever": the SDK's DoubleSignJailEndTime, 9999-12-31T23:59:59Z. */
export const JAILED_FOREVER_MS = 253_402_300_799_000n;

export function consAddressText(ctx: { addresses: { prefix: string; encode(b: Uint8Array, p?: string): string } }, consAddr: Uint8Array): string {
  return ctx.addresses.encode(consAddr, `${ctx.addresses.prefix}valcons`);
}

export function newSigningInfo(address: string, startHeight: bigint): ValidatorSigningInfo {
  return { address, startHeight, indexOffset: 0n, jailedUntil: { seconds: 0n, nanos: 0 }, tombstoned: false, missedBlocksCounter: 0n };
}

export class SlashingKeeper {
  readonly staking: SlashingStaking;

  constructor(staking: SlashingStaking) {
    this.staking = staking;
  }

  async params(store: KVRead): Promise<SlashingParams> {
    const p = await keys.params.get(store);
    return p === undefined ? DEFAULT_PARAMS : fromProtoParams(p, (await keys.maxEvidenceAge.get(store)) ?? DEFAULT_PARAMS.maxEvidenceAgeBlocks);
  }

  signingInfo(store: KVRead, consAddr: Uint8Array): Promise<ValidatorSigningInfo | undefined> {
    return keys.signingInfos.get(store, consAddr);
  }

  /** One validator's vote on the previous block: slide its window; jail it if it missed too many. */
  async handleSignature(ctx: Context, params: SlashingParams, consAddr: Uint8Array, power: bigint, signed: boolean): Promise<void> {
    const validator = await this.staking.validatorByConsAddr(ctx.store, consAddr);
    if (validator === undefined || validator.jailed) return;
    const height = ctx.block.height;
    const info = (await keys.signingInfos.get(ctx.store, consAddr)) ?? newSigningInfo(consAddressText(ctx, consAddr), height);
    const window = params.signedBlocksWindow;
    const index = info.indexOffset % window;
    info.indexOffset += 1n;
    const wasMissed = (await keys.missedBlocks.get(ctx.store, [consAddr, index])) !== undefined;
    if (!signed && !wasMissed) {
      keys.missedBlocks.set(ctx.store, [consAddr, index], true);
      info.missedBlocksCounter += 1n;
    } else if (signed && wasMissed) {
      keys.missedBlocks.delete(ctx.store, [consAddr, index]);
      info.missedBlocksCounter -= 1n;
    }
    if (!signed) {
      ctx.events.emit('liveness', { address: info.address, missed_blocks: info.missedBlocksCounter.toString(), height: height.toString() });
    }
    const maxMissed = window - (window * params.minSignedBps) / 10_000n;
    // A validator gets one full window after it (re)joins before it can be judged.
    if (height > info.startHeight + window && info.missedBlocksCounter > maxMissed) {
      const infractionHeight = height - VALIDATOR_UPDATE_DELAY - 1n;
      const { burned } = await this.staking.slash(ctx, consAddr, infractionHeight < 0n ? 0n : infractionHeight, power, decFromBps(params.downtimeBps));
      await this.staking.setJailed(ctx, consAddr, true);
      info.jailedUntil = msToTimestamp(timestampMs(ctx.block.time) + params.downtimeJailMs);
      // The window starts over: a validator back from jail is not judged on what got it jailed.
      info.missedBlocksCounter = 0n;
      info.indexOffset = 0n;
      await this.#clearMissed(ctx.store, consAddr);
      ctx.events.emit('slash', { address: info.address, power: power.toString(), reason: 'missing_signature', jailed: info.address, burned: burned.toString() });
    }
    keys.signingInfos.set(ctx.store, consAddr, info);
  }

  /** Duplicate-vote (or light-client attack) evidence: slash, jail and tombstone, once per evidence. */
  async handleEvidence(ctx: Context, params: SlashingParams, m: Misbehavior): Promise<void> {
    if (m.type !== MisbehaviorType.DUPLICATE_VOTE && m.type !== MisbehaviorType.LIGHT_CLIENT_ATTACK) return;
    const hash = sha256(Misbehavior.encode(m).finish());
    if ((await keys.processedEvidence.get(ctx.store, [m.height, hash])) !== undefined) return;
    const consAddr = m.validator.address;
    const text = consAddressText(ctx, consAddr);
    const age = ctx.block.height - m.height;
    if (age > params.maxEvidenceAgeBlocks) {
      ctx.events.emit('evidence_ignored', { address: text, height: m.height.toString(), reason: 'too_old' });
      return;
    }
    keys.processedEvidence.set(ctx.store, [m.height, hash], true);
    const validator = await this.staking.validatorByConsAddr(ctx.store, consAddr);
    const info = await keys.signingInfos.get(ctx.store, consAddr);
    // A validator that has fully unbonded can no longer be slashed (the SDK ignores such evidence too).
    if (validator === undefined || validator.status === BondStatus.BOND_STATUS_UNBONDED || info === undefined || info.tombstoned) {
      const reason = info?.tombstoned === true ? 'tombstoned' : validator === undefined ? 'unknown_validator' : 'unbonded';
      ctx.events.emit('evidence_ignored', { address: text, height: m.height.toString(), reason });
      return;
    }
    const infractionHeight = m.height - VALIDATOR_UPDATE_DELAY;
    const { burned } = await this.staking.slash(ctx, consAddr, infractionHeight < 0n ? 0n : infractionHeight, m.validator.power, decFromBps(params.doubleSignBps));
    await this.staking.setJailed(ctx, consAddr, true);
    info.jailedUntil = msToTimestamp(JAILED_FOREVER_MS);
    info.tombstoned = true;
    keys.signingInfos.set(ctx.store, consAddr, info);
    ctx.events.emit('slash', { address: text, power: m.validator.power.toString(), reason: 'double_sign', jailed: text, burned: burned.toString() });
  }

  async #clearMissed(store: KVStore, consAddr: Uint8Array): Promise<void> {
    const indexes: bigint[] = [];
    for await (const [[, index]] of keys.missedBlocks.entries(store, { subPrefix: lengthPrefixedBytes.encode(consAddr) })) indexes.push(index);
    for (const i of indexes) keys.missedBlocks.delete(store, [consAddr, i]);
  }

  /** Evidence this old would be ignored anyway, so its record is no longer needed. */
  async pruneEvidence(store: KVStore, height: bigint, maxAge: bigint): Promise<void> {
    if (height <= maxAge) return;
    const stale: [bigint, Uint8Array][] = [];
    for await (const [[h, hash]] of keys.processedEvidence.entries(store)) {
      if (h >= height - maxAge) break;
      stale.push([h, hash]);
    }
    for (const k of stale) keys.processedEvidence.delete(store, k);
  }
}
