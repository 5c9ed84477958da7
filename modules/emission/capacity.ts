// Capacity challenges: on each epoch's last block the chain picks committed GPUs of active operators
// from the block hash, and anyone may open one with a bond (MsgChallengeCapacity); the operator answers MsgProveCapacity with a benchmark signed by a trusted
// verifier within `capacity_window` blocks, or suffers the fake-capacity fault (slash, jail, the GPU
// commitment removed).
import { createHash } from 'node:crypto';
import { formatCoins } from '../../core/framework/coins.ts';
import type { Context } from '../../core/framework/context.ts';
import type { KVRead } from '../../core/store/types.ts';
import { type CapacityChallenge, ChallengeStatus, type Params } from '../../proto/gen/cairn/emission/v1/types.ts';
import { OperatorStatus } from '../../proto/gen/cairn/registry/v1/types.ts';
import { concatBytes, u32 } from '../../sdk/bytes.ts';
import type { EmissionKeeper } from './keeper.ts';
import * as keys from './keys.ts';

interface Candidate {
  readonly operator: Uint8Array;
  readonly bech32: string;
  readonly gpuId: string;
  readonly count: number;
}

/** Every committed GPU of an active operator not already under an open challenge, in (operator, GPU id) key order. */
async function candidates(k: EmissionKeeper, store: KVRead): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for await (const [address, op] of k.deps.registry.allOperators(store)) {
    if (op.status !== OperatorStatus.OPERATOR_STATUS_ACTIVE) continue;
    for (const g of await k.deps.registry.gpusOf(store, address)) {
      if ((await keys.openByGpu.get(store, [address, g.id])) !== undefined) continue;
      out.push({ operator: address.slice(), bech32: op.address, gpuId: g.id, count: g.count });
    }
  }
  return out;
}

export interface NewChallenge {
  readonly epoch: bigint;
  readonly operator: string;
  readonly gpuId: string;
  readonly gpuCount: number;
  /** Bech32 of a bonded challenger; "" for the chain's picks. */
  readonly challenger: string;
  /** The challenger's bond, already in the challenge account; 0 for the chain's picks. */
  readonly bond: bigint;
}

/** Stores an open challenge, queues its deadline and marks the GPU as challenged. */
export async function openChallenge(ctx: Context, p: Params, c: NewChallenge): Promise<CapacityChallenge> {
  const id = (await keys.nextChallengeId.get(ctx.store)) ?? 1n;
  keys.nextChallengeId.set(ctx.store, id + 1n);
  const ch: CapacityChallenge = {
    id,
    epoch: c.epoch,
    operator: c.operator,
    gpuId: c.gpuId,
    gpuCount: c.gpuCount,
    deadline: ctx.block.height + p.capacityWindow,
    status: ChallengeStatus.CHALLENGE_STATUS_OPEN,
    challenger: c.challenger,
    bond: c.bond === 0n ? '' : c.bond.toString(),
  };
  keys.challenges.set(ctx.store, id, ch);
  keys.challengeDeadlines.set(ctx.store, [ch.deadline, id], true);
  keys.openByGpu.set(ctx.store, [ctx.addresses.decode(c.operator), c.gpuId], id);
  ctx.events.emit('capacity_challenge', {
    challenge_id: id.toString(),
    operator: c.operator,
    gpu_id: c.gpuId,
    deadline: ch.deadline.toString(),
    challenger: c.challenger,
    bond: `${c.bond}${p.denom}`,
  });
  return ch;
}

/** The challenge's bond (0 for the chain's picks). */
export function bondOf(ch: CapacityChallenge): bigint {
  return ch.bond === '' ? 0n : BigInt(ch.bond);
}

/** Closes an open challenge: new status, deadline and GPU markers gone. */
export function closeChallenge(ctx: Context, ch: CapacityChallenge, status: ChallengeStatus): void {
  keys.challenges.set(ctx.store, ch.id, { ...ch, status });
  keys.challengeDeadlines.delete(ctx.store, [ch.deadline, ch.id]);
  keys.openByGpu.delete(ctx.store, [ctx.addresses.decode(ch.operator), ch.gpuId]);
}

