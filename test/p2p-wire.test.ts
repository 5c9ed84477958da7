// The gossip validator judges a batch at the wire level (node/p2p/batch-wire.ts): it must reach
// buildBatch's verdict on every honest batch, refuse a forged root, and refuse receipt bytes whose
// decoding re-encodes differently (their hash-of-bytes root would not be the receipts' root).
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Envelope, SignedBody } from '../proto/gen/cairn/p2p/v1/gossip.ts';
import { Receipt, SumTree, buildBatch, leafHash, receiptAmount } from '../sdk/index.ts';
import { envelopeSignBytes } from '../sdk/registry/evidence.ts';
import { MessageValidator } from '../node/p2p/validate.ts';
import { MemoryChain, TEST_CHAIN, sealedTestBatch, testBatch, testOperator, testReceipts } from './support/p2p.ts';
import { signedReceipt } from './support/receipts-fixtures.ts';

const op = testOperator('wire');
const party = { chainId: TEST_CHAIN, operator: op.address, payer: op.payer, payerKey: op.payerKey, operatorKey: op.key };

function validator(): MessageValidator {
  const chain = new MemoryChain();
  chain.register(op.address, op.key.publicKey);
  return new MessageValidator(chain);
}

/** An envelope signed by the operator around receipts given as raw bytes, with the root given. */
function rawEnvelope(root: Uint8Array, receipts: readonly Uint8Array[]): Uint8Array {
  const batch = new BinaryWriter();
  batch.uint32(10).bytes(root);
  for (const r of receipts) batch.uint32(18).bytes(r);
  const body = SignedBody.encode({ chainId: TEST_CHAIN, operator: op.address, signerKey: op.key.publicKey, height: 10n, batch: undefined, attestations: undefined });
  body.uint32(82).bytes(batch.finish());
  const bytes = body.finish();
  return Envelope.encode({ body: bytes, signature: op.key.sign(envelopeSignBytes(bytes)) }).finish();
}

/** The root a verifier would get by hashing the bytes as sent, sorted by id as buildBatch sorts. */
function rootOfBytes(receipts: readonly Uint8Array[]): Uint8Array {
  const leaves = receipts
    .map((bytes) => ({ bytes, r: Receipt.decode(bytes) }))
    .sort((a, b) => Buffer.compare(a.r.id, b.r.id))
    .map(({ bytes, r }) => ({ hash: leafHash(bytes), amount: receiptAmount(r), count: 1n }));
  return SumTree.build(leaves).root.hash;
}

