// The fault strategies of the economics simulation (bench/sim.ts), on their own chain beside an
// honest operator, driven with real signed txs:
//   partial-forger       operator2 serves the payer but inflates one receipt's amount of twelve (its payer
//                        signature then no longer verifies); an honest watcher proves it with
//                        MsgChallengeReceipt and the inclusion proof: slashed, tombstoned;
//   double-claimer       the griefer registers as an operator and claims one receipt in two batches;
//                        the watcher proves it with MsgChallengeDoubleClaim: slashed, tombstoned;
//   griefing-challenger  the challenger role requests (MsgRequestReceipt, with the challenge bond) an
//                        unsampled receipt of each of the honest operator's batches; the operator
//                        reveals it and keeps the bond; it also opens a MsgChallengeCapacity (with
//                        the capacity bond) on the operator's GPU each epoch, which the operator
//                        proves, keeping that bond too.
// Emission params are runSim's: two chain-drawn capacity challenges an epoch, all proved.
// The watcher is the author role (it also earns the base model's royalties, so its profit is not
// reported). Profits count balance + escrow + bond change from after setup, fees included.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { buildBatch, inclusionProof } from '../sdk/receipts/batch.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { fixedKey } from '../test/support/receipts-fixtures.ts';
import { type ReceiptsChain, type Role, type Submitted, receiptMsgs } from '../test/support/receipts-chain.ts';
import { EPOCH_BLOCKS, startEmissionChain } from '../test/support/emission-chain.ts';
import { DENOM, msgs as registryMsgs } from '../test/support/registry.ts';
import { OperatorStatus } from '../proto/gen/cairn/registry/v1/types.ts';
import * as receiptsKeys from '../modules/receipts/keys.ts';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import { GPU_ID } from '../test/support/receipts-chain.ts';
import { proveOpenChallenges } from './sim-capacity.ts';
import { countSlashes } from './sim-caught.ts';

export const FAULT_STRATEGIES = ['honest', 'partial-forger', 'double-claimer', 'griefing-challenger'] as const;
export type FaultStrategy = (typeof FAULT_STRATEGIES)[number];

export interface FaultSimResult {
  readonly profits: Record<FaultStrategy, bigint>;
  /** Times each strategy's operator was slashed. */
  readonly caught: Record<FaultStrategy, number>;
  /** Registry status of each strategy's operator at the end (the challenger is no operator: 0). */
  readonly status: Record<FaultStrategy, number>;
  /** Frauds the watcher proved (accepted MsgChallengeReceipt / MsgChallengeDoubleClaim). */
  readonly proved: { readonly forged: number; readonly doubleClaims: number };
  /** Griefing requests accepted on chain, and how many the honest operator answered. */
  readonly requests: number;
  readonly answered: number;
  /** Griefing capacity challenges accepted on chain. */
  readonly capacityChallenges: number;
}

const ROLE_OF: Record<FaultStrategy, Role> = { honest: 'operator', 'partial-forger': 'operator2', 'double-claimer': 'griefer', 'griefing-challenger': 'challenger' };
const WATCHER: Role = 'author';
const UNIT_PRICE = '10000';
const RECEIPTS_PER_EPOCH = 12;

async function wealth(rc: ReceiptsChain, role: Role): Promise<bigint> {
  const address = rc.chain.app.addresses.decode(rc.address(role));
  const e = await receiptsKeys.escrows.get(rc.chain.store.committed, address);
  const escrow = e === undefined ? 0n : BigInt(e.available) + BigInt(e.locked);
  const bond = await rc.bond(role).catch(() => 0n);
  return (await rc.balance(rc.address(role))) + escrow + bond;
}

/** Whether the tx went through (a refused tx still costs its fee, as it would on a real chain). */
async function attempt(rc: ReceiptsChain, role: Role, m: EncodeObject | EncodeObject[]): Promise<boolean> {
  return (await rc.tx(role, m)).code === 0;
}

async function active(rc: ReceiptsChain, role: Role): Promise<boolean> {
  return (await rc.operatorStatus(role).catch(() => 0)) === OperatorStatus.OPERATOR_STATUS_ACTIVE;
}

