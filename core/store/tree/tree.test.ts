import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommitStore } from '../commit-store.ts';
import { hex, keyStr, referenceRoot } from '../../../test/support/store.ts';
import type { Model } from '../../../test/support/store.ts';
import { firstDiffBit, ZERO_HASH } from './node.ts';
import { leafHashes, putLeaf, SortedLeaves } from './build.ts';
import { EMPTY, MemTree, type TreeWrite } from './mem-tree.ts';

const key = fc.uint8Array({ minLength: 1, maxLength: 3, max: 7 });
const value = fc.uint8Array({ minLength: 1, maxLength: 3 });
const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: key, v: value }) },
  { weight: 2, arbitrary: fc.record({ k: key, v: fc.constant(null) }) },
);
const block = fc.record({
  ops: fc.array(op, { maxLength: 25 }),
  /** Hash part-way through, so the block reaches the tree in two passes. */
  hashAfter: fc.option(fc.nat(25), { nil: undefined }),
  discard: fc.boolean(),
});

describe('state tree', () => {
  it('has the 32 zero bytes as the root of the empty tree', async () => {
    const store = await CommitStore.memory();
    expect(await store.workingHash()).toEqual(ZERO_HASH);
    expect(await store.commit(1n)).toEqual(new Uint8Array(32));
    store.working.set(Uint8Array.of(1), Uint8Array.of(1));
    store.working.delete(Uint8Array.of(1));
    expect(await store.commit(2n)).toEqual(new Uint8Array(32));
  });

  it('finds the first differing bit of two paths', () => {
    const a = new Uint8Array(32);
    const b = new Uint8Array(32);
    expect(firstDiffBit(a, b)).toBe(256);
    b[0] = 0x80;
    expect(firstDiffBit(a, b)).toBe(0);
    b[0] = 0;
    b[31] = 1;
    expect(firstDiffBit(a, b)).toBe(255);
  });

  it('gives the same root as a from-scratch build after any sequence of inserts, updates and deletes over many commits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(block, { minLength: 1, maxLength: 12 }), async (blocks) => {
        const store = await CommitStore.memory({ provableHeights: 2 });
        const model: Model = new Map();
        let height = 0n;
        for (const b of blocks) {
          const next: Model = new Map(model);
          for (let i = 0; i < b.ops.length; i++) {
            if (b.hashAfter === i) expect(hex(await store.workingHash())).toBe(hex(referenceRoot(next)));
            const o = b.ops[i] as (typeof b.ops)[number];
            if (o.v === null) {
              store.working.delete(o.k);
              next.delete(keyStr(o.k));
            } else {
              store.working.set(o.k, o.v);
              next.set(keyStr(o.k), o.v);
            }
          }
          if (b.discard) {
            store.discard();
            expect(hex(await store.workingHash())).toBe(hex(referenceRoot(model)));
            continue;
          }
          const root = await store.commit(++height);
          model.clear();
          for (const [k, v] of next) model.set(k, v);
          expect(hex(root)).toBe(hex(referenceRoot(model)));
        }
        const fresh = await CommitStore.memory();
        for (const [k, v] of model) fresh.working.set(Buffer.from(k, 'latin1'), v);
        expect(hex(await fresh.commit(1n))).toBe(hex(store.lastAppHash));
      }),
      { numRuns: 120 },
    );
  });

  it('does not depend on the order in which a block wrote its keys', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { minLength: 1, maxLength: 40, selector: keyStr }), fc.nat(), async (ks, seed) => {
        const a = await CommitStore.memory();
        const b = await CommitStore.memory();
        for (const k of ks) a.working.set(k, k);
        const shuffled = ks.map((k, i) => [k, (i * 7919 + seed) % 10007] as const).sort((x, y) => x[1] - y[1]);
        for (const [k] of shuffled) b.working.set(k, k);
        expect(hex(await a.commit(1n))).toBe(hex(await b.commit(1n)));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps roots right on a larger tree over many blocks, reusing the nodes older heights no longer need', async () => {
    const store = await CommitStore.memory({ provableHeights: 1 });
    const model: Model = new Map();
    for (let h = 1n; h <= 8n; h++) {
      for (let i = 0; i < 300; i++) {
        const n = (Number(h) * 7919 + i * 104729) % 2000;
        const k = Uint8Array.of(n >> 8, n & 0xff);
        if ((n + Number(h)) % 5 === 0) {
          store.working.delete(k);
          model.delete(keyStr(k));
        } else {
          const v = Uint8Array.of(Number(h), i & 0xff);
          store.working.set(k, v);
          model.set(keyStr(k), v);
        }
      }
      expect(hex(await store.commit(h))).toBe(hex(referenceRoot(model)));
    }
  });

  it('sorts the leaves of a first commit by their whole path, also where the leading bits of two paths agree', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 300, selector: keyStr }), fc.integer({ min: 0, max: 8 }), (keys, leadingBits) => {
        const hashes = leafHashes(keys.length);
        keys.forEach((k, i) => putLeaf(hashes, i, k, k));
        const leaves = new SortedLeaves(hashes, keys.length, leadingBits);
        const got = Array.from({ length: leaves.count }, (_, i) => Buffer.from(leaves.path(i)).toString('hex'));
        const want = keys.map((k) => createHash('sha256').update(k).digest('hex')).sort();
        expect(got).toEqual(want);
        for (let i = 0; i < leaves.count; i++) {
          const k = keys[leaves.index(i)] as Uint8Array;
          expect(createHash('sha256').update(k).digest('hex')).toBe(got[i]);
          expect(Buffer.from(leaves.valueHash(i)).toString('hex')).toBe(got[i]); // the value is the key here
        }
      }),
      { numRuns: 100 },
    );
  });

  it('builds a first commit of thousands of keys in one pass into the tree later blocks update', async () => {
    const store = await CommitStore.memory({ firstCommitBatchOps: 100 });
    const model: Model = new Map();
    // Every third value is long enough to be copied into the first commit's chunks (tree/build.ts Slabs).
    const first = (i: number): Uint8Array => new Uint8Array(i % 3 === 0 ? 65 + (i % 200) : 1).fill(i % 251);
    for (let i = 0; i < 5000; i++) {
      const k = Uint8Array.of(i >> 8, i & 0xff, 1);
      const v = first(i);
      store.working.set(k, v);
      v.fill(0); // the store keeps its own copy
      model.set(keyStr(k), first(i));
    }
    // Deleted before anything was committed: not in the state.
    store.working.set(Uint8Array.of(9), Uint8Array.of(9));
    store.working.delete(Uint8Array.of(9));
    store.working.delete(Uint8Array.of(8));
    expect(hex(await store.workingHash())).toBe(hex(referenceRoot(model)));
    expect(hex(await store.commit(1n))).toBe(hex(referenceRoot(model)));
    for (let h = 2n; h <= 4n; h++) {
      for (let i = 0; i < 5000; i += 7 * Number(h)) {
        const k = Uint8Array.of(i >> 8, i & 0xff, 1);
        if (i % 2 === 0) {
          store.working.delete(k);
          model.delete(keyStr(k));
        } else {
          store.working.set(k, Uint8Array.of(Number(h)));
          model.set(keyStr(k), Uint8Array.of(Number(h)));
        }
      }
      expect(hex(await store.commit(h))).toBe(hex(referenceRoot(model)));
    }
    expect(await store.at(1n).get(Uint8Array.of(0, 14, 1))).toEqual(Uint8Array.of(14));
    for (const i of [0, 3, 14, 2997, 4998]) expect(await store.at(1n).get(Uint8Array.of(i >> 8, i & 0xff, 1))).toEqual(first(i));
    expect(await store.committed.get(Uint8Array.of(2997 >> 8, 2997 & 0xff, 1))).toEqual(first(2997)); // no later block touched it
    expect(await store.at(1n).get(Uint8Array.of(9))).toBeUndefined();
  });

  it('keeps the key of every leaf readable while its key arena is compacted under many rewrites', () => {
    const tree = new MemTree();
    const sha = (b: Uint8Array): Uint8Array => createHash('sha256').update(b).digest();
    const keyOf = (n: number): Uint8Array => new Uint8Array(1000).fill(n % 251).map((b, i) => (i < 2 ? [n >> 8, n & 0xff][i]! : b));
    const byPath = new Map<string, string>();
    let root = EMPTY;
    for (let h = 1; h <= 40; h++) {
      const ws: TreeWrite[] = [];
      for (let n = (h * 17) % 7; n < 300; n += 7) {
        const k = keyOf(n);
        const path = sha(k);
        byPath.set(Buffer.from(path).toString('hex'), keyStr(k));
        ws.push({ ks: keyStr(k), path, valueHash: sha(Uint8Array.of(h)) });
      }
      root = tree.apply(root, ws.sort((a, b) => Buffer.compare(a.path, b.path)), () => {});
      tree.commit(BigInt(h));
      tree.release(BigInt(h - 2)); // two heights kept: their leaves' keys must survive compaction too
    }
    const walk = (ref: number): number => {
      if (tree.isLeaf(ref)) {
        expect(tree.leafKey(ref)).toBe(byPath.get(Buffer.from(tree.leafPath(ref)).toString('hex')));
        return 1;
      }
      return walk(tree.left(ref)) + walk(tree.right(ref));
    };
    expect(walk(root)).toBe(300);
    expect(tree.size().bytes).toBeLessThan(4 * 300 * 1000 + 2 * 2 ** 20); // the arena did not grow with every rewrite
  });

  it('holds only the live tree and the heights it keeps: replaced nodes are freed, a discarded block leaves nothing', () => {
    const tree = new MemTree();
    const sha = (b: Uint8Array): Uint8Array => createHash('sha256').update(b).digest();
    const write = (n: number, value: number | null): TreeWrite => {
      const key = Uint8Array.of(n >> 8, n & 0xff);
      return { ks: keyStr(key), path: sha(key), valueHash: value === null ? null : sha(Uint8Array.of(value)) };
    };
    const sorted = (ws: TreeWrite[]): TreeWrite[] => ws.sort((a, b) => Buffer.compare(a.path, b.path));
    const live = new Set<number>();
    let root = EMPTY;
    for (let h = 1; h <= 30; h++) {
      const ws: TreeWrite[] = [];
      for (let i = 0; i < 40; i++) {
        const n = (h * 7919 + i * 104729) % 500;
        if (ws.some((w) => w.ks === keyStr(Uint8Array.of(n >> 8, n & 0xff)))) continue;
        const del = (n + h) % 4 === 0;
        ws.push(write(n, del ? null : h));
        if (del) live.delete(n);
        else live.add(n);
      }
      // A block hashed twice, then a block thrown away: neither leaves a node behind.
      const half = Math.floor(ws.length / 2);
      root = tree.apply(tree.apply(root, sorted(ws.slice(0, half)), () => {}), sorted(ws.slice(half)), () => {});
      tree.commit(BigInt(h));
      tree.apply(root, sorted([write(9999, 1), write(1, 2)]), () => {});
      tree.discard();
      tree.release(BigInt(h)); // keep only the newest height
      expect(tree.size()).toMatchObject({ leaves: live.size, inner: Math.max(0, live.size - 1) });
    }
    // Kept heights hold what their successors replaced, until released.
    const before = tree.size();
    tree.apply(root, sorted([write(1, 77), write(2, 77)]), () => {});
    tree.commit(31n);
    expect(tree.size().leaves).toBeGreaterThan(before.leaves);
    tree.release(31n);
    expect(tree.size()).toMatchObject({ leaves: before.leaves + (live.has(1) ? 0 : 1) + (live.has(2) ? 0 : 1) });
  });
});
