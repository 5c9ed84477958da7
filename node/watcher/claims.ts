// The receipt ids the watcher has seen claimed, in its own LevelDB (<home>/data/watcher), so that a
// double claim is matched whenever its two halves were seen, across restarts: the leaves of every
// batch whose data it fetched and the leaves revealed on chain (the chain keeps those, so a claim
// of one needs only its batch id). Outside consensus state.
//
// Layout:
//   "c" ‖ u64 epoch ‖ lp operator ‖ lp payer ‖ lp receipt id ‖ u64 batch id ‖ u64 leaf → encoded Claim
//   "d" ‖ u64 epoch ‖ u64 batch id → the fetched batch's receipts (a ReceiptBatch)
// A leaf's Claim holds its batch id only; the receipt and inclusion proof a challenge needs are
// rebuilt from its batch's receipts when a double claim is found (rare), instead of a ~1.3 KB
// claim encoded and written per leaf (claims written by earlier versions hold them: used as they are).
// A receipt can only be claimed in batches of its own epoch, so whole epochs are dropped once no
// batch of theirs can be pending (prune).
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ClassicLevel } from '../../core/store/level-reads.ts';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { ReceiptBatch } from '../../proto/gen/cairn/p2p/v1/gossip.ts';
import { Claim } from '../../proto/gen/cairn/receipts/v1/tx.ts';
import type { Receipt } from '../../proto/gen/cairn/receipts/v1/types.ts';
import { type Batch, BatchError, buildBatch, inclusionProof } from '../../sdk/receipts/batch.ts';

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
const D = 0x64;
/** ReceiptBatch's field 2 (receipts), length-delimited. */
const RECEIPTS_TAG = (2 << 3) | 2;
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

