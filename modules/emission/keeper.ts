// The emission keeper: the schedule against the cap, each epoch's end (mint what operators and
// validators earned, pay it out, record it), the points ledger and reputation. Coins are minted
// into the emission account and leave it in the same step, so it is empty after every block.
import type { Context } from '../../core/framework/context.ts';
import type { KVRead } from '../../core/store/types.ts';
import { toKeyString } from '../../core/store/bytes.ts';
import type { EpochEmission, OperatorReward, Params, Reputation } from '../../proto/gen/cairn/emission/v1/types.ts';
import { OperatorStatus } from '../../proto/gen/cairn/registry/v1/types.ts';
import { medianUptime } from './availability.ts';
import type { EmissionDeps } from './deps.ts';
import { EVENTS } from './events.ts';
import * as keys from './keys.ts';
import { addPaid, merkleRoot, reputationLeaf, reputationScore } from './reputation.ts';
import { type EpochPlan, type OperatorInput, feesLowerBound, planEpoch } from './reward.ts';
import { epochBudget } from './schedule.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/**
 * Median uptimes (bps) by operator address (latin1) within one epoch's close: its reports and the
 * validators' powers do not change during it, and each median is a prefix scan plus a power read
 * per report, which the close needed twice per operator (its reward's uptime, its reputation).
 */
export type UptimeMemo = Map<string, number>;

export class EmissionKeeper {
  readonly deps: EmissionDeps;

  constructor(deps: EmissionDeps) {
    this.deps = deps;
  }

  async params(store: KVRead): Promise<Params> {
    const p = await keys.params.get(store);
    if (p === undefined) throw new Error('emission params are missing from state (genesis not initialised)');
    return p;
  }

  async mintedTotal(store: KVRead): Promise<bigint> {
    return (await keys.mintedTotal.get(store)) ?? 0n;
  }

  /** The epoch of `height` and the height that closes it (the receipts module's clock). */
  async epochAt(store: KVRead, height: bigint): Promise<{ epoch: bigint; endHeight: bigint; epochBlocks: bigint }> {
    const rp = await this.deps.receipts.params(store);
    const epoch = this.deps.receipts.epochOf(height, rp);
    return { epoch, endHeight: (epoch + 1n) * rp.epochBlocks, epochBlocks: rp.epochBlocks };
  }

  /** The budget after the cap: min(schedule, max_supply − supply). */
  async cappedBudget(store: KVRead, epoch: bigint, p: Params): Promise<{ scheduled: bigint; budget: bigint; supply: bigint }> {
    const scheduled = epochBudget(epoch, p);
    const supply = await this.deps.bank.supplyOf(store, p.denom);
    const room = BigInt(p.maxSupply) - supply;
    return { scheduled, supply, budget: room <= 0n ? 0n : room < scheduled ? room : scheduled };
  }

  /** Σ over committed GPUs of count × median uptime bps / 10000 (rounded down; 0 without reports). */
  async uptimeGpus(store: KVRead, epoch: bigint, operator: Uint8Array, memo?: UptimeMemo): Promise<bigint> {
    const uptime = await this.uptimeBps(store, epoch, operator, memo);
    if (uptime === 0) return 0n;
    const gpus = (await this.deps.registry.gpusOf(store, operator)).reduce((s, g) => s + BigInt(g.count), 0n);
    return (gpus * BigInt(uptime)) / 10_000n;
  }

  /** Capacity challenges the operator answered in the epoch. */
  async challengesPassed(store: KVRead, epoch: bigint, operator: Uint8Array): Promise<bigint> {
    return (await keys.passed.get(store, [epoch, operator])) ?? 0n;
  }

  async inputs(ctx: Context, epoch: bigint, memo?: UptimeMemo): Promise<{ inputs: OperatorInput[]; batches: Map<string, bigint> }> {
    const feeBps = (await this.deps.royalty.params(ctx.store)).protocolFeeBps;
    const inputs: OperatorInput[] = [];
    const batches = new Map<string, bigint>();
    for (const u of await this.deps.receipts.epochUsage(ctx.store, epoch)) {
      const address = ctx.addresses.decode(u.operator);
      const escrow = BigInt(u.escrowAmount);
      batches.set(u.operator, u.batches);
      inputs.push({
        operator: u.operator,
        escrow,
        receipts: u.count,
        fees: feesLowerBound(escrow, u.batches, feeBps),
        uptimeGpus: await this.uptimeGpus(ctx.store, epoch, address, memo),
        challengesPassed: await this.challengesPassed(ctx.store, epoch, address),
      });
    }
    return { inputs, batches };
  }

  /** Runs on the last block of every epoch, after receipts and royalty closed it. */
  async closeEpoch(ctx: Context, epoch: bigint): Promise<EpochPlan | undefined> {
    const p = await this.params(ctx.store);
    const memo: UptimeMemo = new Map();
    const { inputs } = await this.inputs(ctx, epoch, memo);
    if (!p.enabled) {
      await this.updatePointsAndReputation(ctx, epoch, inputs, memo);
      return undefined;
    }
    const { scheduled, budget } = await this.cappedBudget(ctx.store, epoch, p);
    const plan = planEpoch(budget, inputs, p);
    const minted = plan.operatorsTotal + plan.validators;
    if (minted > 0n) await this.deps.bank.mint(ctx, keys.EMISSION_ACCOUNT, [{ denom: p.denom, amount: minted }]);
    for (const o of plan.operators) {
      const address = ctx.addresses.decode(o.input.operator);
      if (o.total > 0n) await this.deps.bank.sendFromModule(ctx, keys.EMISSION_ACCOUNT, address, [{ denom: p.denom, amount: o.total }]);
      const reward: OperatorReward = {
        epoch,
        operator: o.input.operator,
        escrowAmount: o.input.escrow.toString(),
        receipts: o.input.receipts,
        feesPaid: o.input.fees.toString(),
        usageReward: o.usage.toString(),
        jobsReward: o.jobs.toString(),
        uptimeReward: o.uptime.toString(),
        availabilityReward: o.availability.toString(),
        feeGuardCut: o.feeGuardCut.toString(),
        shareCapCut: o.shareCapCut.toString(),
        total: o.total.toString(),
        capacityCut: o.capacityCut.toString(),
        validatorsReward: o.validators.toString(),
      };
      keys.rewards.set(ctx.store, [epoch, address], reward);
      keys.rewardEpochs.set(ctx.store, [address, epoch], true);
      ctx.events.emit(EVENTS.reward, { epoch: epoch.toString(), operator: o.input.operator, amount: `${o.total}${p.denom}`, fee_guard_cut: o.feeGuardCut.toString(), capacity_cut: o.capacityCut.toString(), share_cap_cut: o.shareCapCut.toString(), validators: o.validators.toString() });
    }
    if (plan.validators > 0n) await this.deps.distribution.allocateFromModule(ctx, keys.EMISSION_ACCOUNT, [{ denom: p.denom, amount: plan.validators }]);
    const total = (await this.mintedTotal(ctx.store)) + minted;
    keys.mintedTotal.set(ctx.store, total);
    const record: EpochEmission = {
      epoch,
      height: ctx.block.height,
      scheduled: scheduled.toString(),
      budget: budget.toString(),
      operatorsMinted: plan.operatorsTotal.toString(),
      validatorsMinted: plan.validators.toString(),
      minted: minted.toString(),
      unminted: plan.unminted.toString(),
      operators: BigInt(plan.operators.length),
      supplyAfter: (await this.deps.bank.supplyOf(ctx.store, p.denom)).toString(),
    };
    keys.epochs.set(ctx.store, epoch, record);
    ctx.events.emit(EVENTS.epoch, { epoch: epoch.toString(), scheduled: record.scheduled, budget: record.budget, minted: `${minted}${p.denom}`, validators: record.validatorsMinted, unminted: record.unminted, supply: record.supplyAfter });
    await this.updatePointsAndReputation(ctx, epoch, inputs, memo);
    return plan;
  }

  /** Points (work and uptime) and reputation of every operator with usage now or a record before; then the epoch's root. */
  async updatePointsAndReputation(ctx: Context, epoch: bigint, inputs: readonly OperatorInput[], memo?: UptimeMemo): Promise<void> {
    const byOperator = new Map(inputs.map((i) => [i.operator, i]));
    const p = await this.params(ctx.store);
    const publish = p.enabled;
    const minActive = BigInt(p.minActiveEpochAmount);
    const operators = new Set<string>(byOperator.keys());
    for await (const [, r] of keys.reputations.entries(ctx.store)) operators.add(r.operator);
    for await (const [, r] of keys.reports.entries(ctx.store, { subPrefix: keys.u64(epoch) })) operators.add(r.operator);
    for await (const [[, address]] of keys.passed.entries(ctx.store, { subPrefix: keys.u64(epoch) })) operators.add(ctx.addresses.encode(address));
    const sorted = [...operators].map((o) => [o, ctx.addresses.decode(o)] as const).sort(([, a], [, b]) => Buffer.compare(keys.addressKey(a), keys.addressKey(b)));
    const leaves: Uint8Array[] = [];
    for (const [operator, address] of sorted) {
      const i = byOperator.get(operator);
      const uptimeGpus = i?.uptimeGpus ?? (await this.uptimeGpus(ctx.store, epoch, address, memo));
      const pts = (await keys.points.get(ctx.store, address)) ?? { operator, workPoints: 0n, uptimePoints: 0n, total: 0n, updatedEpoch: epoch };
      const work = pts.workPoints + (i?.receipts ?? 0n);
      const up = pts.uptimePoints + uptimeGpus;
      keys.points.set(ctx.store, address, { operator, workPoints: work, uptimePoints: up, total: work + up, updatedEpoch: epoch });
      const status = (await this.deps.registry.getOperator(ctx.store, address))?.status;
      const prev = (await keys.reputations.get(ctx.store, address)) ?? { operator, activeEpochs: 0n, receipts: 0n, uptimeBps: 0, challengesPassed: 0n, faults: 0n, score: 0, updatedEpoch: epoch, paidAmount: '0' };
      const active = i !== undefined && i.escrow >= minActive;
      const faulted = status === OperatorStatus.OPERATOR_STATUS_JAILED || status === OperatorStatus.OPERATOR_STATUS_TOMBSTONED;
      const next: Omit<Reputation, 'score'> = {
        operator,
        // Only paid activity counts: an epoch below min_active_epoch_amount adds nothing.
        activeEpochs: prev.activeEpochs + (active ? 1n : 0n),
        paidAmount: addPaid(prev.paidAmount, active ? i.escrow : 0n),
        receipts: prev.receipts + (i?.receipts ?? 0n),
        uptimeBps: await this.uptimeBps(ctx.store, epoch, address, memo),
        challengesPassed: prev.challengesPassed + (i?.challengesPassed ?? (await this.challengesPassed(ctx.store, epoch, address))),
        faults: prev.faults + (faulted ? 1n : 0n),
        updatedEpoch: epoch,
      };
      const rep: Reputation = { ...next, score: reputationScore(next, status === OperatorStatus.OPERATOR_STATUS_TOMBSTONED, minActive) };
      keys.reputations.set(ctx.store, address, rep);
      // The public catalog sorts by the registry's copy of the score. It is published only while
      // emission runs: a chain with emission off (the other modules' test chains) keeps the score and
      // root here but leaves operator records alone, so their "refused message changed nothing"
      // snapshots of registry state hold across epoch ends.
      if (publish) await this.deps.registry.setReputation(ctx, address, rep.score);
      leaves.push(reputationLeaf(epoch, address, rep));
    }
    const root = merkleRoot(leaves);
    keys.reputationRoots.set(ctx.store, epoch, { epoch, root, operators: BigInt(leaves.length), height: ctx.block.height });
    ctx.events.emit(EVENTS.reputationRoot, { epoch: epoch.toString(), root: hex(root), operators: String(leaves.length) });
  }

  /** The stake-weighted median uptime reported for the operator in the epoch, bps (0 without reports); once per operator with a memo. */
  async uptimeBps(store: KVRead, epoch: bigint, operator: Uint8Array, memo?: UptimeMemo): Promise<number> {
    const id = toKeyString(operator);
    const known = memo?.get(id);
    if (known !== undefined) return known;
    const bps = await medianUptime(this.deps.staking, store, epoch, operator);
    memo?.set(id, bps);
    return bps;
  }
}
