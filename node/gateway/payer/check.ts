// The payer's check of an operator's receipt, before co-signing it: every field is what this
// gateway asked for and received, priced at the operator's on-chain offer, and signed by the
// operator's registered receipt key. A receipt that fails any check is not co-signed: the chain
// would pay it, so the payer must never sign what it cannot vouch for.
import { type Receipt, receiptProblems, signReceipt } from '../../../sdk/receipts/receipt.ts';
import { equalBytes, toHex } from '../../../sdk/bytes.ts';
import type { Ed25519Signer } from '../../../sdk/ed25519.ts';

export interface Expected {
  readonly chainId: string;
  readonly id: Uint8Array;
  readonly operator: string;
  readonly payer: string;
  readonly modelId: string;
  readonly adapterId: string;
  /** The epoch the payer sees; the operator's may be one off at an epoch boundary. */
  readonly epoch: bigint;
  readonly unitPrice: bigint;
  readonly requestHash: Uint8Array;
  readonly responseHash: Uint8Array;
  /** From the response's `usage`; undefined when it had none (then no receipt can be checked). */
  readonly usage: { readonly promptTokens: bigint; readonly completionTokens: bigint } | undefined;
  /** The request's completion-token ceiling (max_tokens × n), when it set one. */
  readonly maxUnitsOut: bigint | undefined;
  readonly operatorKey: Uint8Array;
  /** Unix seconds: when the request was sent and when its answer ended. */
  readonly sentAt: bigint;
  readonly receivedAt: bigint;
}

/** Seconds a receipt's times may sit outside [sent, received] (clocks differ a little). */
export const CLOCK_SLACK_SECONDS = 60n;

/**
 * Co-signs `r` if it is exactly the receipt this request deserves; otherwise returns the problems
 * (one line each, for the misbehaviour record).
 */
export function checkAndCosign(r: Receipt, e: Expected, payerKey: Ed25519Signer): { ok: true; receipt: Receipt } | { ok: false; problems: string[] } {
  const p: string[] = [];
  const same = (what: string, got: string | bigint, want: string | bigint): void => {
    if (got !== want) p.push(`${what} is ${String(got)}, not ${String(want)}`);
  };
  same('chain_id', r.chainId, e.chainId);
  if (!equalBytes(r.id, e.id)) p.push(`id is ${toHex(r.id)}, not the request's ${toHex(e.id)}`);
  same('operator', r.operator, e.operator);
  same('payer', r.payer, e.payer);
  same('model_id', r.modelId, e.modelId);
  same('adapter_id', r.adapterId, e.adapterId);
  if (r.epoch + 1n < e.epoch || r.epoch > e.epoch + 1n) p.push(`epoch is ${r.epoch}, the chain is at ${e.epoch}`);
  if (!equalBytes(r.payerKey, payerKey.publicKey)) p.push(`payer_key is ${toHex(r.payerKey)}, not this gateway's ${toHex(payerKey.publicKey)}`);
  same('unit_price', r.unitPrice, e.unitPrice.toString());
  if (!equalBytes(r.requestHash, e.requestHash)) p.push('request_hash is not the sha256 of the request this gateway sent');
  if (!equalBytes(r.responseHash, e.responseHash)) p.push('response_hash is not the sha256 of the response this gateway received');
  if (e.usage === undefined) p.push('the response carried no usage to check the units against');
  else {
    same('units_in', r.unitsIn, e.usage.promptTokens);
    same('units_out', r.unitsOut, e.usage.completionTokens);
  }
  if (e.maxUnitsOut !== undefined && r.unitsOut > e.maxUnitsOut) p.push(`units_out ${r.unitsOut} exceeds the request's max_tokens ${e.maxUnitsOut}`);
  if (r.startedAt + CLOCK_SLACK_SECONDS < e.sentAt || r.finishedAt > e.receivedAt + CLOCK_SLACK_SECONDS) {
    p.push(`times ${r.startedAt}..${r.finishedAt} are outside the request's ${e.sentAt}..${e.receivedAt}`);
  }
  if (r.payerSignature.length !== 0) p.push('payer_signature is already set');
  if (p.length > 0) return { ok: false, problems: p };
  let signed: Receipt;
  try {
    signed = signReceipt(r, 'payer', payerKey);
  } catch (err) {
    return { ok: false, problems: [(err as Error).message] };
  }
  // Structure, amount = (in + out) × price, and the operator's signature under its registered key.
  const rest = receiptProblems(signed, { operatorKey: e.operatorKey, chainId: e.chainId });
  return rest.length === 0 ? { ok: true, receipt: signed } : { ok: false, problems: rest };
}
