import { ics23, verifyMembership, verifyNonMembership } from '@confio/ics23';
// The package index does not export smtSpec; the spec we publish must equal it.
import { smtSpec } from '@confio/ics23/build/proofs.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommitStore } from './commit-store.ts';
import { VersionUnavailableError } from './errors.ts';
import { proofKey, STATE_PROOF_SPEC } from './proof-spec.ts';
import { enc } from '../../test/support/store.ts';

/** What a light client does: hash the store key, then verify against the app hash it trusts. */
function clientVerifies(proof: ics23.ICommitmentProof, root: Uint8Array, key: Uint8Array, value: Uint8Array | undefined): boolean {
  const pkey = proofKey(key);
  return value === undefined
    ? verifyNonMembership(proof, STATE_PROOF_SPEC, root, pkey)
    : verifyMembership(proof, STATE_PROOF_SPEC, root, pkey, value);
}

/** A proof survives a protobuf round trip (as it would over ABCI query). */
function wire(proof: ics23.CommitmentProof): ics23.CommitmentProof {
  return ics23.CommitmentProof.decode(ics23.CommitmentProof.encode(proof).finish());
}

type Path = readonly (string | number)[];

/**
 * Every way to change one meaningful thing in a proof: flip a byte of any bytes field (or give an
 * empty one a byte), bump any enum, drop any path step, drop or swap a neighbour. The copy of the
 * key inside a non-existence proof is left alone: verifiers use the key they are given.
 */
function tamperings(proof: ics23.ICommitmentProof): ics23.CommitmentProof[] {
  const base = ics23.CommitmentProof.toObject(ics23.CommitmentProof.fromObject(proof)) as Record<string, unknown>;
  const out: ics23.CommitmentProof[] = [];
  const variant = (path: Path, change: (parent: Record<string | number, unknown>, last: string | number) => void): void => {
    const copy = structuredClone(base);
    let parent = copy as Record<string | number, unknown>;
    for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
    change(parent, path[path.length - 1] as string | number);
    out.push(ics23.CommitmentProof.fromObject(copy));
  };
  const visit = (node: unknown, path: Path): void => {
    if (node instanceof Uint8Array) {
      if (path.join('.') === 'nonexist.key') return;
      variant(path, (p, k) => {
        const b = Uint8Array.from(node.length === 0 ? [0] : node);
        if (node.length > 0) b[b.length >> 1] = (b[b.length >> 1] as number) ^ 1;
        p[k] = b;
      });
    } else if (typeof node === 'number') {
      variant(path, (p, k) => {
        p[k] = node + 1;
      });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        variant(path, (p, k) => {
          (p[k] as unknown[]).splice(i, 1);
        });
        visit(item, [...path, i]);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) visit(v, [...path, k]);
    }
  };
  visit(base, []);
  const ne = base.nonexist as Record<string, unknown> | undefined;
  if (ne?.left !== undefined && ne.right !== undefined) {
    variant(['nonexist', 'left'], (p) => {
      [p.left, p.right] = [p.right, p.left];
    });
    variant(['nonexist', 'left'], (p) => {
      delete p.left;
    });
    variant(['nonexist', 'right'], (p) => {
      delete p.right;
    });
  }
  return out;
}

async function storeWith(keys: readonly string[]): Promise<CommitStore> {
  const store = await CommitStore.memory();
  for (const k of keys) store.working.set(enc(k), enc(`value of ${k}`));
  await store.commit(1n);
  return store;
}

