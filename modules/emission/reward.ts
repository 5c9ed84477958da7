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
  readonly feeGuardCut: bigint;
  readonly capacityCut: bigint;
  readonly shareCapCut: bigint;
  readonly total: bigint;
}

export interface EpochPlan {
  readonly budget: bigint;
  readonly operatorPool: bigint;
  readonly validatorPool: bigint;
  readonly operators: readonly OperatorOutcome[];
  readonly operatorsTotal: bigint;
  readonly validators: bigint;
  /** budget − operatorsTotal − validators */
  readonly unminted: bigint;
}

/** `pool × weight × part / (10000 × whole)`, 0 when nobody contributed. */
function portion(pool: bigint, weightBps: number, part: bigint, whole: bigint): bigint {
  return whole === 0n ? 0n : (pool * BigInt(weightBps) * part) / (B * whole);
}

/**
 * Splits `budget` (already capped by max_supply) among the operators in `inputs` and the validators.
 * Only operators whose batches paid protocol fees this epoch take part: uptime and capacity alone
 * (idle GPUs) earn nothing.
 */
export function planEpoch(budget: bigint, inputs: readonly OperatorInput[], p: Params): EpochPlan {
  const validatorPool = (budget * BigInt(p.validatorShareBps)) / B;
  const operatorPool = budget - validatorPool;
  const eligible = inputs.map((i) => (i.fees > 0n ? i : { ...i, uptimeGpus: 0n, challengesPassed: 0n }));
  const sum = (f: (i: OperatorInput) => bigint): bigint => eligible.reduce((s, i) => s + f(i), 0n);
  const totals = { escrow: sum((i) => i.escrow), receipts: sum((i) => i.receipts), uptime: sum((i) => i.uptimeGpus), challenges: sum((i) => i.challengesPassed) };
  const shareMax = (operatorPool * BigInt(p.maxOperatorShareBps)) / B;
  const operators: OperatorOutcome[] = eligible.map((i) => {
    const usage = portion(operatorPool, p.usageWeightBps, i.escrow, totals.escrow);
    const jobs = portion(operatorPool, p.jobsWeightBps, i.receipts, totals.receipts);
    const uptime = portion(operatorPool, p.uptimeWeightBps, i.uptimeGpus, totals.uptime);
    const availability = portion(operatorPool, p.availabilityWeightBps, i.challengesPassed, totals.challenges);
    // Wash-trading guard: usage-based emission (paid amount and receipts) ≤ a share of the fees paid.
    const guardMax = (i.fees * BigInt(p.maxEmissionPerFeeBps)) / B;
    const usageBased = usage + jobs;
    const feeGuardCut = usageBased > guardMax ? usageBased - guardMax : 0n;
    const paid = usageBased - feeGuardCut;
    // Capacity guard: uptime and availability earn at most the usage-based reward left after the
    // guard. Otherwise a farmer paying a token fee (to become eligible) takes the capacity pools for
    // an idle fleet; with it, all it can get back is at most 2 × guard = the fees it paid.
    const capacity = uptime + availability;
    const capacityCut = capacity > paid ? capacity - paid : 0n;
    const subtotal = paid + capacity - capacityCut;
    const shareCapCut = subtotal > shareMax ? subtotal - shareMax : 0n;
    return { input: i, usage, jobs, uptime, availability, feeGuardCut, capacityCut, shareCapCut, total: subtotal - shareCapCut };
  });
  const operatorsTotal = operators.reduce((s, o) => s + o.total, 0n);
  // Validators earn their share of the budget in the proportion operators earned theirs.
  const validators = operatorPool === 0n ? 0n : (validatorPool * operatorsTotal) / operatorPool;
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
