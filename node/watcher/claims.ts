// The receipt ids the watcher has seen claimed, in its own LevelDB (<home>/data/watcher), so that a
// double claim is matched whenever its two halves were seen, across restarts: the leaves of every
// batch whose data it fetched (with their inclusion proofs) and the leaves revealed on chain (the
// chain keeps those, so a claim of one needs only its batch id). Outside consensus state.
//
// Layout: "c" ‖ u64 epoch ‖ lp operator ‖ lp payer ‖ lp receipt id ‖ u64 batch id ‖ u64 leaf
// → encoded Claim. A receipt can only be claimed in batches of its own epoch, so whole epochs are
// dropped once no batch of theirs can be pending (prune).
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { Claim } from '../../proto/gen/cairn/receipts/v1/tx.ts';

/** A receipt, as double claims are matched: the same id of one payer, served by one operator in one epoch. */
export interface ClaimedReceipt {
  readonly epoch: bigint;
  readonly operator: string;
  readonly payer: string;
  readonly receiptId: Uint8Array;
}

/** One place a receipt was claimed: a leaf of a batch, and the Claim that proves it to the chain. */
export interface SeenClaim {
  readonly batchId: bigint;
  readonly index: bigint;
  /** With receipt and proof for a fetched leaf; the batch id alone for one revealed on chain. */
  readonly claim: Claim;
}

const C = 0x63;
const utf8 = new TextEncoder();
// One writer for every Claim encoded here (finish() copies the bytes out and rewinds it): a fresh
// writer starts at 128 bytes and doubles up to a ~1.3 KB claim, five buffers a leaf, 10,000 leaves a batch.
const writer = new BinaryWriter();
function encodeClaim(c: Claim): Uint8Array {
  try {
    return Claim.encode(c, writer).finish();
  } catch (e) {
    writer.finish(); // rewinds what a failed encode left behind
    throw e;
  }
}

function u64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

function lp(b: Uint8Array): Uint8Array {
  if (b.length > 255) throw new RangeError(`a key part of ${b.length} bytes is too long`);
  return Uint8Array.of(b.length, ...b);
}

function receiptPrefix(r: ClaimedReceipt): Uint8Array {
  return Buffer.concat([Uint8Array.of(C), u64(r.epoch), lp(utf8.encode(r.operator)), lp(utf8.encode(r.payer)), lp(r.receiptId)]);
}

/** Past every key of `prefix` (each is the prefix and two u64s, or `tail` more bytes at most). */
function after(prefix: Uint8Array, tail = 16): Uint8Array {
  return Buffer.concat([prefix, new Uint8Array(tail + 1).fill(0xff)]);
}

/** Keys of one epoch, operator and payer that addMany scans before it looks up leaf by leaf. */
const SCAN_LIMIT = 200_000;
/** Leaf lookups in flight at once. */
const LOOKUPS_AT_ONCE = 256;

