// The chain's full check of one receipt of a batch, against the state at hand: the receipt's fields
// match its batch, it is well formed, amount = (units_in + units_out) × unit_price, its times are
// inside the batch's epoch window, and at the height of its finished_at both signing keys were
// authorised (the operator's receipt key by its rotation window, the payer's by authorisation and
// revocation) and the attestation it names was valid. Signing keys are judged at finished_at
// because that is when a receipt is signed.
import type { Context } from '../../core/framework/context.ts';
import { type Batch, FaultKind, type Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { verifyEd25519 } from '../../sdk/ed25519.ts';
import { receiptProblems, receiptSignBytes } from '../../sdk/receipts/receipt.ts';
import type { ReceiptsKeeper } from './keeper.ts';

/** Gas of one ed25519 verification: the auth module's default sig_verify_cost_ed25519. */
export const VERIFY_GAS = 590n;

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly kind: FaultKind; readonly detail: string };

const fraud = (detail: string): Verdict => ({ ok: false, kind: FaultKind.FAULT_KIND_RECEIPT_FRAUD, detail });

export async function judgeReceipt(k: ReceiptsKeeper, ctx: Context, batch: Batch, r: Receipt): Promise<Verdict> {
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
  ctx.gas.consume(VERIFY_GAS, 'receipt payer signature');
  const problems = receiptProblems(r, { chainId: ctx.block.chainId });
  if (problems.length > 0) return fraud(problems.join('; '));
  if (r.startedAt < batch.timeStart || r.finishedAt >= batch.timeEnd) {
    return fraud(`receipt time [${r.startedAt}, ${r.finishedAt}] is outside the batch's window [${batch.timeStart}, ${batch.timeEnd})`);
  }
  const height = await k.heightAt(ctx.store, r.finishedAt);
  if (height === undefined) return fraud(`no block is known at the receipt's time ${r.finishedAt}`);
  const operator = ctx.addresses.decode(r.operator);
  const key = (await k.registry.receiptKeysOf(ctx.store, operator)).find((w) => w.validFrom <= height && (w.validUntil === undefined || height < w.validUntil));
  if (key === undefined) return fraud(`the operator had no receipt key at height ${height}`);
  ctx.gas.consume(VERIFY_GAS, 'receipt operator signature');
  if (!verifyEd25519(key.key, receiptSignBytes(r), r.operatorSignature)) return fraud(`operator_signature does not verify with the operator's receipt key at height ${height}`);
  if (!(await k.registry.payerKeyAuthorized(ctx.store, ctx.addresses.decode(r.payer), r.payerKey, height))) {
    return fraud(`payer_key ${Buffer.from(r.payerKey).toString('hex')} was not authorised by the payer at height ${height}`);
  }
  if (r.attestationId.length > 0) {
    const a = await k.registry.getAttestation(ctx.store, r.attestationId);
    if (a === undefined) return fraud('the receipt names an attestation the registry never accepted');
    if (a.operator !== r.operator) return fraud(`the attestation belongs to ${a.operator}`);
    if (r.startedAt < a.issuedAt) return fraud(`served at ${r.startedAt}, before the attestation was issued at ${a.issuedAt}`);
    if (r.finishedAt >= a.expiresAt) {
      return { ok: false, kind: FaultKind.FAULT_KIND_STALE_ATTESTATION, detail: `served until ${r.finishedAt} under an attestation that expired at ${a.expiresAt}` };
    }
  }
  return { ok: true };
}