function batchKey(epoch: bigint, batchId: bigint): Uint8Array {
  return Buffer.concat([Uint8Array.of(D), u64(epoch), u64(batchId)]);
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

/** Keys of one epoch, operator and payer that addBatch scans before it looks up leaf by leaf. */
const SCAN_LIMIT = 200_000;
/** Leaf lookups in flight at once. */
const LOOKUPS_AT_ONCE = 256;

/** A fetched batch whose leaves are recorded as claims: receipts in leaf order (buildBatch's). */
export interface FetchedBatch {
  readonly id: bigint;
  readonly epoch: bigint;
  readonly operator: string;
  readonly payer: string;
  readonly receipts: readonly Receipt[];
  /** Receipt.encode of each receipt, as buildBatchWithEncodings gives them (what is stored). */
  readonly encodings: readonly Uint8Array[];
}

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
   * Records that `r` was claimed at `seen` (a leaf revealed on chain: its batch id is the claim) and
   * returns the other places it was claimed (another batch, or another leaf of the same one).
   * Recording the same leaf again changes nothing.
   */
  async add(r: ClaimedReceipt, seen: SeenClaim): Promise<SeenClaim[]> {
    const prefix = receiptPrefix(r);
    const { others, known } = await this.#othersAt(prefix, seen, r.epoch, new Map());
    if (!known) await this.#db.put(leafKey(prefix, seen), encodeClaim({ batchId: seen.batchId, receipt: undefined, proof: undefined }));
    return others;
  }

  /**
   * add() for every leaf of a fetched batch: its receipts are stored once, each leaf as its batch id;
   * one scan of the keys under the batch's epoch, operator and payer finds which receipts are claimed
   * anywhere already, only those are read, and the new leaves are written in one batch. Past
   * SCAN_LIMIT keys under that prefix, each leaf is looked up on its own. Returns each leaf's other
   * places, in leaf order, with the receipt and proof of every fetched one.
   */
  async addBatch(batch: FetchedBatch): Promise<SeenClaim[][]> {
    const out: SeenClaim[][] = batch.receipts.map(() => []);
    if (batch.receipts.length === 0) return out;
    // The receipts first: a crash before the leaves leaves a record that prune clears, never a leaf
    // without its receipt. A put copies the value once on this thread; a LevelDB batch would build
    // its WriteBatch here (bench/README.md, item 6).
    await this.#db.put(batchKey(batch.epoch, batch.id), receiptBatchOf(batch.encodings));
    const shared = Buffer.concat([Uint8Array.of(C), u64(batch.epoch), lp(utf8.encode(batch.operator)), lp(utf8.encode(batch.payer))]);
    const keys = await this.#db.keys({ gte: shared, lt: after(shared, 1 + 255 + 16), limit: SCAN_LIMIT + 1 }).all();
    let claimed: Set<string> | undefined;
    if (keys.length <= SCAN_LIMIT) {
      claimed = new Set();
      // The key after the shared prefix: lp receipt id, then the batch id and leaf.
      for (const k of keys) claimed.add(Buffer.from(k.buffer, k.byteOffset + shared.length, Math.max(0, k.length - 16 - shared.length)).toString('latin1'));
    }
    // Every new leaf's value is the same: its batch id.
    const value = encodeClaim({ batchId: batch.id, receipt: undefined, proof: undefined });
    const opened = new Map<bigint, Promise<Batch | undefined>>();
    const writes: { type: 'put'; key: Uint8Array; value: Uint8Array }[] = [];
    const lookup = async (index: number): Promise<void> => {
      // receiptPrefix(receipt), from the prefix the leaves share: 10,000 leaves a batch.
      const id = batch.receipts[index]!.id;
      if (id.length > 255) throw new RangeError(`a key part of ${id.length} bytes is too long`);
      const prefix = Buffer.allocUnsafe(shared.length + 1 + id.length);
      shared.copy(prefix);
      prefix[shared.length] = id.length;
      prefix.set(id, shared.length + 1);
      const seen = { batchId: batch.id, index: BigInt(index) };
      let known = false;
      if (claimed === undefined || claimed.has(prefix.toString('latin1', shared.length))) {
        const found = await this.#othersAt(prefix, seen, batch.epoch, opened);
        out[index] = found.others;
        known = found.known;
      }
      if (!known) writes.push({ type: 'put', key: leafKey(prefix, seen), value });
    };
    for (let start = 0; start < batch.receipts.length; start += LOOKUPS_AT_ONCE) {
      const end = Math.min(batch.receipts.length, start + LOOKUPS_AT_ONCE);
      const group: Promise<void>[] = [];
      for (let i = start; i < end; i++) group.push(lookup(i));
      await Promise.all(group);
    }
    if (writes.length > 0) await this.#db.batch(writes);
    return out;
  }

  /** The claims under `prefix` (one receipt) other than `seen`, and whether `seen` is one of them. */
  async #othersAt(prefix: Uint8Array, seen: { readonly batchId: bigint; readonly index: bigint }, epoch: bigint, opened: Map<bigint, Promise<Batch | undefined>>): Promise<{ others: SeenClaim[]; known: boolean }> {
    const others: SeenClaim[] = [];
    let known = false;
    for (const [k, v] of await this.#db.iterator({ gte: prefix, lt: after(prefix) }).all()) {
      if (k.length !== prefix.length + 16) continue;
      const view = new DataView(k.buffer, k.byteOffset + prefix.length, 16);
      const batchId = view.getBigUint64(0);
      const index = view.getBigUint64(8);
      if (batchId === seen.batchId && index === seen.index) known = true;
      else others.push({ batchId, index, claim: await this.#claim(Claim.decode(v), epoch, index, opened) });
    }
    return { others, known };
  }

  /**
   * The Claim that proves leaf `index` of `stored.batchId`: with its receipt and inclusion proof
   * when that batch was fetched (its receipts are stored), else the batch id alone (a leaf revealed
   * on chain). `opened` keeps the batches built during one call.
   */
  async #claim(stored: Claim, epoch: bigint, index: bigint, opened: Map<bigint, Promise<Batch | undefined>>): Promise<Claim> {
    if (stored.receipt !== undefined) return stored;
    let batch = opened.get(stored.batchId);
    if (batch === undefined) {
      batch = this.#db.get(batchKey(epoch, stored.batchId)).then((data) => (data === undefined ? undefined : decodeBatch(data)));
      opened.set(stored.batchId, batch);
    }
    const b = await batch;
    const receipt = b?.receipts[Number(index)];
    if (b === undefined || receipt === undefined) return stored;
    return { batchId: stored.batchId, receipt, proof: inclusionProof(b, Number(index)) };
  }

  /** Forgets the claims of every epoch before `epoch`, and the batches they came from. */
  async prune(epoch: bigint): Promise<void> {
    await this.#db.clear({ gte: Uint8Array.of(C), lt: Buffer.concat([Uint8Array.of(C), u64(epoch)]) });
    await this.#db.clear({ gte: Uint8Array.of(D), lt: Buffer.concat([Uint8Array.of(D), u64(epoch)]) });
  }

  /** How many claims are remembered (for tests and metrics). */
  async size(): Promise<number> {
    let n = 0;
    for await (const _ of this.#db.keys({ gte: Uint8Array.of(C), lt: Uint8Array.of(C + 1) })) n++;
    return n;
  }
}

function leafKey(prefix: Uint8Array, seen: { readonly batchId: bigint; readonly index: bigint }): Uint8Array {
  const key = Buffer.allocUnsafe(prefix.length + 16);
  key.set(prefix);
  key.writeBigUInt64BE(seen.batchId, prefix.length);
  key.writeBigUInt64BE(seen.index, prefix.length + 8);
  return key;
}

/** The ReceiptBatch of receipts already encoded: each as field 2 (receipts), the root left empty. */
function receiptBatchOf(encodings: readonly Uint8Array[]): Uint8Array {
  for (const e of encodings) writer.uint32(RECEIPTS_TAG).bytes(e);
  return writer.finish();
}

/** The batch a stored record holds; undefined if it does not build (it did when it was stored). */
function decodeBatch(data: Uint8Array): Batch | undefined {
  try {
    return buildBatch(ReceiptBatch.decode(data).receipts);
  } catch (e) {
    if (e instanceof BatchError) return undefined;
    throw e;
  }
}
