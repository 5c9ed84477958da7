// Locating the leaves an ICS23 proof needs: the key's own leaf, or its two neighbours in path
// order. Because the tree is a crit-bit tree (no inner node has an empty side), the neighbours'
// paths are exactly what @confio/ics23's left-neighbour check expects: below their common
// ancestor the left one only ever goes right and the right one only ever goes left.

import { ics23 } from '@confio/ics23';
import { equalBytes } from '../bytes.ts';
import type { Child, InnerNode, LeafNode, NodeStub, TreeNode } from './node.ts';
import { bitAt, firstDiffBit, LEAF, STUB } from './node.ts';

export interface LeafPath {
  readonly leaf: LeafNode;
  /** ICS23 inner ops from the leaf up to the root. */
  readonly steps: ics23.IInnerOp[];
}

export type Lookup =
  | { readonly kind: 'found'; readonly at: LeafPath }
  | { readonly kind: 'absent'; readonly left: LeafPath | undefined; readonly right: LeafPath | undefined };

type Load = (stub: NodeStub) => TreeNode;

const INNER_PREFIX = Uint8Array.of(1);
const NO_SUFFIX = new Uint8Array(0);

function resolve(c: Child, load: Load): TreeNode {
  return c.t === STUB ? load(c) : c;
}

interface Step {
  readonly node: InnerNode;
  readonly dir: 0 | 1;
}

function descend(root: Child, path: Uint8Array, load: Load): { stack: Step[]; leaf: LeafNode } {
  const stack: Step[] = [];
  let node = resolve(root, load);
  while (node.t !== LEAF) {
    const dir = bitAt(path, node.bit) as 0 | 1;
    stack.push({ node, dir });
    node = resolve(dir === 0 ? node.l : node.r, load);
  }
  return { stack, leaf: node };
}

function toSteps(stack: readonly Step[]): ics23.IInnerOp[] {
  const steps: ics23.IInnerOp[] = [];
  for (let i = stack.length - 1; i >= 0; i--) {
    const { node, dir } = stack[i] as Step;
    steps.push(
      dir === 0
        ? { hash: ics23.HashOp.SHA256, prefix: INNER_PREFIX, suffix: node.r.hash }
        : { hash: ics23.HashOp.SHA256, prefix: concat(INNER_PREFIX, node.l.hash), suffix: NO_SUFFIX },
    );
  }
  return steps;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function pathTo(root: Child, path: Uint8Array, load: Load): LeafPath {
  const { stack, leaf } = descend(root, path, load);
  return { leaf, steps: toSteps(stack) };
}

function edgeLeaf(c: Child, side: 0 | 1, load: Load): LeafNode {
  let node = resolve(c, load);
  while (node.t !== LEAF) node = resolve(side === 0 ? node.l : node.r, load);
  return node;
}

export function lookup(root: Child | null, path: Uint8Array, load: Load): Lookup {
  if (root === null) return { kind: 'absent', left: undefined, right: undefined };
  const { stack, leaf } = descend(root, path, load);
  if (equalBytes(leaf.path, path)) return { kind: 'found', at: { leaf, steps: toSteps(stack) } };
  // The path would join the tree where it first differs from the leaf it reached: above the
  // first node on the way down that splits on a later bit.
  const crit = firstDiffBit(path, leaf.path);
  let j = 0;
  while (j < stack.length && (stack[j] as Step).node.bit < crit) j++;
  const x: Child = j < stack.length ? (stack[j] as Step).node : leaf;
  let pred: LeafNode | undefined;
  let succ: LeafNode | undefined;
  if (bitAt(path, crit) === 1) {
    pred = edgeLeaf(x, 1, load);
    for (let k = j - 1; k >= 0; k--) {
      const s = stack[k] as Step;
      if (s.dir === 0) {
        succ = edgeLeaf(s.node.r, 0, load);
        break;
      }
    }
  } else {
    succ = edgeLeaf(x, 0, load);
    for (let k = j - 1; k >= 0; k--) {
      const s = stack[k] as Step;
      if (s.dir === 1) {
        pred = edgeLeaf(s.node.l, 1, load);
        break;
      }
    }
  }
  return {
    kind: 'absent',
    left: pred === undefined ? undefined : pathTo(root, pred.path, load),
    right: succ === undefined ? undefined : pathTo(root, succ.path, load),
  };
}
