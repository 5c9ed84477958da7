// Receipts params: defaults and the checks shared by genesis and MsgUpdateParams.
import type { AddressCodec } from '../../core/framework/address.ts';
import { govAccount } from '../../core/framework/authority.ts';
import { validateDenom } from '../../core/framework/coins.ts';
import { type Params, FaultKind } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { parseU128 } from '../../sdk/bytes.ts';
import { ErrInvalidParams } from './errors.ts';

export const BPS = 10_000;
/** Most leaves one batch's sample may have (each is one reveal, a receipt and its proof). */
export const MAX_SAMPLE = 1024;

export function defaultParams(addresses: AddressCodec): Params {
  return {
    authority: addresses.encode(govAccount()),
    epochBlocks: 3600n,
    disputeWindowBlocks: 600n,
    revealWindow: 100n,
    escrowWithdrawDelay: 1000n,
    sampleCount: 4,
    maxBatchAgeEpochs: 2n,
    maxBatchCount: 1n << 20n,
    challengeBond: { denom: 'ucairn', amount: '1000000' },
    maxOpenRequests: 16,
    maxPendingWithdrawals: 8,
    startWindow: 100n,
    maxReservationHours: 720n,
    jailBlocks: 3600n,
    challengerRewardBps: 2000,
    receiptFraudBps: 5000,
    doubleClaimBps: 5000,
    sumFraudBps: 5000,
    dataUnavailableBps: 1000,
    staleAttestationBps: 500,
    refusalBps: 100,
    // Why these three: modules/receipts/README.md "Sampling" (forging any fraction of a batch up
    // to 64 × 25 CAIRN has an expected gain at most half its expected slash).
    sampleAmountStep: '25000000',
    maxSampleCount: 64,
    sampleDelayBlocks: 2n,
  };
}

const bad = (detail: string): Error => ErrInvalidParams.wrap(detail);

function int(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw bad(`${name} ${v} must be an integer between ${min} and ${max}`);
}

function u64(name: string, v: bigint, min: bigint, max: bigint): void {
  if (v < min || v > max) throw bad(`${name} ${v} must be between ${min} and ${max}`);
}

export function validateParams(p: Params, addresses: AddressCodec): void {
  try {
    addresses.decode(p.authority);
  } catch (e) {
    throw bad(`authority: ${(e as Error).message}`);
  }
  const big = 10n ** 12n;
  u64('epoch_blocks', p.epochBlocks, 1n, big);
  u64('reveal_window', p.revealWindow, 1n, big);
  u64('dispute_window_blocks', p.disputeWindowBlocks, 1n, big);
  u64('sample_delay_blocks', p.sampleDelayBlocks, 1n, 1000n);
  // The sample is drawn and its reveal window closes before the batch finalizes, and a payer must
  // not be able to withdraw from under a batch that is still disputable.
  if (p.disputeWindowBlocks <= p.sampleDelayBlocks + p.revealWindow) {
    throw bad(`dispute_window_blocks ${p.disputeWindowBlocks} must exceed sample_delay_blocks + reveal_window (${p.sampleDelayBlocks + p.revealWindow})`);
  }
  u64('escrow_withdraw_delay', p.escrowWithdrawDelay, 1n, big);
  if (p.escrowWithdrawDelay <= p.disputeWindowBlocks + p.revealWindow) {
    throw bad(`escrow_withdraw_delay ${p.escrowWithdrawDelay} must exceed dispute_window_blocks + reveal_window (${p.disputeWindowBlocks + p.revealWindow})`);
  }
  int('sample_count', p.sampleCount, 0, MAX_SAMPLE);
  int('max_sample_count', p.maxSampleCount, p.sampleCount, MAX_SAMPLE);
  try {
    if (parseU128(p.sampleAmountStep, 'sample_amount_step') === 0n) throw new RangeError('sample_amount_step must be positive');
  } catch (e) {
    throw bad((e as Error).message);
  }
  u64('max_batch_age_epochs', p.maxBatchAgeEpochs, 0n, 1000n);
  u64('max_batch_count', p.maxBatchCount, 1n, 1n << 40n);
  const bond = p.challengeBond;
  if (bond === undefined) throw bad('challenge_bond is required');
  try {
    validateDenom(bond.denom);
    if (parseU128(bond.amount, 'challenge_bond') === 0n) throw new RangeError('challenge_bond must be positive');
  } catch (e) {
    throw bad(`challenge_bond: ${(e as Error).message}`);
  }
  int('max_open_requests', p.maxOpenRequests, 1, 256);
  int('max_pending_withdrawals', p.maxPendingWithdrawals, 1, 100);
  u64('start_window', p.startWindow, 1n, big);
  u64('max_reservation_hours', p.maxReservationHours, 1n, 87_600n);
  u64('jail_blocks', p.jailBlocks, 1n, big);
  int('challenger_reward_bps', p.challengerRewardBps, 0, BPS);
  for (const [name, v] of [
    ['receipt_fraud_bps', p.receiptFraudBps],
    ['double_claim_bps', p.doubleClaimBps],
    ['sum_fraud_bps', p.sumFraudBps],
    ['data_unavailable_bps', p.dataUnavailableBps],
    ['stale_attestation_bps', p.staleAttestationBps],
    ['refusal_bps', p.refusalBps],
  ] as const) {
    int(name, v, 1, BPS);
  }
}

/** The SPEC's fault table: slash fraction and what happens to the operator. */
export function faultPolicy(p: Params, kind: FaultKind): { bps: number; then: 'tombstone' | 'jail' | 'none'; reason: string } {
  switch (kind) {
    case FaultKind.FAULT_KIND_RECEIPT_FRAUD:
      return { bps: p.receiptFraudBps, then: 'tombstone', reason: 'receipt fraud' };
    case FaultKind.FAULT_KIND_DOUBLE_CLAIM:
      return { bps: p.doubleClaimBps, then: 'tombstone', reason: 'double claim' };
    case FaultKind.FAULT_KIND_SUM_FRAUD:
      return { bps: p.sumFraudBps, then: 'tombstone', reason: 'sum fraud' };
    case FaultKind.FAULT_KIND_DATA_UNAVAILABLE:
      return { bps: p.dataUnavailableBps, then: 'jail', reason: 'data unavailable' };
    case FaultKind.FAULT_KIND_STALE_ATTESTATION:
      return { bps: p.staleAttestationBps, then: 'jail', reason: 'stale attestation' };
    case FaultKind.FAULT_KIND_RESERVATION_REFUSAL:
      return { bps: p.refusalBps, then: 'none', reason: 'reserved-job refusal' };
    default:
      throw new Error(`no policy for fault kind ${kind}`);
  }
}