describe('the wire-level batch check', () => {
  it('accepts every honest batch, whatever its size and optional fields, with the root buildBatch builds', async () => {
    const v = validator();
    const variants = [
      testReceipts(op, 1),
      testReceipts(op, 2, 10),
      testReceipts(op, 7, 20),
      testReceipts(op, 300, 100),
      [signedReceipt({ ...party }, 5, { adapterId: 'lora-x', attestationId: new Uint8Array(32).fill(3), paymentRef: Uint8Array.of(1, 2), epoch: 4n, unitsIn: 0n })],
      [signedReceipt({ ...party }, 6, { unitsOut: 2n ** 40n, unitPrice: '0', amount: '0', startedAt: 0n })],
      // Amounts read in place (up to 15 digits) and through parseU128 (longer), in one batch.
      [signedReceipt({ ...party }, 7, { amount: '999999999999999' }), signedReceipt({ ...party }, 8, { amount: '1000000000000000' }), signedReceipt({ ...party }, 9, { amount: (2n ** 127n).toString() })],
    ];
    for (const receipts of variants) {
      const batch = buildBatch(receipts.slice().reverse());
      const verdict = await v.validate('batch', sealedTestBatch(op, batch));
      expect(verdict.result).toBe('accept');
      if (verdict.result !== 'accept') continue;
      expect(Buffer.from(verdict.opened.root!)).toEqual(Buffer.from(batch.header.root));
      // The receipts decoded later (off the forwarding path) are the ones sent.
      expect(verdict.opened.body.batch!.receipts).toEqual(batch.receipts);
    }
  });

  it('refuses a forged root, duplicated or mixed receipts as buildBatch does', async () => {
    const v = validator();
    const receipts = testReceipts(op, 4);
    const encoded = receipts.map((r) => Receipt.encode(r).finish());
    const forged = await v.validate('batch', rawEnvelope(new Uint8Array(32).fill(7), encoded));
    expect(forged).toMatchObject({ result: 'reject', reason: 'root-mismatch' });
    const twice = await v.validate('batch', rawEnvelope(rootOfBytes([...encoded, encoded[0]!]), [...encoded, encoded[0]!]));
    expect(twice).toMatchObject({ result: 'reject', reason: 'bad-batch', detail: expect.stringMatching(/appears twice/) });
    const otherPayer = Receipt.encode(signedReceipt({ ...party, payer: testOperator('someone').payer }, 99)).finish();
    const mixed = await v.validate('batch', rawEnvelope(rootOfBytes([...encoded, otherPayer]), [...encoded, otherPayer]));
    expect(mixed).toMatchObject({ result: 'reject', reason: 'bad-batch', detail: expect.stringMatching(/differs from the first in field 4/) });
    const noId = Receipt.encode({ ...receipts[0]!, id: new Uint8Array(31) }).finish();
    expect(await v.validate('batch', rawEnvelope(rootOfBytes([noId]), [noId]))).toMatchObject({ result: 'reject', reason: 'bad-batch' });
    for (const amount of ['01', '\uFEFF12']) {
      const badAmount = Receipt.encode({ ...receipts[0]!, amount }).finish();
      expect(await v.validate('batch', rawEnvelope(new Uint8Array(32), [badAmount]))).toMatchObject({ result: 'reject', reason: 'bad-batch', detail: expect.stringMatching(/not a non-negative integer/) });
      expect(() => buildBatch([Receipt.decode(badAmount)])).toThrow(/not a non-negative integer/);
    }
  });

  it('refuses receipt bytes that decode to receipts of another root, even when the root is that of the bytes', async () => {
    const v = validator();
    const honest = Receipt.encode(testReceipts(op, 1, 50)[0]!).finish();
    const chainField = honest.subarray(0, 2 + honest[1]!); // tag 10, length, chain id: the first field
    const variants: Record<string, Uint8Array> = {
      'an unknown field': Buffer.concat([honest, Uint8Array.of(0xa8, 0x01, 0x01)]),
      'a field twice': Buffer.concat([honest, chainField]),
      'fields out of order': Buffer.concat([honest.subarray(chainField.length), chainField]),
      'an empty field written out': Buffer.concat([honest, Uint8Array.of(0xa2, 0x01, 0x00)]),
      'a padded length': Buffer.concat([Uint8Array.of(10, honest[1]! | 0x80, 0x00), honest.subarray(2)]),
      'invalid UTF-8': Buffer.concat([Uint8Array.of(10, 2, 0xc3, 0x28), honest.subarray(chainField.length)]),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      const verdict = await v.validate('batch', rawEnvelope(rootOfBytes([bytes]), [bytes]));
      expect(verdict, name).toMatchObject({ result: 'reject', reason: 'bad-batch', detail: expect.stringMatching(/canonical encoding/) });
    }
    // Why: decoding and re-encoding (what the watcher and the chain hash) gives another root.
    const bytes = variants['an unknown field']!;
    expect(Buffer.from(buildBatch([Receipt.decode(bytes)]).header.root)).not.toEqual(Buffer.from(rootOfBytes([bytes])));
  });

  it('never accepts mutated receipt bytes whose decoding builds another root (differential, random edits)', async () => {
    const v = validator();
    const honest = Receipt.encode(testReceipts(op, 1, 70)[0]!).finish();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: honest.length - 1 }), fc.nat({ max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 3 }), async (edits) => {
        const bytes = Array.from(honest);
        for (const [at, value, how] of edits) {
          if (how === 'set') bytes[at % bytes.length] = value;
          else if (how === 'insert') bytes.splice(at % (bytes.length + 1), 0, value);
          else bytes.splice(at % bytes.length, 1);
        }
        const mutated = Uint8Array.from(bytes);
        let root: Uint8Array;
        try {
          root = rootOfBytes([mutated]);
        } catch {
          return; // not even decodable: nothing to compare
        }
        const verdict = await v.validate('batch', rawEnvelope(root, [mutated]), { fetched: true });
        if (verdict.result !== 'accept') return;
        accepted++;
        expect(Buffer.from(buildBatch([Receipt.decode(mutated)]).header.root)).toEqual(Buffer.from(root));
      }),
      { numRuns: 300 },
    );
    // Some edits keep a canonical receipt (a changed signature or hash byte): those are accepted.
    expect(accepted).toBeGreaterThan(0);
  });

  it('refuses truncated and self-contradicting envelopes as undecodable', async () => {
    const v = validator();
    const good = sealedTestBatch(op, testBatch(op, 3));
    expect(await v.validate('batch', good.subarray(0, good.length - 5))).toMatchObject({ result: 'reject', reason: 'undecodable' });
    const twoBodies = Buffer.concat([good, good]);
    expect(await v.validate('batch', twoBodies)).toMatchObject({ result: 'reject', reason: 'undecodable' });
    expect(await v.validate('batch', Uint8Array.of(0xff, 0xff, 0xff))).toMatchObject({ result: 'reject', reason: 'undecodable' });
  });
});
