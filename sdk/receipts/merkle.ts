// The Merkle-sum tree that commits a batch: every node carries a hash, the amount of the leaves
// below it and their count. Sums live in the parent's hash preimage, so a path that verifies binds
// every sum on it, and a leaf's index is the sum of the counts of its left siblings.
//
//   leaf hash = sha256(0x00 || leaf bytes)                   (for a receipt: its protobuf encoding)
//   node hash = sha256(0x01 || L.hash || u128 L.amount || u64 L.count || R.hash || u128 R.amount || u64 R.count)
//   node sums = L + R (amount and count)
//
// Levels pair nodes left to right; an odd last node moves up unchanged. A tree is never empty.
// Whoever builds a tree with a node whose sums are not its children's can be proved a cheat with a
// SumNodeProof (the node, its path to the root, and its opening).
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import type { InclusionProof, ProofStep, SumNode, SumNodeProof } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { U128_MAX, U64_MAX, concatBytes, equalBytes, parseU128, u128, u64 } from '../bytes.ts';
import { sha256, sha256Binary } from '../hash.ts';
import { ReceiptFormatError, receiptAmount } from './receipt.ts';

/** Deeper than any tree of 2^64 leaves; a longer proof is refused before any hashing. */
export const MAX_PROOF_STEPS = 64;
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;

/** A node with its sums as numbers (the protobuf SumNode carries the amount as a decimal string). */
export interface SumValue {
  readonly hash: Uint8Array;
  readonly amount: bigint;
  readonly count: bigint;
}

export function leafHash(leafBytes: Uint8Array): Uint8Array {
  const pre = new Uint8Array(1 + leafBytes.length);
  pre[0] = LEAF_PREFIX;
  pre.set(leafBytes, 1);
  return sha256(pre);
}

// One writer for every receipt leaf (finish() copies the bytes out and rewinds it): a fresh writer
// starts small and grows to a receipt's ~400 bytes, several buffers a leaf, 10,000 leaves a batch.
const LEAF_WRITER = new BinaryWriter();
const LEAF_PREFIX_BYTES = Uint8Array.of(LEAF_PREFIX);

/** The leaf prefix and the receipt's protobuf encoding, in one buffer. */
function leafPreimage(r: Receipt): Uint8Array {
  try {
    return Receipt.encode(r, LEAF_WRITER.raw(LEAF_PREFIX_BYTES)).finish();
  } catch (e) {
    LEAF_WRITER.finish(); // rewinds what a failed encode left behind
    throw e;
  }
}

/** The leaf of a receipt: count 1, its amount field, and the hash of its protobuf encoding. */
export function receiptLeaf(r: Receipt): SumValue {
  return receiptLeafAndEncoding(r).leaf;
}

/** receiptLeaf, and the protobuf encoding it hashed (Receipt.encode(r)), for a caller that keeps it. */
export function receiptLeafAndEncoding(r: Receipt): { readonly leaf: SumValue; readonly encoding: Uint8Array } {
  const preimage = leafPreimage(r);
  return { leaf: { hash: sha256(preimage), amount: receiptAmount(r), count: 1n }, encoding: preimage.subarray(1) };
}

/** Like receiptLeaf, but the hash only: defined for every receipt, even one whose amount is garbage. */
export function receiptLeafHash(r: Receipt): Uint8Array {
  return sha256(leafPreimage(r));
}

// The node preimage is written into one buffer, reused: a 10k-leaf tree hashes 10k nodes, and
// building each preimage from seven fresh arrays cost more than hashing it.
const NODE_PREIMAGE = new Uint8Array(1 + 2 * (32 + 16 + 8));
const NODE_VIEW = new DataView(NODE_PREIMAGE.buffer);

/** Writes a node's u128 amount and u64 count after the 32-byte hash at `offset` (the caller checked their range). */
function putAmountAndCount(offset: number, amount: bigint, count: bigint | number): void {
  // Most amounts fit in 64 bits: no shifted and masked bigints for them.
  const small = amount <= U64_MAX;
  NODE_VIEW.setBigUint64(offset + 32, small ? 0n : amount >> 64n);
  NODE_VIEW.setBigUint64(offset + 40, small ? amount : amount & U64_MAX);
  if (typeof count === 'bigint') NODE_VIEW.setBigUint64(offset + 48, count);
  else {
    NODE_VIEW.setUint32(offset + 48, Math.floor(count / 2 ** 32));
    NODE_VIEW.setUint32(offset + 52, count >>> 0);
  }
}

