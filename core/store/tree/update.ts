// Applying a block's writes to the tree in one pass. The writes are sorted by path and pushed down
// together, so a path shared by many writes is walked and rehashed once; cost is O(k log n) for k
// writes into n leaves. The result is the unique crit-bit tree of the new set of paths, whatever
// order the writes came in and however many passes a block took (checked against a rebuild by
// the property test).

import { equalBytes } from '../bytes.ts';
import type { Child, InnerNode, LeafNode, NodeStub, TreeNode } from './node.ts';
import { bitAt, firstDiffBit, LEAF, makeInner, makeLeaf, STUB } from './node.ts';

export interface TreeOp {
  /** The key as a latin1 string (the commit store's map key). */
  readonly id: string;
  readonly key: Uint8Array;
  readonly path: Uint8Array;
  /** sha256 of the new value, or null to delete. */
  readonly valueHash: Uint8Array | null;
}

export interface UpdateHooks {
  load(stub: NodeStub): TreeNode;
  /** A node left the tree; `id` is undefined if it was never persisted (then nothing is orphaned). */
  dropped(id: string | undefined): void;
  /** The leaf of `op`'s key is being removed or replaced (`oldId` is its id if persisted), or created. */
  leafChanged(op: TreeOp, oldId: string | undefined): void;
}

/** What an update needs of a leaf; a leaf stub provides it without a read. */
interface LeafRef {
  readonly path: Uint8Array;
  readonly hash: Uint8Array;
  readonly id: string | undefined;
}

/** Applies `ops` (sorted by path, one per path) to the tree under `root` and returns the new root. */
export function applyOps(root: Child | null, ops: readonly TreeOp[], hooks: UpdateHooks): Child | null {
  return update(root, ops, 0, ops.length, hooks);
}

export function sortOps(ops: TreeOp[]): TreeOp[] {
  return ops.sort((a, b) => comparePaths(a.path, b.path));
}

function comparePaths(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function resolve(child: Child, hooks: UpdateHooks): TreeNode {
  return child.t === STUB ? hooks.load(child) : child;
}

function update(child: Child | null, ops: readonly TreeOp[], lo: number, hi: number, h: UpdateHooks): Child | null {
  if (lo >= hi) return child;
  if (child === null) {
    const items: Child[] = [];
    for (let i = lo; i < hi; i++) {
      const op = ops[i] as TreeOp;
      if (op.valueHash !== null) items.push(newLeaf(op, h));
    }
    return build(items, h);
  }
  if (child.t === STUB && child.leafPath !== undefined) {
    return updateLeaf(child, { path: child.leafPath, hash: child.hash, id: child.id }, ops, lo, hi, h);
  }
  const node = resolve(child, h);
  return node.t === LEAF ? updateLeaf(child, node, ops, lo, hi, h) : updateInner(child, node, ops, lo, hi, h);
}

function newLeaf(op: TreeOp, h: UpdateHooks): LeafNode {
  h.leafChanged(op, undefined);
  return makeLeaf(op.key, op.path, op.valueHash as Uint8Array);
}

function updateLeaf(child: Child, leaf: LeafRef, ops: readonly TreeOp[], lo: number, hi: number, h: UpdateHooks): Child | null {
  const items: Child[] = [];
  let handled = false;
  for (let i = lo; i < hi; i++) {
    const op = ops[i] as TreeOp;
    const c = comparePaths(op.path, leaf.path);
    if (c === 0) {
      handled = true;
      const replacement = op.valueHash === null ? undefined : makeLeaf(op.key, op.path, op.valueHash);
      if (replacement !== undefined && equalBytes(replacement.hash, leaf.hash)) {
        items.push(child); // same value: the leaf and its id stay
      } else {
        h.leafChanged(op, leaf.id);
        h.dropped(leaf.id);
        if (replacement !== undefined) items.push(replacement);
      }
      continue;
    }
    if (c > 0 && !handled) {
      items.push(child);
      handled = true;
    }
    if (op.valueHash !== null) items.push(newLeaf(op, h));
  }
  if (!handled) items.push(child);
  if (items.length === 1 && items[0] === child) return child;
  return build(items, h);
}

function updateInner(child: Child, node: InnerNode, ops: readonly TreeOp[], lo: number, hi: number, h: UpdateHooks): Child | null {
  // Writes routed here may fall outside this subtree's prefix; they diverge from it above `bit`
  // and end up as siblings of the whole subtree.
  let before: TreeOp[] | undefined;
  let after: TreeOp[] | undefined;
  let inLo = -1;
  let inHi = -1;
  for (let i = lo; i < hi; i++) {
    const op = ops[i] as TreeOp;
    const d = firstDiffBit(op.path, node.prefix);
    if (d >= node.bit) {
      if (inLo < 0) inLo = i;
      inHi = i + 1;
    } else if (op.valueHash !== null) {
      // A delete outside the prefix names a key that is not in the tree: nothing to do.
      if (bitAt(op.path, d) === 0) (before ??= []).push(op);
      else (after ??= []).push(op);
    }
  }
  let sub: Child | null = child;
  if (inLo >= 0) {
    let mid = inLo;
    while (mid < inHi && bitAt((ops[mid] as TreeOp).path, node.bit) === 0) mid++;
    const l = update(node.l, ops, inLo, mid, h);
    const r = update(node.r, ops, mid, inHi, h);
    if (l !== node.l || r !== node.r) {
      h.dropped(node.id);
      // A side that emptied collapses the node: its sibling takes its place.
      sub = l === null ? r : r === null ? l : makeInner(node.bit, node.prefix, l, r);
    }
  }
  if (before === undefined && after === undefined) return sub;
  const items: Child[] = [];
  for (const op of before ?? []) items.push(newLeaf(op, h));
  if (sub !== null) items.push(sub);
  for (const op of after ?? []) items.push(newLeaf(op, h));
  return build(items, h);
}

/** The path bits that place a subtree: a leaf's path, or an inner node's prefix (valid above its bit). */
function rep(child: Child, h: UpdateHooks): Uint8Array {
  if (child.t === STUB && child.leafPath !== undefined) return child.leafPath;
  const node = resolve(child, h);
  return node.t === LEAF ? node.path : node.prefix;
}

/** Builds the crit-bit tree over items sorted by position, whose positions differ above any item's own bit. */
function build(items: readonly Child[], h: UpdateHooks): Child | null {
  if (items.length === 0) return null;
  if (items.length === 1) return items[0] as Child;
  const reps = items.map((c) => rep(c, h));
  return buildRange(items, reps, 0, items.length);
}

function buildRange(items: readonly Child[], reps: readonly Uint8Array[], lo: number, hi: number): Child {
  if (hi - lo === 1) return items[lo] as Child;
  const first = reps[lo] as Uint8Array;
  const bit = firstDiffBit(first, reps[hi - 1] as Uint8Array);
  let mid = lo + 1;
  while (bitAt(reps[mid] as Uint8Array, bit) === 0) mid++;
  return makeInner(bit, first, buildRange(items, reps, lo, mid), buildRange(items, reps, mid, hi));
}

