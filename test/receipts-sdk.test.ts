// The receipts SDK (sdk/): sign-bytes, signatures, batches and the Merkle-sum tree. Property tests
// run over arbitrary trees: honest proofs always verify, any tampering never does, and the root
// carries the totals.
import { toBech32 } from '@cosmjs/encoding';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedKey, receiptId, signedReceipt, unsignedReceipt, type ReceiptParty } from './support/receipts-fixtures.ts';
import {
  BatchError,
  type InclusionProof,
  RECEIPT_DOMAIN,
  Receipt,
  SettlementMode,
  SumTree,
  type SumValue,
  U128_MAX,
  batchRoot,
  buildBatch,
  checkSumNodeProof,
  ed25519FromSeed,
  inclusionProof,
  leafHash,
  nodeHash,
  parentOf,
  pathProblem,
  receiptInclusionProblem,
  receiptProblems,
  receiptSignBytes,
  sampleIndices,
  signReceipt,
  batchTerms,
  verifyEd25519,
  verifyInclusion,
  verifyReceipt,
} from '../sdk/index.ts';
import { sumRootOfLeaves } from '../sdk/receipts/merkle.ts';

const OPERATOR = toBech32('cairn', new Uint8Array(20).fill(1));
const PAYER = toBech32('cairn', new Uint8Array(20).fill(2));
const party: ReceiptParty = { chainId: 'cairn-test-1', operator: OPERATOR, payer: PAYER, payerKey: fixedKey('payer'), operatorKey: fixedKey('operator') };

const leafArb = fc.record({
  hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  amount: fc.bigInt({ min: 0n, max: 2n ** 100n }),
  count: fc.constant(1n),
});
const leavesArb = fc.array(leafArb, { minLength: 1, maxLength: 200 });
const proofIndex = (leaves: readonly unknown[]) => fc.nat({ max: leaves.length - 1 });

function rootOf(tree: SumTree): SumValue {
  return tree.root;
}

describe('receipt sign-bytes', () => {
  it('start with the domain separator and change with every signed field', () => {
    const r = unsignedReceipt(party, 1);
    const bytes = receiptSignBytes(r);
    expect(new TextDecoder().decode(bytes.subarray(0, RECEIPT_DOMAIN.length))).toBe('cairn/receipt/v1');
    const variants: Partial<Receipt>[] = [
      { chainId: 'other' },
      { id: receiptId(2) },
      { operator: PAYER },
      { payer: OPERATOR },
      { modelId: 'm2' },
      { adapterId: 'a' },
      { epoch: 1n },
      { unitsIn: 1n },
      { unitsOut: 1n },
      { unitPrice: '4' },
      { amount: '1' },
      { paymentRef: Uint8Array.of(1) },
      { attestationId: new Uint8Array(32) },
      { startedAt: 1n },
      { finishedAt: 2n },
      { requestHash: new Uint8Array(32) },
      { responseHash: new Uint8Array(32) },
      { payerKey: new Uint8Array(32) },
    ];
    const seen = new Set([Buffer.from(bytes).toString('hex')]);
    for (const v of variants) seen.add(Buffer.from(receiptSignBytes({ ...r, ...v })).toString('hex'));
    expect(seen.size).toBe(variants.length + 1);
    // Signatures are not signed.
    expect(receiptSignBytes({ ...r, payerSignature: new Uint8Array(64) })).toEqual(bytes);
  });

  it('keep adjacent text fields apart (model "ab" + adapter "" differs from "a" + "b")', () => {
    const r = unsignedReceipt(party, 1);
    expect(receiptSignBytes({ ...r, modelId: 'ab', adapterId: '' })).not.toEqual(receiptSignBytes({ ...r, modelId: 'a', adapterId: 'b' }));
  });
});