/** Writes a 32-byte hash and its sums at `offset`, with u128 and u64's range errors. */
function putSums(offset: number, v: SumValue): void {
  if (v.amount < 0n || v.amount > U128_MAX) throw new RangeError(`${v.amount} is not a u128`);
  if (v.count < 0n || v.count > U64_MAX) throw new RangeError(`${v.count} is not a u64`);
  NODE_PREIMAGE.set(v.hash, offset);
  putAmountAndCount(offset, v.amount, v.count);
}

export function nodeHash(left: SumValue, right: SumValue): Uint8Array {
  if (left.hash.length !== 32 || right.hash.length !== 32) {
    // Not hashes of this tree (a caller's odd input): the definition, spelled out.
    return sha256(concatBytes(Uint8Array.of(NODE_PREFIX), left.hash, u128(left.amount), u64(left.count), right.hash, u128(right.amount), u64(right.count)));
  }
  NODE_PREIMAGE[0] = NODE_PREFIX;
  putSums(1, left);
  putSums(57, right);
  return sha256(NODE_PREIMAGE);
}

/**
 * The root SumTree.build gives over leaves of count 1 with these hashes (binary strings, as
 * sha256Binary gives them) and amounts, without keeping the tree: no node object, and no
 * ArrayBuffer per hash, so it costs about a third of building the tree (the gossip check rebuilds
 * a 10k-leaf root at every hop, on the forwarding path). Throws SumOverflowError as parentOf does.
 */
export function sumRootOfLeaves(leafHashes: readonly string[], leafAmounts: readonly bigint[]): SumValue {
  if (leafHashes.length === 0 || leafHashes.length !== leafAmounts.length) throw new RangeError('a Merkle-sum tree needs at least one leaf, and an amount for each');
  const hashes = leafHashes.slice();
  const amounts = leafAmounts.slice();
  // Counts stay exact as numbers: at most one per leaf of an array.
  const counts = new Array<number>(hashes.length).fill(1);
  const pre = Buffer.from(NODE_PREIMAGE.buffer, NODE_PREIMAGE.byteOffset, NODE_PREIMAGE.byteLength);
  const put = (offset: number, i: number): void => {
    const hash = hashes[i]!;
    const amount = amounts[i]!;
    if (hash.length !== 32 || amount < 0n || amount > U128_MAX) throw new RangeError(`leaf ${i} is not a 32-byte hash with a u128 amount`);
    pre.write(hash, offset, 32, 'latin1');
    putAmountAndCount(offset, amount, counts[i]!);
  };
  let n = hashes.length;
  while (n > 1) {
    let m = 0;
    for (let i = 0; i + 1 < n; i += 2, m++) {
      const amount = amounts[i]! + amounts[i + 1]!;
      if (amount > U128_MAX) throw new SumOverflowError(`amount sum ${amount} does not fit in 128 bits`);
      NODE_PREIMAGE[0] = NODE_PREFIX;
      put(1, i);
      put(57, i + 1);
      hashes[m] = sha256Binary(NODE_PREIMAGE);
      amounts[m] = amount;
      counts[m] = counts[i]! + counts[i + 1]!;
    }
    // An odd last node moves up unchanged.
    if (n % 2 === 1) {
      hashes[m] = hashes[n - 1]!;
      amounts[m] = amounts[n - 1]!;
      counts[m] = counts[n - 1]!;
      m++;
    }
    n = m;
  }
  return { hash: Uint8Array.from(Buffer.from(hashes[0]!, 'latin1')), amount: amounts[0]!, count: BigInt(counts[0]!) };
}

/** Thrown when sums leave the u128 (amount) or u64 (count) range. */
export class SumOverflowError extends RangeError {
  override readonly name = 'SumOverflowError';
}

export function parentOf(left: SumValue, right: SumValue): SumValue {
  const amount = left.amount + right.amount;
  const count = left.count + right.count;
  if (amount > U128_MAX) throw new SumOverflowError(`amount sum ${amount} does not fit in 128 bits`);
  if (count > U64_MAX) throw new SumOverflowError(`count sum ${count} does not fit in 64 bits`);
  return { hash: nodeHash(left, right), amount, count };
}

export function toSumNode(v: SumValue): SumNode {
  return { hash: v.hash, amount: v.amount.toString(), count: v.count };
}

export class SumTree {
  /** levels[0] are the leaves; the last level has one node, the root. */
  readonly levels: readonly (readonly SumValue[])[];