/** A challenge can only be answered with a trusted verifier's signature: without one, none is opened. */
export async function answerable(k: EmissionKeeper, store: KVRead): Promise<boolean> {
  return (await k.deps.registry.params(store)).trustedVerifiers.length > 0;
}

/** Picks up to `capacity_challenges_per_epoch` distinct GPUs: index i = sha256(block hash ‖ u32 i) mod n. */
export async function pickChallenges(k: EmissionKeeper, ctx: Context, epoch: bigint, p: Params): Promise<CapacityChallenge[]> {
  if (p.capacityChallengesPerEpoch === 0 || !(await answerable(k, ctx.store))) return [];
  const all = await candidates(k, ctx.store);
  const picked: CapacityChallenge[] = [];
  const taken = new Set<number>();
  for (let i = 0; i < p.capacityChallengesPerEpoch && taken.size < all.length; i++) {
    const h = createHash('sha256').update(concatBytes(ctx.block.hash ?? new Uint8Array(), u32(i))).digest();
    let idx = Number(BigInt(`0x${h.toString('hex')}`) % BigInt(all.length));
    while (taken.has(idx)) idx = (idx + 1) % all.length;
    taken.add(idx);
    const c = all[idx]!;
    picked.push(await openChallenge(ctx, p, { epoch, operator: c.bech32, gpuId: c.gpuId, gpuCount: c.count, challenger: '', bond: 0n }));
  }
  return picked;
}

/**
 * Open challenges whose deadline has passed: the fake-capacity fault (slash `fake_capacity_bps`,
 * jail, GPU commitment removed). A bonded challenger gets its bond back and `challenger_reward_bps`
 * of the slash; the rest of the slash is burned.
 */
export async function enforceChallenges(k: EmissionKeeper, ctx: Context, p: Params): Promise<void> {
  const due: [bigint, bigint][] = [];
  for await (const [[at, id]] of keys.challengeDeadlines.entries(ctx.store)) {
    if (at >= ctx.block.height) break;
    due.push([at, id]);
  }
  for (const [at, id] of due) {
    const ch = await keys.challenges.get(ctx.store, id);
    if (ch === undefined || ch.status !== ChallengeStatus.CHALLENGE_STATUS_OPEN) {
      keys.challengeDeadlines.delete(ctx.store, [at, id]);
      continue;
    }
    closeChallenge(ctx, ch, ChallengeStatus.CHALLENGE_STATUS_FAILED);
    const operator = ctx.addresses.decode(ch.operator);
    // A bonded challenger gets its bond back; the chain's own picks have no one to pay, so their slash is burned at once.
    const bonded = ch.challenger !== '';
    if (bonded && bondOf(ch) > 0n) await k.deps.bank.sendFromModule(ctx, keys.CHALLENGE_ACCOUNT, ctx.addresses.decode(ch.challenger), [{ denom: p.denom, amount: bondOf(ch) }]);
    // The reward is paid in the emission denom only; a bond in another denom is burned whole.
    const bondDenom = (await k.deps.registry.getOperator(ctx.store, operator))?.bond?.denom;
    const { slashed, reward } = await k.deps.registry.punishOperator(ctx, operator, {
      bps: p.fakeCapacityBps,
      reason: 'fake_capacity',
      then: 'jail',
      jailBlocks: p.fakeCapacityJailBlocks,
      ...(bonded ? { prover: ctx.addresses.decode(ch.challenger), via: keys.CHALLENGE_ACCOUNT } : {}),
      rewardBps: bondDenom === p.denom ? p.challengerRewardBps : 0,
    });
    // SPEC: the capacity that could not be shown is no longer offered (it may be committed again after the jail).
    const removed = await k.deps.registry.removeGpuCommitment(ctx, operator, ch.gpuId);
    ctx.events.emit('fake_capacity', {
      challenge_id: id.toString(),
      operator: ch.operator,
      gpu_id: ch.gpuId,
      slashed: formatCoins(slashed),
      challenger: ch.challenger,
      reward: `${reward}${p.denom}`,
      commitment_removed: String(removed),
    });
  }
}
