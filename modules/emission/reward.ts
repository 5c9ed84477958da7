// One epoch's rewards from its inputs, pure bigint arithmetic (README.md "Epoch rewards"). Every
// division rounds down; whatever rounding, the guard or the cap leaves is never minted.
import { BPS } from './params.ts';
import type { Params } from '../../proto/gen/cairn/emission/v1/types.ts';

const B = BigInt(BPS);

export interface OperatorInput {
  readonly operator: string;
  /** Finalized ESCROW amount in the epoch. */
  readonly escrow: bigint;
  /** Finalized receipts in the epoch (both settlement modes). */
  readonly receipts: bigint;
  /** A lower bound on the protocol fees its finalized batches paid. */
  readonly fees: bigint;
  /** Σ over committed GPUs of count × median uptime bps / 10000. */
  readonly uptimeGpus: bigint;
  /** Capacity challenges answered in the epoch. */
  readonly challengesPassed: bigint;
}

export interface OperatorOutcome {
  readonly input: OperatorInput;
  readonly usage: bigint;
  readonly jobs: bigint;
  readonly uptime: bigint;
  readonly availability: bigint;
  readonly capacityCut: bigint;
  readonly feeGuardCut: bigint;
  readonly shareCapCut: bigint;
  /** What the operator is paid. */
  readonly total: bigint;
  /** The validators' share carved out of this operator's guarded emission: total + validators ≤ ⌊fees · max_emission_per_fee_bps / 10000⌋. */
  readonly validators: bigint;
}

export interface EpochPlan {
  readonly budget: bigint;
  readonly operatorPool: bigint;
  readonly validatorPool: bigint;
  readonly operators: readonly OperatorOutcome[];
  readonly operatorsTotal: bigint;
  /** Σ of the operators' `validators`: paid to the validators by power. */
  readonly validators: bigint;
  /** budget − operatorsTotal − validators */
  readonly unminted: bigint;
}

/** `pool × weight × part / (10000 × whole)`, 0 when nobody contributed. */
function portion(pool: bigint, weightBps: number, part: bigint, whole: bigint): bigint {
  return whole === 0n ? 0n : (pool * BigInt(weightBps) * part) / (B * whole);
}

const excess = (v: bigint, max: bigint): bigint => (v > max ? v - max : 0n);

/**
 * Splits `budget` (already capped by max_supply) among the operators in `inputs` and the validators.
 * Only operators whose batches paid protocol fees this epoch take part: uptime and capacity alone
 * (idle GPUs) earn nothing.
 *
 * Coalition guard: everything minted because of an operator's batches — its four rewards and the
 * validators' share carved out of them — is at most ⌊F · max_emission_per_fee_bps / 10000⌋ of the
 * fees F they paid. So whoever paid those fees (payer, operator, author and any fraction of the stake
 * together, split over any number of operators) gets back less than it paid.
 */
export function planEpoch(budget: bigint, inputs: readonly OperatorInput[], p: Params): EpochPlan {
  // keep = what operators keep of every minted unit; the validators' rounding goes to their pool.
  const keep = B - BigInt(p.validatorShareBps);
  const operatorPool = (budget * keep) / B;
  const validatorPool = budget - operatorPool;
  const eligible = inputs.map((i) => (i.fees > 0n ? i : { ...i, uptimeGpus: 0n, challengesPassed: 0n }));
  const sum = (f: (i: OperatorInput) => bigint): bigint => eligible.reduce((s, i) => s + f(i), 0n);
  const totals = { escrow: sum((i) => i.escrow), receipts: sum((i) => i.receipts), uptime: sum((i) => i.uptimeGpus), challenges: sum((i) => i.challengesPassed) };
  const shareMax = (operatorPool * BigInt(p.maxOperatorShareBps)) / B;
  const operators: OperatorOutcome[] = eligible.map((i) => {
    const usage = portion(operatorPool, p.usageWeightBps, i.escrow, totals.escrow);
    const jobs = portion(operatorPool, p.jobsWeightBps, i.receipts, totals.receipts);
    const uptime = portion(operatorPool, p.uptimeWeightBps, i.uptimeGpus, totals.uptime);
    const availability = portion(operatorPool, p.availabilityWeightBps, i.challengesPassed, totals.challenges);
    // Capacity guard: uptime and availability earn at most what paid usage earned, so an idle fleet
    // behind a token fee does not take the capacity pools.
    const capacityCut = excess(uptime + availability, usage + jobs);
    const earned = usage + jobs + uptime + availability - capacityCut;
    // Coalition guard. The operator keeps at most ⌊allowed · keep / 10000⌋, and the validators' carve
    // ⌊total · share / keep⌋ brings the sum to at most total · 10000 / keep ≤ allowed.
    const allowed = (i.fees * BigInt(p.maxEmissionPerFeeBps)) / B;
    const feeGuardCut = excess(earned, (allowed * keep) / B);
    const shareCapCut = excess(earned - feeGuardCut, shareMax);
    const total = earned - feeGuardCut - shareCapCut;
    const validators = (total * BigInt(p.validatorShareBps)) / keep;
    return { input: i, usage, jobs, uptime, availability, capacityCut, feeGuardCut, shareCapCut, total, validators };
  });
  const operatorsTotal = operators.reduce((s, o) => s + o.total, 0n);
  // ≤ operatorPool · share / keep ≤ budget · share / 10000 ≤ validatorPool.
  const validators = operators.reduce((s, o) => s + o.validators, 0n);
  return { budget, operatorPool, validatorPool, operators, operatorsTotal, validators, unminted: budget - operatorsTotal - validators };
}

/**
 * A lower bound on the protocol fees an operator's finalized batches paid (burned + treasury). Each
 * batch's fee ⌊aᵢ·f⌋ was rounded down on its own (Σ⌊aᵢ·f⌋ ≥ ⌊Σaᵢ·f⌋ − (n − 1)), and its burned and
 * treasury halves each again (paid ≥ ⌊aᵢ·f⌋ − 1): so paid ≥ ⌊Σaᵢ·f⌋ − (2n − 1).
 */
export function feesLowerBound(escrow: bigint, batches: bigint, protocolFeeBps: number): bigint {
  const fee = (escrow * BigInt(protocolFeeBps)) / B - (batches > 0n ? 2n * batches - 1n : 0n);
  return fee > 0n ? fee : 0n;
}