describe('state proofs', () => {
  it('use exactly the smtSpec of @confio/ics23', () => {
    expect(ics23.ProofSpec.encode(STATE_PROOF_SPEC).finish()).toEqual(ics23.ProofSpec.encode(smtSpec).finish());
  });

  it('prove presence and absence of random keys, and the client accepts them against the app hash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 }),
        fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 10 }),
        async (present, probes) => {
          const store = await storeWith(present);
          for (const k of [...present.slice(0, 5), ...probes]) {
            const { value, proof, root } = await store.prove(enc(k), 1n);
            expect(root).toEqual(store.lastAppHash);
            if (present.includes(k)) expect(value).toEqual(enc(`value of ${k}`));
            else expect(value).toBeUndefined();
            if (present.length === 0) continue; // nothing to prove absence against; see the empty-tree test
            expect(clientVerifies(wire(proof), root, enc(k), value)).toBe(true);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('prove absence of keys before the first and after the last path, and in a one-key tree', async () => {
    const store = await storeWith(['only']);
    const pathOf = (k: string): Uint8Array => proofKey(enc(k));
    const only = pathOf('only');
    let below: string | undefined;
    let above: string | undefined;
    for (let i = 0; below === undefined || above === undefined; i++) {
      const k = `probe${i}`;
      if (Buffer.compare(pathOf(k), only) < 0) below ??= k;
      else above ??= k;
    }
    for (const k of [below, above]) {
      const { value, proof, root } = await store.prove(enc(k), 1n);
      expect(value).toBeUndefined();
      expect(proof.nonexist?.left === undefined || proof.nonexist?.left === null).toBe(k === below);
      expect(clientVerifies(proof, root, enc(k), undefined)).toBe(true);
    }
    const { value, proof, root } = await store.prove(enc('only'), 1n);
    expect(clientVerifies(proof, root, enc('only'), value)).toBe(true);
    expect(proof.exist?.path).toEqual([]);
  });

  it('returns the zero root and a proof no verifier accepts for the empty tree, so clients must check for the zero root', async () => {
    const store = await storeWith([]);
    const { value, proof, root } = await store.prove(enc('anything'), 1n);
    expect(value).toBeUndefined();
    expect(root).toEqual(new Uint8Array(32));
    expect(proof.nonexist?.key).toEqual(proofKey(enc('anything')));
    expect(clientVerifies(proof, root, enc('anything'), undefined)).toBe(false);
  });

  it('fails verification when the value, the key, the root or any field of the proof is changed', async () => {
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const store = await storeWith(keys);
    const { value, proof, root } = await store.prove(enc('k7'), 1n);
    expect(clientVerifies(proof, root, enc('k7'), value)).toBe(true);
    expect(clientVerifies(proof, root, enc('k7'), enc('forged'))).toBe(false);
    expect(clientVerifies(proof, root, enc('k8'), value)).toBe(false);
    const badRoot = root.slice();
    badRoot[0] = (badRoot[0] as number) ^ 1;
    expect(clientVerifies(proof, badRoot, enc('k7'), value)).toBe(false);
    for (const t of tamperings(proof)) expect(clientVerifies(t, root, enc('k7'), value)).toBe(false);

    // A key whose absence proof has a neighbour on both sides.
    let missing = 'missing';
    let absent = await store.prove(enc(missing), 1n);
    for (let i = 0; !absent.proof.nonexist?.left || !absent.proof.nonexist.right; i++) {
      missing = `missing${i}`;
      absent = await store.prove(enc(missing), 1n);
    }
    expect(clientVerifies(absent.proof, absent.root, enc(missing), undefined)).toBe(true);
    // An absence proof does not prove the absence of a key that is there, nor against another root.
    expect(clientVerifies(absent.proof, absent.root, enc('k7'), undefined)).toBe(false);
    expect(clientVerifies(absent.proof, badRoot, enc(missing), undefined)).toBe(false);
    const variants = tamperings(absent.proof);
    expect(variants.length).toBeGreaterThan(20);
    for (const t of variants) expect(clientVerifies(t, absent.root, enc(missing), undefined)).toBe(false);
  });

  it('proves against the root of a past height, and refuses heights that were never committed', async () => {
    const store = await CommitStore.memory();
    store.working.set(enc('a'), enc('1'));
    const h1 = await store.commit(1n);
    store.working.set(enc('a'), enc('2'));
    store.working.set(enc('b'), enc('3'));
    await store.commit(2n);
    store.working.delete(enc('a'));
    await store.commit(3n);
    const past = await store.prove(enc('a'), 1n);
    expect(past.root).toEqual(h1);
    expect(past.value).toEqual(enc('1'));
    expect(clientVerifies(past.proof, h1, enc('a'), enc('1'))).toBe(true);
    const mid = await store.prove(enc('b'), 2n);
    expect(clientVerifies(mid.proof, mid.root, enc('b'), enc('3'))).toBe(true);
    const now = await store.prove(enc('a'), 3n);
    expect(now.value).toBeUndefined();
    expect(clientVerifies(now.proof, now.root, enc('a'), undefined)).toBe(true);
    await expect(store.prove(enc('a'), 4n)).rejects.toBeInstanceOf(VersionUnavailableError);
    await expect(store.prove(enc('a'), 0n)).rejects.toBeInstanceOf(VersionUnavailableError);
  });
});
