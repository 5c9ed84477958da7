// Applying a block's writes to the tree in one pass. The writes are sorted by path and pushed down
// together, so a path shared by many writes is walked and rehashed once; cost is O(k log n) for k
// writes into n leaves. The result is the unique crit-bit tree of the new set of paths, whatever
// order the writes came in and however many passes a block took (checked against a rebuild by
// the property test).

import { compareBytes, equalBytes } from '../bytes.ts';
import type { Child, InnerNode, LeafNode, NodeStub, TreeNode } from './node.ts';
import { bitAt, firstDiffBit, LEAF, makeInner, makeLeaf, STUB } from './node.ts';

export interface TreeOp {
  readonly key: Uint8Array;
  readonly path: Uint8Array;
  /** sha256 of the new value, or null to delete. */
  readonly valueHash: Uint8Array | null;
}

export interface UpdateHooks {
  load(stub: NodeStub): TreeNode;
  /** A node left the tree (it becomes an orphan if it was persisted). */
  dropped(node: TreeNode): void;
  /** The leaf of `key` is being removed or replaced; `old` is undefined for a key new to the tree. */
  leafChanged(key: Uint8Array, old: LeafNode | undefined): void;
}

/** Applies `ops` (sorted by path, one per path) to the tree under `root` and returns the new root. */
export function applyOps(root: Child | null, ops: readonly TreeOp[], hooks: UpdateHooks): Child | null {
  return update(root, ops, 0, ops.length, hooks);
}

export function sortOps(ops: TreeOp[]): TreeOp[] {
  return ops.sort((a, b) => compareBytes(a.path, b.path));
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
  const node = resolve(child, h);
  return node.t === LEAF ? updateLeaf(child, node, ops, lo, hi, h) : updateInner(child, node, ops, lo, hi, h);
}

function newLeaf(op: TreeOp, h: UpdateHooks): LeafNode {
  h.leafChanged(op.key, undefined);
  return makeLeaf(op.key, op.path, op.valueHash as Uint8Array);
}

function updateLeaf(child: Child, leaf: LeafNode, ops: readonly TreeOp[], lo: number, hi: number, h: UpdateHooks): Child | null {
  const items: Child[] = [];
  let handled = false;
  for (let i = lo; i < hi; i++) {
    const op = ops[i] as TreeOp;
    const c = compareBytes(op.path, leaf.path);
    if (c === 0) {
      handled = true;
      if (op.valueHash !== null && equalBytes(op.valueHash, leaf.valueHash)) {
        items.push(child); // same value: the leaf and its id stay
      } else {
        h.leafChanged(leaf.key, leaf);
        h.dropped(leaf);
        if (op.valueHash !== null) items.push(makeLeaf(op.key, op.path, op.valueHash));
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
      h.dropped(node);
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

