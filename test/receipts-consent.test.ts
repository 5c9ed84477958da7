// Payer consent (SPEC r2): every MsgSubmitBatch carries the payer's signature over the batch's
// terms. Without a valid one the batch is refused with its own code and nothing is locked: the
// griefer who named a payer in a junk batch (review finding 4) and the operator who slipped a
// receipt signed by a key of its own into an honest batch (finding 1) both get nowhere.
import { beforeEach, describe, expect, it } from 'vitest';
import { BatchError, batchTerms, buildBatch } from '../sdk/receipts/batch.ts';
import { batchSignBytes, signBatch, signBatchAsPayer, signedLedger, verifyBatchSignature } from '../sdk/receipts/batch-signature.ts';
import { signReceipt } from '../sdk/receipts/receipt.ts';
import { BatchStatus } from '../proto/gen/cairn/receipts/v1/types.ts';
import { ReceiptsChain, receiptMsgs } from './support/receipts-chain.ts';
import { fixedKey } from './support/receipts-fixtures.ts';
import { msgs as registryMsgs } from './support/registry.ts';

const E = (code: number) => ({ code, codespace: 'receipts' });
const ERR = {
  noSignature: E(28),
  otherChain: E(29),
  notAuthorised: E(30),
  revoked: E(31),
  replayed: E(32),
  mismatch: E(33),
};

let rc: ReceiptsChain;

beforeEach(async () => {
  rc = await ReceiptsChain.start({ receipts: { reveal_window: '20', dispute_window_blocks: '30', escrow_withdraw_delay: '60' } });
});