export class ClaimStore {
  readonly #db: ClassicLevel<Uint8Array, Uint8Array>;
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
    this.#db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
  }

  async open(): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    await this.#db.open();
  }

  async close(): Promise<void> {
    await this.#db.close();
  }

  /**
   * Records that `r` was claimed at `seen` and returns the other places it was claimed (another batch,
   * or another leaf of the same one). Recording the same leaf again changes nothing.
   */
  async add(r: ClaimedReceipt, seen: SeenClaim): Promise<SeenClaim[]> {
    const prefix = receiptPrefix(r);
    const others: SeenClaim[] = [];
    let known = false;
    for await (const [k, v] of this.#db.iterator({ gte: prefix, lt: after(prefix) })) {
      if (k.length !== prefix.length + 16) continue;
      const view = new DataView(k.buffer, k.byteOffset + prefix.length, 16);
      const batchId = view.getBigUint64(0);
      const index = view.getBigUint64(8);
      if (batchId === seen.batchId && index === seen.index) {
        known = true;
        continue;
      }
      others.push({ batchId, index, claim: Claim.decode(v) });
    }
    // A fetched leaf's claim (with its proof) replaces the bare one of its reveal: it proves more.
    if (!known || seen.claim.receipt !== undefined) await this.#db.put(Buffer.concat([prefix, u64(seen.batchId), u64(seen.index)]), encodeClaim(seen.claim));
    return others;
  }

  /**
   * add() for the leaves of one batch (one epoch, operator and payer; distinct receipts): one scan
   * of the keys under that epoch, operator and payer finds which receipts are claimed anywhere
   * already, only those are read, and the new claims are written in one batch, instead of two
   * awaited store calls per leaf. Past SCAN_LIMIT keys under that prefix, each leaf is looked up
   * on its own. Returns each leaf's other places, in order.
   */
  async addMany(leaves: readonly { readonly receipt: ClaimedReceipt; readonly seen: SeenClaim }[]): Promise<SeenClaim[][]> {
    const out: SeenClaim[][] = leaves.map(() => []);
    const first = leaves[0];
    if (first === undefined) return out;
    const { epoch, operator, payer } = first.receipt;
    if (leaves.some((l) => l.receipt.epoch !== epoch || l.receipt.operator !== operator || l.receipt.payer !== payer)) {
      throw new RangeError('addMany takes the leaves of one epoch, operator and payer');
    }
    const shared = Buffer.concat([Uint8Array.of(C), u64(epoch), lp(utf8.encode(operator)), lp(utf8.encode(payer))]);
    const keys = await this.#db.keys({ gte: shared, lt: after(shared, 1 + 255 + 16), limit: SCAN_LIMIT + 1 }).all();
    let claimed: Set<string> | undefined;
    if (keys.length <= SCAN_LIMIT) {
      claimed = new Set();
      // The key after the shared prefix: lp receipt id, then the batch id and leaf.
      for (const k of keys) claimed.add(Buffer.from(k.buffer, k.byteOffset + shared.length, Math.max(0, k.length - 16 - shared.length)).toString('latin1'));
    }
    const writes: { type: 'put'; key: Uint8Array; value: Uint8Array }[] = [];
    const lookup = async ({ receipt, seen }: (typeof leaves)[number], i: number): Promise<void> => {
      // receiptPrefix(receipt), from the prefix the leaves share: 10,000 leaves a batch.
      const id = receipt.receiptId;
      if (id.length > 255) throw new RangeError(`a key part of ${id.length} bytes is too long`);
      const prefix = Buffer.allocUnsafe(shared.length + 1 + id.length);
      shared.copy(prefix);
      prefix[shared.length] = id.length;
      prefix.set(id, shared.length + 1);
      let known = false;
      if (claimed === undefined || claimed.has(prefix.toString('latin1', shared.length))) {
        for (const [k, v] of await this.#db.iterator({ gte: prefix, lt: after(prefix) }).all()) {
          if (k.length !== prefix.length + 16) continue;
          const view = new DataView(k.buffer, k.byteOffset + prefix.length, 16);
          const batchId = view.getBigUint64(0);
          const index = view.getBigUint64(8);
          if (batchId === seen.batchId && index === seen.index) known = true;
          else out[i]!.push({ batchId, index, claim: Claim.decode(v) });
        }
      }
      if (!known || seen.claim.receipt !== undefined) {
        const key = Buffer.allocUnsafe(prefix.length + 16);
        prefix.copy(key);
        key.writeBigUInt64BE(seen.batchId, prefix.length);
        key.writeBigUInt64BE(seen.index, prefix.length + 8);
        writes.push({ type: 'put', key, value: encodeClaim(seen.claim) });
      }
    };
    for (let start = 0; start < leaves.length; start += LOOKUPS_AT_ONCE) {
      await Promise.all(leaves.slice(start, start + LOOKUPS_AT_ONCE).map((leaf, k) => lookup(leaf, start + k)));
    }
    if (writes.length > 0) await this.#db.batch(writes);
    return out;
  }

  /** Forgets the claims of every epoch before `epoch`. */
  async prune(epoch: bigint): Promise<void> {
    await this.#db.clear({ gte: Uint8Array.of(C), lt: Buffer.concat([Uint8Array.of(C), u64(epoch)]) });
  }

  /** How many claims are remembered (for tests and metrics). */
  async size(): Promise<number> {
    let n = 0;
    for await (const _ of this.#db.keys({ gte: Uint8Array.of(C), lt: Uint8Array.of(C + 1) })) n++;
    return n;
  }
}