describe('signing and verifying a receipt', () => {
  it('accepts a receipt signed by both parties', () => {
    const r = signedReceipt(party, 1);
    expect(verifyReceipt(r, { operatorKey: party.operatorKey.publicKey, chainId: 'cairn-test-1' })).toEqual({ ok: true, problems: [] });
  });

  it('names each problem: wrong operator key, tampered field, bad amount, overflow', () => {
    const r = signedReceipt(party, 1);
    expect(receiptProblems(r, { operatorKey: fixedKey('someone').publicKey })).toEqual(['operator_signature does not verify with the operator key']);
    expect(receiptProblems({ ...r, unitsIn: r.unitsIn + 1n })).toContain('payer_signature does not verify with payer_key');
    const wrongAmount = signedReceipt(party, 2, { amount: '5' });
    expect(receiptProblems(wrongAmount, { operatorKey: party.operatorKey.publicKey })).toEqual([expect.stringMatching(/amount 5 is not \(units_in \+ units_out\) × unit_price/)]);
    const huge = signedReceipt(party, 3, { unitsIn: 2n ** 64n - 1n, unitsOut: 1n, unitPrice: (2n ** 100n).toString(), amount: '1' });
    expect(receiptProblems(huge).join()).toMatch(/does not fit in 128 bits/);
    expect(receiptProblems({ ...r, amount: '1e3' }).join()).toMatch(/not a non-negative integer/);
  });

  it('verifies right with keys seen before, keys views of a larger buffer, and more keys than are kept', () => {
    const keys = Array.from({ length: 4100 }, (_, i) => ed25519FromSeed(new Uint8Array(32).fill(i % 251).map((b, j) => (j === 0 ? i >> 8 : b))));
    const message = Uint8Array.of(1, 2, 3);
    const signed = keys.map((k) => ({ key: k.publicKey, signature: k.sign(message) }));
    for (const s of signed) expect(verifyEd25519(s.key, message, s.signature)).toBe(true);
    // The first keys were dropped to keep the later ones; a wrong key is refused, kept or not.
    for (const i of [0, 1, 4098, 4099]) {
      expect(verifyEd25519(signed[i]!.key, message, signed[i]!.signature)).toBe(true);
      expect(verifyEd25519(signed[(i + 1) % signed.length]!.key, message, signed[i]!.signature)).toBe(false);
    }
    const first = signed[0]!;
    const padded = new Uint8Array(40);
    padded.set(first.key, 8);
    expect(verifyEd25519(padded.subarray(8), message, first.signature)).toBe(true);
    expect(verifyEd25519(padded.subarray(7, 39), message, first.signature)).toBe(false);
  });

  it('refuses to sign for a payer whose key is not in the receipt', () => {
    expect(() => signReceipt(unsignedReceipt(party, 1), 'payer', fixedKey('other'))).toThrow(/payer_key must be the signing payer key/);
  });
});

describe('buildBatch', () => {
  const receipts = [3, 1, 2].map((n) => signedReceipt(party, n));

  it('sorts by receipt id and totals units, amount and count in the header', () => {
    const batch = buildBatch(receipts);
    const ids = batch.receipts.map((r) => Buffer.from(r.id).toString('hex'));
    expect(ids).toEqual([...ids].sort());
    expect(batch.header.count).toBe(3n);
    expect(batch.header.units).toBe(receipts.reduce((s, r) => s + r.unitsIn + r.unitsOut, 0n));
    expect(batch.header.amount).toBe(receipts.reduce((s, r) => s + BigInt(r.amount), 0n));
    expect(batch.header.root).toEqual(batch.tree.root.hash);
    const msg = batchTerms(batch, 'offchain');
    expect(msg.mode).toBe(SettlementMode.SETTLEMENT_MODE_OFFCHAIN);
    expect(msg.paymentRefsRoot).toHaveLength(32);
    expect(batchTerms(batch, 'escrow').paymentRefsRoot).toHaveLength(0);
  });

  it('rejects duplicate ids, mixed payers, models, adapters, epochs and operators, and an empty list', () => {
    const kinds = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof BatchError ? e.kind : String(e);
      }
      return 'accepted';
    };
    expect(kinds(() => buildBatch([...receipts, signedReceipt(party, 1)]))).toBe('duplicate');
    expect(kinds(() => buildBatch([...receipts, signedReceipt({ ...party, payer: OPERATOR }, 9)]))).toBe('mixed');
    expect(kinds(() => buildBatch([...receipts, signedReceipt(party, 9, { modelId: 'other' })]))).toBe('mixed');
    expect(kinds(() => buildBatch([...receipts, signedReceipt(party, 9, { adapterId: 'lora' })]))).toBe('mixed');
    expect(kinds(() => buildBatch([...receipts, signedReceipt(party, 9, { epoch: 4n })]))).toBe('mixed');
    expect(kinds(() => buildBatch([...receipts, signedReceipt({ ...party, operator: PAYER }, 9)]))).toBe('mixed');
    expect(kinds(() => buildBatch([]))).toBe('empty');
    expect(kinds(() => buildBatch([{ ...receipts[0]!, amount: 'lots' }]))).toBe('malformed');
  });

  it('proves every receipt against the header, and no receipt at another index', () => {
    const batch = buildBatch(receipts);
    const root = batchRoot(batch.header);
    for (const [i, r] of batch.receipts.entries()) {
      expect(receiptInclusionProblem(root, r, inclusionProof(batch, i))).toBeUndefined();
      const other = batch.receipts[(i + 1) % 3]!;
      expect(receiptInclusionProblem(root, other, inclusionProof(batch, i))).toBeDefined();
      expect(receiptInclusionProblem(root, r, { ...inclusionProof(batch, i), index: BigInt((i + 1) % 3) })).toMatch(/index/);
    }
  });
});

