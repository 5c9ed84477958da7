import { describe, expect, it } from 'vitest';
import { Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { generateEd25519 } from '../ed25519.ts';
import { REQUEST_HEADERS, RequestAuthError, decodeReceipt, encodeReceipt, offerName, parseOfferName, signRequest, verifyRequest } from './protocol.ts';

const OPERATOR = 'cairn1qyqszqgpqyqszqgpqyqszqgpqyqszqgpr8jfuv';
const OTHER_OPERATOR = 'cairn1qgpqyqszqgpqyqszqgpqyqszqgpqyqszjr5vh6';
const PAYER = 'cairn1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrnn4dam';
const body = new TextEncoder().encode('{"model":"acme/llama","messages":[]}');
const id = new Uint8Array(32).fill(7);

describe('gateway request authorisation', () => {
  const { signer } = generateEd25519();
  const headers = signRequest('cairn-1', OPERATOR, PAYER, id, 1000n, body, signer);

  it('verifies for the operator, chain and body it was signed for', () => {
    const v = verifyRequest('cairn-1', OPERATOR, headers, body, 1010n);
    expect(v.payer).toBe(PAYER);
    expect(v.payerKey).toEqual(signer.publicKey);
    expect(v.receiptId).toEqual(id);
  });

  it('refuses a replay to another operator or chain, another body, an old time, missing headers', () => {
    expect(() => verifyRequest('cairn-1', OTHER_OPERATOR, headers, body, 1000n)).toThrow(/does not verify/);
    expect(() => verifyRequest('cairn-2', OPERATOR, headers, body, 1000n)).toThrow(/does not verify/);
    expect(() => verifyRequest('cairn-1', OPERATOR, headers, new Uint8Array([1]), 1000n)).toThrow(/does not verify/);
    expect(() => verifyRequest('cairn-1', OPERATOR, headers, body, 1061n)).toThrow(/check the payer's clock/);
    expect(() => verifyRequest('cairn-1', OPERATOR, { ...headers, [REQUEST_HEADERS.signature]: undefined }, body, 1000n)).toThrow(RequestAuthError);
    expect(() => verifyRequest('cairn-1', OPERATOR, { ...headers, [REQUEST_HEADERS.receiptId]: 'zz' }, body, 1000n)).toThrow(/hex/);
    expect(() => verifyRequest('cairn-1', OPERATOR, { ...headers, [REQUEST_HEADERS.payer]: 'nope' }, body, 1000n)).toThrow(RequestAuthError);
  });
});

describe('receipt transport', () => {
  it('round-trips a receipt and refuses garbage', () => {
    const r = Receipt.fromPartial({ chainId: 'cairn-1', id, operator: OPERATOR, payer: PAYER, modelId: 'acme/llama', unitsIn: 3n, unitsOut: 4n, unitPrice: '2', amount: '14' });
    expect(Receipt.toJSON(decodeReceipt(encodeReceipt(r)))).toEqual(Receipt.toJSON(r));
    expect(() => decodeReceipt('%%%')).toThrow(RangeError);
    expect(() => decodeReceipt('A'.repeat(5000))).toThrow(RangeError);
  });

  it('names offers with an optional adapter', () => {
    expect(offerName('acme/llama', '')).toBe('acme/llama');
    expect(parseOfferName(offerName('acme/llama', 'acme/sql-lora'))).toEqual({ modelId: 'acme/llama', adapterId: 'acme/sql-lora' });
  });
});