  private constructor(levels: SumValue[][]) {
    this.levels = levels;
  }

  /**
   * `combine` replaces parentOf: only to build the dishonest trees that tests, benchmarks and
   * watchers' fixtures need (level is the parent's level, 1 above the leaves).
   */
  static build(leaves: readonly SumValue[], opts: { combine?: (left: SumValue, right: SumValue, level: number, position: number) => SumValue } = {}): SumTree {
    if (leaves.length === 0) throw new RangeError('a Merkle-sum tree needs at least one leaf');
    const combine = opts.combine ?? parentOf;
    const levels: SumValue[][] = [leaves.slice()];
    let level = levels[0]!;
    while (level.length > 1) {
      const next: SumValue[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(combine(level[i]!, level[i + 1]!, levels.length, i / 2));
      if (level.length % 2 === 1) next.push(level[level.length - 1]!);
      levels.push(next);
      level = next;
    }
    return new SumTree(levels);
  }

  get root(): SumValue {
    return this.levels[this.levels.length - 1]![0]!;
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  node(level: number, position: number): SumValue {
    const node = this.levels[level]?.[position];
    if (node === undefined) throw new RangeError(`no node at level ${level}, position ${position}`);
    return node;
  }

  /** The two nodes a node was hashed from, or undefined for a leaf or a node that moved up unchanged. */
  children(level: number, position: number): readonly [SumValue, SumValue] | undefined {
    if (level === 0) return undefined;
    const below = this.levels[level - 1]!;
    const left = below[2 * position];
    const right = below[2 * position + 1];
    if (left === undefined || right === undefined) return undefined;
    return [left, right];
  }

  /** Path from the node at (level, position) to the root, with the index of its first leaf. */
  path(level: number, position: number): InclusionProof {
    this.node(level, position);
    const steps: ProofStep[] = [];
    let pos = position;
    // The leaves left of the node are exactly those under its ancestors' left siblings.
    let index = 0n;
    for (let lvl = level; lvl < this.levels.length - 1; lvl++) {
      const nodes = this.levels[lvl]!;
      if (pos % 2 === 1) {
        steps.push(step(nodes[pos - 1]!, true));
        index += nodes[pos - 1]!.count;
      } else if (pos + 1 < nodes.length) steps.push(step(nodes[pos + 1]!, false));
      pos = Math.floor(pos / 2);
    }
    return { index, steps };
  }

  /** Inclusion proof of leaf `index`. */
  proof(index: number): InclusionProof {
    return this.path(0, index);
  }

  /**
   * A SumNodeProof of the node at (level, position), opened into its children (or, for a leaf, the
   * receipt given). On an honest tree the chain answers "sums are consistent"; tests and watchers
   * build these for dishonest trees.
   */
  sumNodeProof(level: number, position: number, leafReceipt?: Receipt): SumNodeProof {
    const node = this.node(level, position);
    const kids = this.children(level, position);
    return {
      node: toSumNode(node),
      path: this.path(level, position),
      left: kids === undefined ? undefined : toSumNode(kids[0]),
      right: kids === undefined ? undefined : toSumNode(kids[1]),
      leaf: kids === undefined ? leafReceipt : undefined,
    };
  }
}

function step(sibling: SumValue, left: boolean): ProofStep {
  return { hash: sibling.hash, amount: sibling.amount.toString(), count: sibling.count, left };
}

/** A node received on the wire, checked: 32-byte hash, u128 amount, u64 count. */
export function parseSumNode(n: SumNode | undefined, what = 'node'): SumValue {
  if (n === undefined) throw new RangeError(`${what} is missing`);
  if (n.hash.length !== 32) throw new RangeError(`${what} hash has ${n.hash.length} bytes, not 32`);
  return { hash: n.hash, amount: parseU128(n.amount, `${what} amount`), count: n.count };
}

export type PathResult = { readonly ok: true; readonly top: SumValue; readonly index: bigint } | { readonly ok: false; readonly reason: string };

/** Climbs from `start` along `proof`: every sibling well-formed with count >= 1, sums in range. */
export function climb(start: SumValue, proof: InclusionProof | undefined): PathResult {
  if (proof === undefined) return { ok: false, reason: 'proof is missing' };
  if (proof.steps.length > MAX_PROOF_STEPS) return { ok: false, reason: `proof has ${proof.steps.length} steps; at most ${MAX_PROOF_STEPS}` };
  let cur = start;
  let index = 0n;
  try {
    for (const [i, s] of proof.steps.entries()) {
      const sibling = parseSumNode(s, `step ${i}`);
      if (sibling.count < 1n) return { ok: false, reason: `step ${i} has count 0` };
      if (s.left) {
        index += sibling.count;
        cur = parentOf(sibling, cur);
      } else cur = parentOf(cur, sibling);
    }
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (index !== proof.index) return { ok: false, reason: `proof says index ${proof.index} but its left siblings hold ${index} leaves` };
  return { ok: true, top: cur, index };
}

/** Why `proof` does not place `node` under `root` (hash, amount and count), or undefined when it does. */
export function pathProblem(root: SumValue, node: SumValue, proof: InclusionProof | undefined): string | undefined {
  const r = climb(node, proof);
  if (!r.ok) return r.reason;
  if (!equalBytes(r.top.hash, root.hash)) return 'proof does not lead to the root';
  if (r.top.amount !== root.amount) return `proof sums to amount ${r.top.amount}, the root claims ${root.amount}`;
  if (r.top.count !== root.count) return `proof sums to count ${r.top.count}, the root claims ${root.count}`;
  if (r.index >= root.count) return `index ${r.index} is outside the ${root.count} leaves`;
  return undefined;
}

export function verifyInclusion(root: SumValue, leaf: SumValue, proof: InclusionProof | undefined): boolean {
  return leaf.count === 1n && pathProblem(root, leaf, proof) === undefined;
}

/** Why a receipt is not leaf `proof.index` under `root`, or undefined when it is. */
export function receiptInclusionProblem(root: SumValue, r: Receipt, proof: InclusionProof | undefined): string | undefined {
  let leaf: SumValue;
  try {
    leaf = receiptLeaf(r);
  } catch (e) {
    if (e instanceof ReceiptFormatError) return `receipt cannot be a leaf: ${e.message}`;
    throw e;
  }
  return pathProblem(root, leaf, proof);
}

export type SumCheck =
  /** The proof does not place the node in the tree, or its opening does not match the node's hash. */
  | { readonly valid: false; readonly reason: string }
  /** The node is in the tree; `fraud` says what does not add up, undefined when everything does. */
  | { readonly valid: true; readonly fraud: string | undefined };

/** Judges a SumNodeProof against a batch root (hash, claimed amount, claimed count). */
export function checkSumNodeProof(root: SumValue, proof: SumNodeProof | undefined): SumCheck {
  if (proof === undefined) return { valid: false, reason: 'proof is missing' };
  let node: SumValue;
  try {
    node = parseSumNode(proof.node, 'node');
  } catch (e) {
    return { valid: false, reason: (e as Error).message };
  }
  const placed = pathProblem(root, node, proof.path);
  if (placed !== undefined) return { valid: false, reason: placed };
  if (node.count === 0n && node.amount > 0n) return { valid: true, fraud: `a node holds amount ${node.amount} but no leaves` };
  if (proof.leaf !== undefined) {
    if (proof.left !== undefined || proof.right !== undefined) return { valid: false, reason: 'open a node as a leaf or as two children, not both' };
    if (!equalBytes(receiptLeafHash(proof.leaf), node.hash)) return { valid: false, reason: 'the receipt is not the leaf with this hash' };
    if (node.count !== 1n) return { valid: true, fraud: `a leaf is counted as ${node.count} receipts` };
    let amount: bigint;
    try {
      amount = receiptAmount(proof.leaf);
    } catch (e) {
      return { valid: true, fraud: `the leaf's receipt has no valid amount: ${(e as Error).message}` };
    }
    if (amount !== node.amount) return { valid: true, fraud: `a leaf is counted as amount ${node.amount}, its receipt says ${amount}` };
    return { valid: true, fraud: undefined };
  }
  let left: SumValue;
  let right: SumValue;
  try {
    left = parseSumNode(proof.left, 'left child');
    right = parseSumNode(proof.right, 'right child');
  } catch (e) {
    return { valid: false, reason: (e as Error).message };
  }
  if (!equalBytes(nodeHash(left, right), node.hash)) return { valid: false, reason: 'the children do not hash to the node' };
  if (left.amount + right.amount !== node.amount) return { valid: true, fraud: `children hold amount ${left.amount + right.amount}, the node claims ${node.amount}` };
  if (left.count + right.count !== node.count) return { valid: true, fraud: `children hold ${left.count + right.count} leaves, the node claims ${node.count}` };
  return { valid: true, fraud: undefined };
}