describe('the Merkle-sum tree (properties)', () => {
  it('a node hash is sha256(0x01 ‖ L.hash ‖ u128 L.amount ‖ u64 L.count ‖ R…) for any sums, and out-of-range sums throw', () => {
    const sumArb = fc.record({ hash: fc.uint8Array({ minLength: 32, maxLength: 32 }), amount: fc.bigInt({ min: 0n, max: U128_MAX }), count: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) });
    const be = (n: bigint, bytes: number): Uint8Array => Uint8Array.from(Buffer.from(n.toString(16).padStart(bytes * 2, '0'), 'hex'));
    fc.assert(
      fc.property(sumArb, sumArb, (l, r) => {
        const preimage = Buffer.concat([Uint8Array.of(1), l.hash, be(l.amount, 16), be(l.count, 8), r.hash, be(r.amount, 16), be(r.count, 8)]);
        expect(Buffer.from(nodeHash(l, r))).toEqual(createHash('sha256').update(preimage).digest());
      }),
      { numRuns: 200 },
    );
    const ok = { hash: new Uint8Array(32), amount: 1n, count: 1n };
    expect(() => nodeHash({ ...ok, amount: U128_MAX + 1n }, ok)).toThrow(RangeError);
    expect(() => nodeHash(ok, { ...ok, amount: -1n })).toThrow(RangeError);
    expect(() => nodeHash(ok, { ...ok, count: 2n ** 64n })).toThrow(RangeError);
  });

  it('every leaf of any tree verifies against the root, and the root holds the totals', () => {
    fc.assert(
      fc.property(leavesArb, (leaves) => {
        const tree = SumTree.build(leaves);
        const root = rootOf(tree);
        expect(root.amount).toBe(leaves.reduce((s, l) => s + l.amount, 0n));
        expect(root.count).toBe(BigInt(leaves.length));
        for (let i = 0; i < leaves.length; i++) {
          const proof = tree.proof(i);
          expect(proof.index).toBe(BigInt(i));
          expect(verifyInclusion(root, leaves[i]!, proof)).toBe(true);
          expect(proof.steps.length).toBeLessThanOrEqual(Math.ceil(Math.log2(leaves.length)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a tampered leaf hash, amount or count never verifies', () => {
    fc.assert(
      fc.property(
        leavesArb.chain((leaves) => fc.tuple(fc.constant(leaves), proofIndex(leaves), fc.constantFrom('hash', 'amount', 'count'), fc.nat({ max: 31 }))),
        ([leaves, i, what, byte]) => {
          const tree = SumTree.build(leaves);
          const leaf = leaves[i]!;
          const hash = leaf.hash.slice();
          hash[byte] = hash[byte]! ^ 1;
          const tampered: SumValue = what === 'hash' ? { ...leaf, hash } : what === 'amount' ? { ...leaf, amount: leaf.amount + 1n } : { ...leaf, count: 2n };
          expect(verifyInclusion(tree.root, tampered, tree.proof(i))).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a tampered sibling (hash, amount, count or side), index or root never verifies', () => {
    fc.assert(
      fc.property(
        fc
          .array(leafArb, { minLength: 2, maxLength: 200 })
          .chain((leaves) => fc.tuple(fc.constant(leaves), proofIndex(leaves), fc.nat(), fc.constantFrom('hash', 'amount', 'count', 'side', 'index', 'root-amount', 'root-count', 'drop'))),
        ([leaves, i, pick, what]) => {
          const tree = SumTree.build(leaves);
          const proof = tree.proof(i);
          const k = pick % proof.steps.length;
          const steps = proof.steps.map((s, j) => {
            if (j !== k) return s;
            if (what === 'hash') return { ...s, hash: s.hash.map((b, n) => (n === 0 ? b ^ 0x80 : b)) };
            if (what === 'amount') return { ...s, amount: (BigInt(s.amount) + 1n).toString() };
            if (what === 'count') return { ...s, count: s.count + 1n };
            if (what === 'side') return { ...s, left: !s.left };
            return s;
          });
          let bad: InclusionProof = { ...proof, steps };
          let root = tree.root;
          if (what === 'index') bad = { ...proof, index: (proof.index + 1n) % BigInt(leaves.length) };
          if (what === 'drop') bad = { ...proof, steps: proof.steps.slice(0, -1) };
          if (what === 'root-amount') root = { ...root, amount: root.amount + 1n };
          if (what === 'root-count') root = { ...root, count: root.count + 1n };
          expect(verifyInclusion(root, leaves[i]!, bad)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every node of an honest tree opens to consistent sums', () => {
    fc.assert(
      fc.property(leavesArb, (leaves) => {
        const tree = SumTree.build(leaves);
        for (let level = 1; level < tree.levels.length; level++) {
          for (let pos = 0; pos < tree.levels[level]!.length; pos++) {
            if (tree.children(level, pos) === undefined) continue;
            expect(checkSumNodeProof(tree.root, tree.sumNodeProof(level, pos))).toEqual({ valid: true, fraud: undefined });
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a node that claims more than its children is proved by a sum-node proof, and hides from inclusion proofs below it', () => {
    fc.assert(
      fc.property(
        fc.array(leafArb, { minLength: 2, maxLength: 120 }).chain((leaves) => fc.tuple(fc.constant(leaves), fc.nat(), fc.nat(), fc.constantFrom('amount', 'count'))),
        ([leaves, levelPick, posPick, what]) => {
          const honest = SumTree.build(leaves);
          const level = 1 + (levelPick % (honest.levels.length - 1));
          const candidates = honest.levels[level]!.map((_, p) => p).filter((p) => honest.children(level, p) !== undefined);
          fc.pre(candidates.length > 0);
          const position = candidates[posPick % candidates.length]!;
          const liar = SumTree.build(leaves, {
            combine: (l, r, lvl, pos) => {
              const p = parentOf(l, r);
              if (lvl !== level || pos !== position) return p;
              return what === 'amount' ? { ...p, amount: p.amount + 1000n } : { ...p, count: p.count + 1n };
            },
          });
          const check = checkSumNodeProof(liar.root, liar.sumNodeProof(level, position));
          expect(check.valid).toBe(true);
          expect(check.valid && check.fraud).toMatch(what === 'amount' ? /children hold amount/ : /children hold \d+ leaves/);
          // The root's own sums are consistent with its children, so the lie is only visible at that node.
          if (level < liar.levels.length - 1) expect(checkSumNodeProof(liar.root, liar.sumNodeProof(liar.levels.length - 1, 0))).toEqual({ valid: true, fraud: undefined });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses sum-node proofs for a node that is not in the tree, or openings that do not hash to it', () => {
    const leaves = [1n, 2n, 3n, 4n].map((a) => ({ hash: leafHash(Uint8Array.of(Number(a))), amount: a, count: 1n }));
    const tree = SumTree.build(leaves);
    const proof = tree.sumNodeProof(1, 0);
    expect(checkSumNodeProof(tree.root, { ...proof, node: { ...proof.node!, amount: '4' } }).valid).toBe(false);
    expect(checkSumNodeProof(tree.root, { ...proof, left: { ...proof.left!, amount: '2' } })).toEqual({ valid: false, reason: 'the children do not hash to the node' });
    expect(checkSumNodeProof({ ...tree.root, hash: new Uint8Array(32) }, proof)).toEqual({ valid: false, reason: 'proof does not lead to the root' });
  });

  it('proves a leaf counted with the wrong amount by opening it into its receipt', () => {
    const rs = [1, 2, 3].map((n) => signedReceipt(party, n));
    const batch = buildBatch(rs);
    const inflated = SumTree.build(batch.tree.levels[0]!.map((l, i) => (i === 1 ? { ...l, amount: l.amount + 7n } : l)));
    const check = checkSumNodeProof(inflated.root, inflated.sumNodeProof(0, 1, batch.receipts[1]));
    expect(check).toEqual({ valid: true, fraud: `a leaf is counted as amount ${BigInt(batch.receipts[1]!.amount) + 7n}, its receipt says ${batch.receipts[1]!.amount}` });
    expect(checkSumNodeProof(batch.tree.root, batch.tree.sumNodeProof(0, 1, batch.receipts[1]))).toEqual({ valid: true, fraud: undefined });
  });

  it('the root without the tree (sumRootOfLeaves, binary-string hashes) is the tree\'s root, sums included', () => {
    fc.assert(
      fc.property(leavesArb, (leaves) => {
        const root = sumRootOfLeaves(
          leaves.map((l) => Buffer.from(l.hash).toString('latin1')),
          leaves.map((l) => l.amount),
        );
        const tree = SumTree.build(leaves).root;
        expect(Buffer.from(root.hash)).toEqual(Buffer.from(tree.hash));
        expect([root.amount, root.count]).toEqual([tree.amount, tree.count]);
      }),
      { numRuns: 100 },
    );
    const big = Buffer.alloc(32).toString('latin1');
    expect(() => sumRootOfLeaves([big, big], [U128_MAX, 1n])).toThrow(/does not fit in 128 bits/);
    expect(() => sumRootOfLeaves([], [])).toThrow(/at least one leaf/);
  });

  it('never lets sums leave the u128 range', () => {
    const big = { hash: new Uint8Array(32), amount: U128_MAX, count: 1n };
    expect(() => SumTree.build([big, big])).toThrow(/does not fit in 128 bits/);
    expect(pathProblem({ hash: new Uint8Array(32), amount: U128_MAX, count: 2n }, big, { index: 0n, steps: [{ hash: new Uint8Array(32), amount: '1', count: 1n, left: false }] })).toMatch(/128 bits/);
  });
});

describe('sampleIndices', () => {
  it('are distinct, sorted, inside the batch, depend on the block hash and batch id, and cover small batches fully', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.integer({ min: 1, max: 16 }), (hash, id, count, n) => {
        const s = sampleIndices(hash, id, count, n);
        expect(s.length).toBe(Math.min(n, Number(count)));
        expect(new Set(s).size).toBe(s.length);
        expect([...s].sort((a, b) => (a < b ? -1 : 1))).toEqual(s);
        for (const i of s) expect(i < count).toBe(true);
      }),
      { numRuns: 200 },
    );
    const a = sampleIndices(new Uint8Array(32), 1n, 1_000_000n, 8);
    expect(sampleIndices(new Uint8Array(32).fill(1), 1n, 1_000_000n, 8)).not.toEqual(a);
    expect(sampleIndices(new Uint8Array(32), 2n, 1_000_000n, 8)).not.toEqual(a);
    expect(sampleIndices(new Uint8Array(32), 1n, 1_000_000n, 8)).toEqual(a);
  });
});

describe('the package', () => {
  it('exports the SDK as cairn/sdk', async () => {
    const pkg = await import('cairn/sdk');
    expect(pkg.buildBatch).toBe(buildBatch);
    expect(pkg.verifyInclusion).toBe(verifyInclusion);
  });
});
