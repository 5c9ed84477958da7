// Receipt fixtures for tests and benchmarks: deterministic keys and ids, and signed receipts with
// valid defaults that a test overrides field by field (then re-signs, or not, to forge).
import { createHash } from 'node:crypto';
import { type Ed25519Signer, ed25519FromSeed } from '../../sdk/ed25519.ts';
import { signReceipt } from '../../sdk/receipts/receipt.ts';
import type { Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';

function digest(...parts: (string | number | bigint)[]): Uint8Array {
  return new Uint8Array(createHash('sha256').update(parts.join('/')).digest());
}

/** The seed of fixedKey(label): what a key file for that key holds (as hex). */
export function fixedSeed(label: string): Uint8Array {
  return digest('cairn-test-key', label);
}

/** The same key for the same label, in every run. */
export function fixedKey(label: string): Ed25519Signer {
  return ed25519FromSeed(fixedSeed(label));
}

/** A 32-byte receipt id; ids of different labels never collide in practice. */
export function receiptId(n: number | bigint, label = ''): Uint8Array {
  return digest('cairn-test-receipt', label, n);
}

export interface ReceiptParty {
  readonly chainId: string;
  readonly operator: string;
  readonly payer: string;
  readonly payerKey: Ed25519Signer;
  readonly operatorKey: Ed25519Signer;
}

/** An unsigned receipt: `units_in + units_out` units at `unitPrice`, amount consistent. */
export function unsignedReceipt(p: ReceiptParty, n: number | bigint, f: Partial<Receipt> = {}): Receipt {
  const unitsIn = f.unitsIn ?? 100n + BigInt(n) % 7n;
  const unitsOut = f.unitsOut ?? 200n + BigInt(n) % 11n;
  const unitPrice = f.unitPrice ?? '3';
  return {
    chainId: p.chainId,
    id: receiptId(n),
    operator: p.operator,
    payer: p.payer,
    modelId: 'llama-3-8b',
    adapterId: '',
    epoch: 0n,
    unitsIn,
    unitsOut,
    unitPrice,
    amount: ((unitsIn + unitsOut) * BigInt(unitPrice)).toString(),
    paymentRef: new Uint8Array(),
    attestationId: new Uint8Array(),
    startedAt: 1_800_000_000n,
    finishedAt: 1_800_000_001n,
    requestHash: digest('request', n),
    responseHash: digest('response', n),
    payerKey: p.payerKey.publicKey,
    payerSignature: new Uint8Array(),
    operatorSignature: new Uint8Array(),
    ...f,
  };
}

/** Signed by both parties. */
export function signedReceipt(p: ReceiptParty, n: number | bigint, f: Partial<Receipt> = {}): Receipt {
  return signReceipt(signReceipt(unsignedReceipt(p, n, f), 'payer', p.payerKey), 'operator', p.operatorKey);
}