export async function runFaultSim(epochs = 6, emission: Record<string, unknown> = {}): Promise<FaultSimResult> {
  const rc = await startEmissionChain({ escrow: 5_000_000_000n, emission: { capacity_challenges_per_epoch: 2, capacity_window: '5', ...emission } });
  const slashes = countSlashes(rc);
  await proveOpenChallenges(rc);
  const dcKey = fixedKey('double-claimer-receipt-key');
  await rc.ok('griefer', registryMsgs.registerOperator(rc.address('griefer'), 79, { receiptKey: dcKey.publicKey, bond: { denom: DENOM, amount: '100000000' } }));
  const dcOpts = { unitPrice: UNIT_PRICE, operator: rc.address('griefer'), operatorKey: dcKey as typeof dcKey & Uint8Array };
  const before = {} as Record<FaultStrategy, bigint>;
  for (const s of FAULT_STRATEGIES) before[s] = await wealth(rc, ROLE_OF[s]);
  const proved = { forged: 0, doubleClaims: 0 };
  let requests = 0;
  let answered = 0;
  let capacityChallenges = 0;
  const first = rc.height / EPOCH_BLOCKS + 1n;
  for (let e = first; e < first + BigInt(epochs); e++) {
    await rc.advanceTo(e * EPOCH_BLOCKS + 1n);
    await proveOpenChallenges(rc);
    const capacity = { typeUrl: EMISSION_TYPE_URLS.MsgChallengeCapacity, value: { challenger: rc.address('challenger'), operator: rc.address('operator'), gpuId: GPU_ID } };
    if (await attempt(rc, 'challenger', capacity)) capacityChallenges++;
    await proveOpenChallenges(rc);
    // The honest operator serves; the griefer requests a leaf the chain did not sample; it is revealed.
    const honest = await rc.honestBatch(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE });
    const unsampled = [...Array(RECEIPTS_PER_EPOCH).keys()].find((i) => !honest.sample.includes(BigInt(i)));
    if (unsampled !== undefined && (await attempt(rc, 'challenger', receiptMsgs.request(rc.address('challenger'), honest.id, BigInt(unsampled))))) {
      requests++;
      if (await attempt(rc, 'operator', receiptMsgs.reveal(rc.address('operator'), honest.id, honest.batch.receipts[unsampled]!, inclusionProof(honest.batch, unsampled)))) answered++;
    }
    await proveOpenChallenges(rc);
    // The forger inflates one receipt and signs it itself; the watcher checks every leaf it is sent.
    if (await active(rc, 'operator2')) {
      const receipts = rc.receipts(RECEIPTS_PER_EPOCH, { unitPrice: UNIT_PRICE, role: 'operator2' });
      const r = receipts[0]!;
      receipts[0] = signReceipt({ ...r, amount: (BigInt(r.amount) * 10n).toString() }, 'operator', rc.operator2Key);
      const batch = buildBatch(receipts);
      const s = await rc.submitNow(batch, 'escrow', 'operator2');
      const i = batch.receipts.indexOf(receipts[0]);
      if (await attempt(rc, WATCHER, receiptMsgs.challengeReceipt(rc.address(WATCHER), s.id, batch.receipts[i]!, inclusionProof(batch, i)))) proved.forged++;
    }
    await proveOpenChallenges(rc);
    // The double claimer serves one batch honestly, then claims one of its receipts again.
    if (await active(rc, 'griefer')) {
      const receipts = rc.receipts(RECEIPTS_PER_EPOCH, dcOpts);
      const more = rc.receipts(RECEIPTS_PER_EPOCH - 1, dcOpts);
      const a = await rc.submit(buildBatch(receipts), 'escrow', 'griefer');
      await rc.revealSample(a, 'griefer');
      const dup = receipts[0]!;
      const second = buildBatch([dup, ...more]);
      const b: Submitted = await rc.submitNow(second, 'escrow', 'griefer');
      const ia = a.batch.receipts.indexOf(dup);
      const ib = second.receipts.indexOf(dup);
      const claim = receiptMsgs.challengeDoubleClaim(rc.address(WATCHER), dup.id, { batchId: a.id, receipt: dup, proof: inclusionProof(a.batch, ia) }, { batchId: b.id, receipt: dup, proof: inclusionProof(second, ib) });
      if (await attempt(rc, WATCHER, claim)) proved.doubleClaims++;
      else await rc.revealSample({ ...b, sample: await rc.drawnSample(b.id) }, 'griefer').catch(() => undefined);
    }
    await proveOpenChallenges(rc);
  }
  // Let the last batches finalize and their epoch close.
  // (the honest operator keeps proving the chain's capacity picks while it waits).
  while (rc.height < (first + BigInt(epochs) + 1n) * EPOCH_BLOCKS) {
    await proveOpenChallenges(rc);
    await rc.block();
  }
  const profits = {} as Record<FaultStrategy, bigint>;
  const status = {} as Record<FaultStrategy, number>;
  const caught = {} as Record<FaultStrategy, number>;
  for (const s of FAULT_STRATEGIES) {
    caught[s] = slashes.get(rc.address(ROLE_OF[s])) ?? 0;
    profits[s] = (await wealth(rc, ROLE_OF[s])) - before[s];
    status[s] = await rc.operatorStatus(ROLE_OF[s]).catch(() => 0);
  }
  return { profits, caught, status, proved, requests, answered, capacityChallenges };
}
