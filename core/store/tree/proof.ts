// Locating the leaves an ICS23 proof needs: the key's own leaf, or its two neighbours in path
// order. Because the tree is a crit-bit tree (no inner node has an empty side), the neighbours'
// paths are exactly what @confio/ics23's left-neighbour check expects: below their common
// ancestor the left one only ever goes right and the right one only ever goes left.

import { ics23 } from '@confio/ics23';
import { equalBytes } from '../bytes.ts';
import { EMPTY, type MemTree, type Ref } from './mem-tree.ts';
import { bitAt, firstDiffBit } from './node.ts';

/** A leaf (copied out of the tree) and the ICS23 inner ops from it up to the root. */
export interface LeafPath {
  /** The leaf's key as a latin1 string. */
  readonly key: string;
  readonly path: Uint8Array;
  readonly hash: Uint8Array;
  readonly steps: ics23.IInnerOp[];
}

export type Lookup =
  | { readonly kind: 'found'; readonly at: LeafPath }
  | { readonly kind: 'absent'; readonly left: LeafPath | undefined; readonly right: LeafPath | undefined };

const INNER_PREFIX = Uint8Array.of(1);
const NO_SUFFIX = new Uint8Array(0);

interface Step {
  readonly node: Ref;
  readonly dir: 0 | 1;
}

function descend(tree: MemTree, root: Ref, path: Uint8Array): { stack: Step[]; leaf: Ref } {
  const stack: Step[] = [];
  let node = root;
  while (!tree.isLeaf(node)) {
    const dir = bitAt(path, tree.bit(node)) as 0 | 1;
    stack.push({ node, dir });
    node = dir === 0 ? tree.left(node) : tree.right(node);
  }
  return { stack, leaf: node };
}

function leafPath(tree: MemTree, leaf: Ref, stack: readonly Step[]): LeafPath {
  const steps: ics23.IInnerOp[] = [];
  for (let i = stack.length - 1; i >= 0; i--) {
    const { node, dir } = stack[i] as Step;
    steps.push(
      dir === 0
        ? { hash: ics23.HashOp.SHA256, prefix: INNER_PREFIX, suffix: tree.hash(tree.right(node)) }
        : { hash: ics23.HashOp.SHA256, prefix: concat(INNER_PREFIX, tree.hash(tree.left(node))), suffix: NO_SUFFIX },
    );
  }
  return { key: tree.leafKey(leaf), path: tree.leafPath(leaf), hash: tree.hash(leaf), steps };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function pathTo(tree: MemTree, root: Ref, path: Uint8Array): LeafPath {
  const { stack, leaf } = descend(tree, root, path);
  return leafPath(tree, leaf, stack);
}

function edgeLeaf(tree: MemTree, node: Ref, side: 0 | 1): Ref {
  while (!tree.isLeaf(node)) node = side === 0 ? tree.left(node) : tree.right(node);
  return node;
}

/** The proof material for `path` in the version whose root is `root` (synchronous: nothing moves under it). */
export function lookup(tree: MemTree, root: Ref, path: Uint8Array): Lookup {
  if (root === EMPTY) return { kind: 'absent', left: undefined, right: undefined };
  const { stack, leaf } = descend(tree, root, path);
  const reached = tree.leafPath(leaf);
  if (equalBytes(reached, path)) return { kind: 'found', at: leafPath(tree, leaf, stack) };
  // The path would join the tree where it first differs from the leaf it reached: above the
  // first node on the way down that splits on a later bit.
  const crit = firstDiffBit(path, reached);
  let j = 0;
  while (j < stack.length && tree.bit((stack[j] as Step).node) < crit) j++;
  const x = j < stack.length ? (stack[j] as Step).node : leaf;
  let pred: Ref | undefined;
  let succ: Ref | undefined;
  if (bitAt(path, crit) === 1) {
    pred = edgeLeaf(tree, x, 1);
    for (let k = j - 1; k >= 0; k--) {
      const s = stack[k] as Step;
      if (s.dir === 0) {
        succ = edgeLeaf(tree, tree.right(s.node), 0);
        break;
      }
    }
  } else {
    succ = edgeLeaf(tree, x, 0);
    for (let k = j - 1; k >= 0; k--) {
      const s = stack[k] as Step;
      if (s.dir === 1) {
        pred = edgeLeaf(tree, tree.left(s.node), 1);
        break;
      }
    }
  }
  return {
    kind: 'absent',
    left: pred === undefined ? undefined : pathTo(tree, root, tree.leafPath(pred)),
    right: succ === undefined ? undefined : pathTo(tree, root, tree.leafPath(succ)),
  };
}