describe('the batch sign-bytes', () => {
  it('cover every term: changing any one of them breaks the signature', () => {
    const batch = buildBatch(rc.receipts(3));
    const signed = signBatch(batchTerms(batch, 'escrow'), rc.payerKey);
    expect(verifyBatchSignature(signed)).toBe(true);
    const changes = {
      chainId: 'other-chain',
      operator: rc.address('operator2'),
      payer: rc.address('griefer'),
      modelId: 'other-model',
      adapterId: 'lora',
      epoch: signed.epoch + 1n,
      mode: 2 as const,
      root: new Uint8Array(32).fill(7),
      count: signed.count + 1n,
      units: signed.units + 1n,
      amount: (BigInt(signed.amount) + 1n).toString(),
      paymentRefsRoot: new Uint8Array(32),
    };
    for (const [field, value] of Object.entries(changes)) expect(verifyBatchSignature({ ...signed, [field]: value }), field).toBe(false);
    expect(new TextDecoder().decode(batchSignBytes(signed).subarray(0, 14))).toBe('cairn/batch/v1');
  });

  it('are signed by a payer only over receipts it signed itself', () => {
    const mine = rc.receipts(4);
    const batch = buildBatch(mine);
    expect(verifyBatchSignature(signBatchAsPayer(batch, 'offchain', rc.payerKey, signedLedger(mine)))).toBe(true);
    // One receipt signed by a key the operator made up (review finding 1).
    const forged = rc.receipts(1, { payerKey: fixedKey('operator-made-payer-key') })[0]!;
    const padded = buildBatch([...mine, forged]);
    expect(() => signBatchAsPayer(padded, 'escrow', rc.payerKey)).toThrow(BatchError);
    expect(() => signBatchAsPayer(padded, 'escrow', rc.payerKey)).toThrow(/names payer key/);
    // A receipt the payer signed, but with a field changed afterwards and signed again by someone else.
    const changed = signReceipt({ ...mine[0]!, unitsOut: mine[0]!.unitsOut + 1n, amount: (BigInt(mine[0]!.amount) + BigInt(mine[0]!.unitPrice)).toString() }, 'operator', rc.operatorKey);
    expect(() => signBatchAsPayer(buildBatch([changed, ...mine.slice(1)]), 'escrow', rc.payerKey)).toThrow(/does not carry this key's payer signature/);
    // A receipt this payer key did sign, but not one in the payer's own record.
    const extra = rc.receipts(1);
    expect(() => signBatchAsPayer(buildBatch([...mine, ...extra]), 'escrow', rc.payerKey, signedLedger(mine))).toThrow(/not among the receipts this payer signed/);
  });
});

describe('MsgSubmitBatch without valid payer consent', () => {
  it('is refused with its own code for each way the signature is wrong, and locks nothing', async () => {
    const batch = buildBatch(rc.receipts(4));
    const terms = batchTerms(batch, 'escrow');
    const escrow = await rc.escrow();

    await rc.expectRefused('operator', receiptMsgs.submit({ ...terms, payerKey: new Uint8Array(), payerSignature: new Uint8Array() }), ERR.noSignature, 'payer_key (0 bytes)');
    await rc.expectRefused('operator', receiptMsgs.submit(signBatch({ ...terms, chainId: 'cairn-other-1' }, rc.payerKey)), ERR.otherChain, 'signed for chain "cairn-other-1"');
    // A key the operator made up, and a key another account authorised.
    await rc.expectRefused('operator', receiptMsgs.submit(signBatch(terms, fixedKey('operator-made-payer-key'))), ERR.notAuthorised, `is not a receipt key of ${rc.address('payer')}`);
    const theirs = fixedKey('griefer-payer-key');
    await rc.ok('griefer', registryMsgs.authorizePayerKey(rc.address('griefer'), theirs.publicKey));
    await rc.expectRefused('operator', receiptMsgs.submit(signBatch(terms, theirs)), ERR.notAuthorised);
    // A key the payer revoked.
    const old = fixedKey('payer-old-key');
    await rc.ok('payer', registryMsgs.authorizePayerKey(rc.address('payer'), old.publicKey));
    await rc.ok('payer', registryMsgs.revokePayerKey(rc.address('payer'), old.publicKey));
    await rc.expectRefused('operator', receiptMsgs.submit(signBatch(terms, old)), ERR.revoked, 'revoked');
    // The payer's signature, over other totals than the ones submitted.
    const signed = signBatch(terms, rc.payerKey);
    await rc.expectRefused('operator', receiptMsgs.submit({ ...signed, root: new Uint8Array(32).fill(9) }), ERR.mismatch, 'not over this batch');
    await rc.expectRefused('operator', receiptMsgs.submit({ ...signed, count: signed.count + 1n }), ERR.mismatch);
    await rc.expectRefused('operator', receiptMsgs.submit({ ...signed, amount: (BigInt(signed.amount) * 10n).toString() }), ERR.mismatch);
    await rc.expectRefused('operator', receiptMsgs.submit({ ...signed, mode: 2, paymentRefsRoot: new Uint8Array(32) }), ERR.mismatch);
    // Replayed: the consent to one batch carried onto another.
    const first = await rc.submit(batch);
    const other = buildBatch(rc.receipts(4));
    await rc.expectRefused('operator', receiptMsgs.submit({ ...batchTerms(other, 'escrow'), payerKey: signed.payerKey, payerSignature: signed.payerSignature }), ERR.replayed, `given for batch ${first.id}`);
    expect((await rc.escrow()).locked).toBe(escrow.locked + batch.header.amount);
    expect((await rc.batch(first.id)).payerKey).toEqual(rc.payerKey.publicKey);
  });

  it('stops a griefer from locking a payer’s escrow with a junk batch (finding 4)', async () => {
    // The griefer registers as an operator and names the payer in a batch of made-up receipts.
    const grieferKey = fixedKey('griefer-receipt-key');
    await rc.ok('griefer', registryMsgs.registerOperator(rc.address('griefer'), 0, { receiptKey: grieferKey.publicKey, bond: { denom: 'ucairn', amount: '100000000' } }));
    const before = await rc.escrow();
    const ownKey = fixedKey('griefer-made-payer-key');
    const junk = buildBatch(rc.receipts(3, { operator: rc.address('griefer'), operatorKey: grieferKey, payerKey: ownKey, unitPrice: '10000000' }));
    // Before payer consent this batch was accepted and locked its amount from the payer's escrow.
    await rc.expectRefused('griefer', receiptMsgs.submit(signBatch(batchTerms(junk, 'escrow'), ownKey)), ERR.notAuthorised);
    await rc.expectRefused('griefer', receiptMsgs.submit({ ...batchTerms(junk, 'escrow'), payerKey: rc.payerKey.publicKey, payerSignature: new Uint8Array(64) }), ERR.mismatch);
    expect(await rc.escrow()).toEqual(before);
  });

  it('stops an operator from billing a receipt signed by a key of its own inside an honest batch (finding 1)', async () => {
    const honest = rc.receipts(5);
    const madeUp = fixedKey('operator-made-payer-key');
    const forged = rc.receipts(1, { payerKey: madeUp, unitsIn: 1_000_000n });
    const padded = buildBatch([...honest, ...forged]);
    // The payer's gateway refuses to sign the padded batch; its consent to the honest one does not fit it.
    expect(() => signBatchAsPayer(padded, 'escrow', rc.payerKey, signedLedger(honest))).toThrow(BatchError);
    const consent = signBatchAsPayer(buildBatch(honest), 'escrow', rc.payerKey, signedLedger(honest));
    const before = await rc.escrow();
    await rc.expectRefused('operator', receiptMsgs.submit({ ...batchTerms(padded, 'escrow'), payerKey: consent.payerKey, payerSignature: consent.payerSignature }), ERR.mismatch);
    await rc.expectRefused('operator', receiptMsgs.submit(signBatch(batchTerms(padded, 'escrow'), madeUp)), ERR.notAuthorised);
    expect(await rc.escrow()).toEqual(before);
    // The honest batch, with the payer's consent, goes through.
    const ok = await rc.ok('operator', receiptMsgs.submit(consent));
    expect(ok.code).toBe(0);
    expect((await rc.batch(1n)).status).toBe(BatchStatus.BATCH_STATUS_PENDING);
  });
});
