// The one judgement of a receipt of a batch, made by ChallengeReceipt and RevealReceipt on chain and
// by every node's watcher off chain (node/watcher), so that they cannot disagree: the receipt's
// fields match its batch, it is well formed, amount = (units_in + units_out) × unit_price, its
// times are inside the batch's epoch window, and at the height of its finished_at both signing keys
// were authorised (the operator's receipt key by its rotation window, the payer's by authorisation
// and revocation) and the attestation it names was valid. Signing keys are judged at finished_at
// because that is when a receipt is signed.
//
// The judge reads chain state only through ReceiptFacts: `keeperFacts` reads the keeper's state
// inside a transaction (gas-metered), the watcher's implementation reads the same records through
// ABCI queries (node/watcher/facts.ts).
import type { Context } from '../../core/framework/context.ts';
import type { Attestation, PayerKey } from '../../proto/gen/cairn/registry/v1/types.ts';
import { type Batch, FaultKind, type Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { verifyEd25519 } from '../../sdk/ed25519.ts';
import { ReceiptFormatError, type SignatureVerifier, receiptProblems, receiptSignBytes } from '../../sdk/receipts/receipt.ts';
import { type ReceiptKeyInfo, payerKeyValidAt, receiptKeyAt } from '../registry/api.ts';
import type { ReceiptsKeeper } from './keeper.ts';

/** Gas of one ed25519 verification: the auth module's default sig_verify_cost_ed25519. */
export const VERIFY_GAS = 590n;

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly kind: FaultKind; readonly detail: string };

/** The chain state a receipt is judged against. */
export interface ReceiptFacts {
  readonly chainId: string;
  /** Charges a signature verification to the transaction's gas meter (nothing off chain). */
  chargeVerify(what: string): void;
  /** The height of the last recorded block whose time (unix seconds) is at or before `time`. */
  heightAt(time: bigint): Promise<bigint | undefined>;
  /** The operator's receipt keys with their height windows (none for an unknown operator). */
  receiptKeysOf(operator: string): Promise<readonly ReceiptKeyInfo[]>;
  /** The payer's record of `key`, authorised or revoked; undefined if it never authorised it. */
  payerKey(payer: string, key: Uint8Array): Promise<Pick<PayerKey, 'authorizedHeight' | 'revokedHeight'> | undefined>;
  /** Any attestation the registry accepted, expired or replaced ones too. */
  attestation(id: Uint8Array): Promise<Attestation | undefined>;
  /**
   * How signatures are verified: verifyEd25519 when absent (the chain). The watcher answers from
   * results its worker threads computed ahead; the answer must be verifyEd25519's.
   */
  readonly verifySignature?: SignatureVerifier;
  /**
   * The receipt's sign bytes: receiptSignBytes when absent (the chain). The watcher hands back the
   * bytes it built once for its worker threads; they must be receiptSignBytes's.
   */
  readonly signBytes?: (r: Receipt) => Uint8Array;
}

/** The batch fields a receipt is judged against. */
export type JudgedBatch = Pick<Batch, 'operator' | 'payer' | 'modelId' | 'adapterId' | 'epoch' | 'timeStart' | 'timeEnd'>;

/** The facts as the keeper holds them, read through the transaction's (gas-metered) store. */
export function keeperFacts(k: ReceiptsKeeper, ctx: Context): ReceiptFacts {
  return {
    chainId: ctx.block.chainId,
    chargeVerify: (what) => ctx.gas.consume(VERIFY_GAS, what),
    heightAt: (time) => k.heightAt(ctx.store, time),
    receiptKeysOf: (operator) => k.registry.receiptKeysOf(ctx.store, ctx.addresses.decode(operator)),
    payerKey: (payer, key) => k.registry.payerKeyOf(ctx.store, ctx.addresses.decode(payer), key),
    attestation: (id) => k.registry.getAttestation(ctx.store, id),
  };
}

const fraud = (detail: string): Verdict => ({ ok: false, kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD, detail });

export async function judgeReceipt(facts: ReceiptFacts, batch: JudgedBatch, r: Receipt): Promise<Verdict> {
  const mismatch = (
    [
      ['operator', r.operator, batch.operator],
      ['payer', r.payer, batch.payer],
      ['model_id', r.modelId, batch.modelId],
      ['adapter_id', r.adapterId, batch.adapterId],
      ['epoch', r.epoch, batch.epoch],
    ] as const
  ).find(([, got, want]) => got !== want);
  if (mismatch !== undefined) return fraud(`receipt ${mismatch[0]} is ${String(mismatch[1])}, the batch's is ${String(mismatch[2])}`);
  facts.chargeVerify('receipt payer signature');
  const verify = facts.verifySignature ?? verifyEd25519;
  // Built once for both signatures; a receipt that has none is malformed, which receiptProblems says.
  let signBytes: Uint8Array | undefined;
  try {
    signBytes = (facts.signBytes ?? receiptSignBytes)(r);
  } catch (e) {
    if (!(e instanceof ReceiptFormatError)) throw e;
  }
  const problems = receiptProblems(r, { chainId: facts.chainId, verify, ...(signBytes === undefined ? {} : { signBytes }) });
  if (problems.length > 0) return fraud(problems.join('; '));
  if (r.startedAt < batch.timeStart || r.finishedAt >= batch.timeEnd) {
    return fraud(`receipt time [${r.startedAt}, ${r.finishedAt}] is outside the batch's window [${batch.timeStart}, ${batch.timeEnd})`);
  }
  const height = await facts.heightAt(r.finishedAt);
  if (height === undefined) return fraud(`no block is known at the receipt's time ${r.finishedAt}`);
  const key = receiptKeyAt(await facts.receiptKeysOf(r.operator), height);
  if (key === undefined) return fraud(`the operator had no receipt key at height ${height}`);
  facts.chargeVerify('receipt operator signature');
  if (signBytes === undefined || !verify(key.key, signBytes, r.operatorSignature)) return fraud(`operator_signature does not verify with the operator's receipt key at height ${height}`);
  if (!payerKeyValidAt(await facts.payerKey(r.payer, r.payerKey), height)) {
    return fraud(`payer_key ${Buffer.from(r.payerKey).toString('hex')} was not authorised by the payer at height ${height}`);
  }
  if (r.attestationId.length > 0) {
    const a = await facts.attestation(r.attestationId);
    if (a === undefined) return fraud('the receipt names an attestation the registry never accepted');
    if (a.operator !== r.operator) return fraud(`the attestation belongs to ${a.operator}`);
    if (r.startedAt < a.issuedAt) return fraud(`served at ${r.startedAt}, before the attestation was issued at ${a.issuedAt}`);
    if (r.finishedAt >= a.expiresAt) {
      return { ok: false, kind: FaultKind.FAULT_KIND_STALE_ATTESTATION, detail: `served until ${r.finishedAt} under an attestation that expired at ${a.expiresAt}` };
    }
  }
  return { ok: true };
}
