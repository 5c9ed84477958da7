// The versioned, authenticated state store: a crit-bit Merkle tree (ICS23 smtSpec hashing) held in
// memory for the app hash and proofs, flat latest/history tables in LevelDB for reads, and one
// atomic LevelDB batch per commit. See README.md for the design.

import { ics23 } from '@confio/ics23';
import type { Backend, BatchOp } from './backend.ts';
import { ADOPT, type Adopting, emptyIterable } from './branch.ts';
import { sha256 } from '../crypto/hash.ts';
import { equalBytes, fromKeyString, toKeyString, u64, U64_MAX } from './bytes.ts';
import {
  CommitInProgressError,
  InvalidHeightError,
  StoreClosedError,
  StoreCorruptionError,
  VersionUnavailableError,
} from './errors.ts';
import { historyEntries, historyGet, latestEntries, latestGet } from './history.ts';
import type { Change, Meta } from './layout.ts';
import {
  decodeMeta,
  encodeChanges,
  encodeHistoryValue,
  encodeLatestValue,
  encodeMeta,
  historyKey,
  FIRST_COMMIT_KEY,
  HISTORY_SET,
  latestValue,
  latestVersion,
  META_KEY,
  T_CHANGES,
  T_LATEST,
  T_VERSION,
  tableEnd,
  tableKey,
  versionedKey,
} from './layout.ts';
import { LevelBackend } from './level-backend.ts';
import { MemoryBackend } from './memory-backend.ts';
import { mergeEntries } from './merge.ts';
import { Overlay } from './overlay.ts';
import type { OverlayEntry } from './overlay.ts';
import { planPrune } from './prune.ts';
import { LruCache } from '../lru-cache.ts';
import { EMPTY, MemTree, type Ref, type TreeWrite } from './tree/mem-tree.ts';
import { leafHash, ZERO_HASH } from './tree/node.ts';
import { lookup } from './tree/proof.ts';
import type { LeafPath } from './tree/proof.ts';
import { grown, grownBuffer, leafHashes, putLeaf, Slabs, SortedLeaves } from './tree/build.ts';
import type { Entry, KVRead, KVStore, Range } from './types.ts';
import { assertKey, assertValue, normalizeRange } from './validate.ts';
import type { Bounds } from './validate.ts';

export interface StoreOptions {
  /** LevelDB directory. */
  path: string;
  /** Versions to keep: 0 keeps all; N keeps the newest N. */
  keepRecent?: number;
  /** With keepRecent > 0, prune once this many versions beyond keepRecent have accumulated. */
  pruneInterval?: number;
  /** The newest heights whose tree stays in memory for proofs (the latest always does). */
  provableHeights?: number;
  /** Latest values (or their absence) kept in memory for reads of current state (LRU by count). */
  readCacheSize?: number;
  /** Ops per LevelDB batch when the first commit (a genesis, a restored snapshot) is written in pieces. */
  firstCommitBatchOps?: number;
}

export interface StoreProof {
  value: Uint8Array | undefined;
  proof: ics23.CommitmentProof;
  root: Uint8Array;
}

export const DEFAULT_PRUNE_INTERVAL = 10;
/**
 * Enough for a light client or relayer asking a few blocks behind the tip. Each kept height holds the
 * tree nodes its next block replaced: ~70 B a node, ~30 nodes a bank send on 100k accounts.
 */
export const DEFAULT_PROVABLE_HEIGHTS = 10;
/** The accounts, balances and params of several thousand active accounts: about 5 MiB. */
export const DEFAULT_READ_CACHE_SIZE = 20_000;
/** A read ahead's getMany calls at most (libuv's pool has 4 threads), each of at least this many keys. */
const READ_AHEAD_PARTS = 4;
const READ_AHEAD_MIN_PART = 64;
/**
 * The first commit holds the whole initial state (a genesis of 100k accounts is ~1M ops). Built and
 * written as one batch, its buffers and LevelDB's copy of them peaked at ~1 GiB of small native
 * blocks that glibc kept after they were freed; in pieces of this many ops, each piece reuses the
 * last one's memory (bench/README.md, memory).
 */
export const DEFAULT_FIRST_COMMIT_BATCH_OPS = 20_000;

const EMPTY_META: Meta = { height: 0n, earliest: 0n, retained: 0n, appHash: ZERO_HASH };

interface Settings {
  readonly keepRecent: number;
  readonly pruneInterval: number;
  readonly provableHeights: number;
  readonly readCacheSize: number;
  readonly firstCommitBatchOps: number;
}

function settings(opts: Omit<StoreOptions, 'path'>): Settings {
  if (typeof opts !== 'object' || opts === null) throw new TypeError('store options must be an object');
  const int = (v: unknown, name: string, min: number, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}`);
    return v;
  };
  return {
    keepRecent: int(opts.keepRecent, 'keepRecent', 0, 0),
    pruneInterval: int(opts.pruneInterval, 'pruneInterval', 1, DEFAULT_PRUNE_INTERVAL),
    provableHeights: int(opts.provableHeights, 'provableHeights', 1, DEFAULT_PROVABLE_HEIGHTS),
    readCacheSize: int(opts.readCacheSize, 'readCacheSize', 0, DEFAULT_READ_CACHE_SIZE),
    firstCommitBatchOps: int(opts.firstCommitBatchOps, 'firstCommitBatchOps', 1, DEFAULT_FIRST_COMMIT_BATCH_OPS),
  };
}

function copyHash(h: Uint8Array): Uint8Array {
  return new Uint8Array(h);
}

export class CommitStore {
  readonly #backend: Backend;
  readonly #settings: Settings;
  /** Every committed version's tree that proofs may ask for, and the working tree beside them. */
  #tree: MemTree;
  /** Roots of the newest committed versions, oldest first (at most provableHeights). */
  readonly #roots = new Map<bigint, Ref>();
  /**
   * The latest table's values (null: absent) by key string, so the keys every tx reads (its accounts,
   * balances, the auth params) skip a LevelDB read. Filled by reads, updated by each commit once its
   * batch has landed; it holds only committed values, which is all the latest table holds. Each as
   * latin1 text: a string of V8's heap, not an array with a native block, and never a view that
   * keeps a larger buffer alive.
   */
  readonly #latest: LruCache<string | null>;
  /** Commits whose batch has landed: a read ahead that one overtook may hold old values and is dropped. */
  #landings = 0;
  /** The last readAhead, which the next one follows (so it skips what this one cached). */
  #readingAhead: Promise<void> = Promise.resolve();
  #meta: Meta;
  #committedRoot: Ref;
  #workingRoot: Ref;
  /** Every write since the last commit: what working reads see and what commit persists. */
  readonly #pending = new Overlay();
  /** Writes not yet pushed into the working tree. */
  #dirty = new Map<string, OverlayEntry>();
  /**
   * Before the first commit the pending writes are the whole state (a genesis, a restored snapshot,
   * maybe millions of keys): workingHash() folds them into a tree of their own in one pass
   * (MemTree.fold), kept until the next write; commit keeps that tree.
   */
  #first: { readonly entries: readonly OverlayEntry[]; readonly leaves: SortedLeaves; root?: Ref } | undefined;
  /** Where the values written before the first commit are copied (tree/build.ts). */
  #firstValues = new Slabs();
  /**
   * Keys whose committed leaf the working tree changed (each gets a history entry at commit), with
   * the version that wrote the leaf replaced, if there was one.
   */
  readonly #changes = new Map<string, bigint | undefined>();
  #committing: Promise<unknown> | undefined;
  #closed = false;
  #failure: unknown;
  readonly #leafChanged = (ks: string, prev: bigint | undefined): void => {
    if (!this.#changes.has(ks)) this.#changes.set(ks, prev);
  };
  readonly #working: KVStore;
  readonly #committed: KVRead;
  /**
   * Settles once the latest tree is in memory: at once for a new store, after its rebuild from the
   * latest table for a reopened one. open() does not wait for the rebuild (a node's CometBFT starts
   * meanwhile); hashing, commits and proofs do. It rejects with a StoreCorruptionError if the latest
   * table does not hash to the last app hash.
   */
  readonly treeReady: Promise<void>;
  /** treeReady has settled well: no need to wait for it. */
  #treeBuilt = false;

  private constructor(backend: Backend, s: Settings, meta: Meta, tree: MemTree, root: Ref | Promise<Ref>) {
    this.#backend = backend;
    this.#settings = s;
    this.#latest = new LruCache(s.readCacheSize);
    this.#meta = meta;
    this.#tree = tree;
    this.#committedRoot = EMPTY;
    this.#workingRoot = EMPTY;
    const settle = (r: Ref): void => {
      this.#treeBuilt = true;
      this.#committedRoot = r;
      this.#workingRoot = r;
      if (meta.height > 0n) this.#roots.set(meta.height, r);
    };
    if (typeof root === 'number') {
      settle(root);
      this.treeReady = Promise.resolve();
    } else {
      this.treeReady = root.then(settle);
      this.treeReady.catch(() => {}); // reported by whatever awaits it
    }
    const working: KVStore & Adopting = {
      get: (key) => this.#workingGet(key),
      peek: (key) => this.#workingPeek(key),
      iterate: (range) => this.#workingIterate(range),
      set: (key, value) => {
        assertValue(value);
        this.#write(key, value);
      },
      delete: (key) => this.#write(key, null),
      [ADOPT]: (ks, value) => this.#adopt(ks, value),
    };
    this.#working = working;
    this.#committed = {
      get: (key) => this.#latestGet(key),
      peek: (key) => this.#latestPeek(key),
      iterate: (range) => this.#latestIterate(range),
    };
  }

  static async open(opts: StoreOptions): Promise<CommitStore> {
    if (typeof opts !== 'object' || opts === null) throw new TypeError('store options must be an object');
    if (typeof opts.path !== 'string' || opts.path.length === 0) throw new TypeError('store path must be a non-empty string');
    const s = settings(opts);
    return CommitStore.#load(await LevelBackend.open(opts.path), s);
  }

  /** In-memory store for tests: same semantics, no LevelDB. */
  static async memory(opts: Omit<StoreOptions, 'path'> = {}): Promise<CommitStore> {
    return CommitStore.#load(new MemoryBackend(), settings(opts));
  }

  static async #load(backend: Backend, s: Settings): Promise<CommitStore> {
    try {
      const raw = backend.getSync(META_KEY);
      const meta = raw === undefined ? EMPTY_META : decodeMeta(raw);
      if (raw === undefined) {
        // No commit landed. The pieces of an interrupted first commit (marked, its meta written last)
        // are referred to by nothing and go before anything reads; any other entries without a meta
        // are a damaged database, which is never emptied silently.
        if (backend.getSync(FIRST_COMMIT_KEY) !== undefined) await wipe(backend, s.firstCommitBatchOps);
        else if (!(await isEmpty(backend))) {
          throw new StoreCorruptionError('the store holds data but no commit record (its meta key is missing): restore the data folder from a backup or a state-sync snapshot, or move it aside to start over');
        }
      }
      const tree = new MemTree();
      if (meta.height === 0n) return new CommitStore(backend, s, meta, tree, EMPTY);
      const v = backend.getSync(versionedKey(T_VERSION, meta.height));
      if (v === undefined) throw new StoreCorruptionError(`no root recorded for the last height ${meta.height}`);
      if (!equalBytes(rootHash(v), meta.appHash)) throw new StoreCorruptionError('the recorded app hash does not match the last root');
      const root = rebuild(backend, tree).then((r) => {
        if (!equalBytes(tree.hash(r), meta.appHash)) {
          throw new StoreCorruptionError(`the latest state does not hash to the app hash of height ${meta.height}: restore the data folder from a backup or a state-sync snapshot`);
        }
        return r;
      });
      return new CommitStore(backend, s, meta, tree, root);
    } catch (err) {
      await backend.close();
      throw err;
    }
  }

  get lastHeight(): bigint {
    return this.#meta.height;
  }

  get lastAppHash(): Uint8Array {
    return copyHash(this.#meta.appHash);
  }

  /** 0n before the first commit. */
  get earliestHeight(): bigint {
    return this.#meta.earliest;
  }

  get working(): KVStore {
    return this.#working;
  }

  get committed(): KVRead {
    return this.#committed;
  }

  /**
   * Reads the latest values of `keys` into the read cache on LevelDB's threads, so that the reads a
   * block makes of them do not wait on the database on this thread (the app passes the keys a
   * proposal's txs will read while the block is voted on). Only a hint: the cached values are the
   * ones a read would get, keys already cached are skipped, and a failure is left for the real read
   * to meet. Settles when the values are cached, or dropped because a commit landed meanwhile.
   */
  readAhead(keys: readonly Uint8Array[]): Promise<void> {
    const previous = this.#readingAhead;
    const read = async (): Promise<void> => {
      await previous;
      if (this.#closed || this.#meta.height === 0n) return;
      const wanted = new Map<string, Uint8Array>();
      for (const key of keys) {
        const ks = toKeyString(key);
        if (!wanted.has(ks) && this.#latest.get(ks) === undefined) wanted.set(ks, tableKey(T_LATEST, key));
      }
      if (wanted.size === 0) return;
      const landings = this.#landings;
      // One getMany reads its keys one after another on one thread: split, they go on several.
      const tableKeys = [...wanted.values()];
      const parts = Math.min(READ_AHEAD_PARTS, Math.ceil(tableKeys.length / READ_AHEAD_MIN_PART));
      const size = Math.ceil(tableKeys.length / parts);
      const reads = Array.from({ length: parts }, (_, i) => this.#backend.getMany(tableKeys.slice(i * size, (i + 1) * size)));
      const values = (await Promise.all(reads)).flat();
      if (landings !== this.#landings || this.#closed) return;
      let i = 0;
      for (const ks of wanted.keys()) {
        const v = values[i++];
        this.#latest.set(ks, v === undefined ? null : toKeyString(latestValue(v)));
      }
    };
    this.#readingAhead = read().catch(() => {});
    return this.#readingAhead;
  }

  async workingHash(): Promise<Uint8Array> {
    this.#assertUsable();
    // Once the tree is built the hash covers exactly the writes made before this call.
    if (!this.#treeBuilt) await this.treeReady;
    if (this.#meta.height === 0n) {
      const first = this.#firstLeaves();
      if (first.root === undefined) {
        const { entries, leaves } = first;
        this.#tree = new MemTree();
        // Versions are set at the commit, which knows its height.
        first.root = this.#tree.fold(leaves, (input) => (entries[input] as OverlayEntry).key, () => 0);
      }
      return this.#tree.hash(first.root);
    }
    this.#applyDirty();
    return this.#tree.hash(this.#workingRoot);
  }

  discard(): void {
    this.#assertUsable();
    this.#assertNotCommitting();
    this.#pending.clear();
    this.#dirty = new Map();
    if (this.#first !== undefined) this.#tree = new MemTree();
    this.#first = undefined;
    this.#firstValues = new Slabs();
    this.#tree.discard();
    this.#changes.clear();
    this.#workingRoot = this.#committedRoot;
  }

  commit(height: bigint): Promise<Uint8Array> {
    try {
      this.#assertUsable();
      this.#assertNotCommitting();
      if (typeof height !== 'bigint') throw new TypeError('height must be a bigint');
      if (height <= this.#meta.height || height > U64_MAX) {
        throw new InvalidHeightError(`cannot commit height ${height}: the last committed height is ${this.#meta.height}`);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    const done = this.#commit(height);
    this.#committing = done.catch(() => undefined);
    return done.finally(() => {
      this.#committing = undefined;
    });
  }

  at(height: bigint): KVRead {
    this.#assertUsable();
    this.#assertRetained(height, true);
    return {
      get: (key) => this.#getAt(key, height),
      iterate: (range) => this.#iterateAt(range, height),
    };
  }

  async prove(key: Uint8Array, height: bigint): Promise<StoreProof> {
    this.#assertUsable();
    await this.treeReady;
    assertKey(key);
    this.#assertRetained(height, true);
    const root = this.#roots.get(height);
    if (root === undefined) {
      const kept = [...this.#roots.keys()];
      throw new VersionUnavailableError(height, `proofs are served for the newest heights this node holds in memory (now ${kept[0]} to ${kept.at(-1)}; [store] provable-heights in app.toml)`);
    }
    const path = sha256(key);
    // The tree walk is synchronous and copies what it finds; the value reads open their snapshots
    // in the same tick, so a commit or prune cannot slip in between.
    const found = lookup(this.#tree, root, path);
    const rootHash = this.#tree.hash(root);
    if (found.kind === 'found') {
      const value = await this.#leafValue(found.at, height);
      const exist = existenceProof(found.at, value);
      return { value, proof: ics23.CommitmentProof.create({ exist }), root: rootHash };
    }
    const [left, right] = await Promise.all([
      found.left === undefined ? undefined : this.#leafValue(found.left, height),
      found.right === undefined ? undefined : this.#leafValue(found.right, height),
    ]);
    const nonexist: ics23.INonExistenceProof = { key: copyHash(path) };
    if (found.left !== undefined && left !== undefined) nonexist.left = existenceProof(found.left, left);
    if (found.right !== undefined && right !== undefined) nonexist.right = existenceProof(found.right, right);
    return { value: undefined, proof: ics23.CommitmentProof.create({ nonexist }), root: rootHash };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#committing;
    await this.treeReady.catch(() => {}); // its cursor reads the database
    await this.#readingAhead;
    this.#closed = true;
    this.#tree = new MemTree();
    this.#roots.clear();
    this.#latest.clear();
    await this.#backend.close();
  }

  // ---- internals -----------------------------------------------------------------------------

  #assertUsable(): void {
    if (this.#closed) throw new StoreClosedError('the store is closed');
    if (this.#failure !== undefined) {
      throw new StoreClosedError('a commit failed to write; reopen the store to continue from the last commit', {
        cause: this.#failure,
      });
    }
  }

  #assertRetained(height: bigint, checkRecord: boolean): void {
    if (typeof height !== 'bigint') throw new TypeError('height must be a bigint');
    const { height: last, earliest } = this.#meta;
    if (height < 1n || height > last) throw new VersionUnavailableError(height, `the last committed height is ${last}`);
    if (height < earliest) throw new VersionUnavailableError(height, `pruned (earliest retained is ${earliest})`);
    if (checkRecord && height !== last && this.#backend.getSync(versionedKey(T_VERSION, height)) === undefined) {
      throw new VersionUnavailableError(height, 'no commit at this height');
    }
  }

  /** The latest table serves `height` only while it is the last commit and no commit is being written. */
  #servedByLatest(height: bigint): boolean {
    return height === this.#meta.height && this.#committing === undefined;
  }

  async #leafValue(leaf: LeafPath, height: bigint): Promise<Uint8Array> {
    const key = fromKeyString(leaf.key);
    const value = this.#servedByLatest(height) ? latestGet(this.#backend, key) : await historyGet(this.#backend, key, height);
    if (value === undefined || !equalBytes(leafHash(leaf.path, sha256(value)), leaf.hash)) {
      throw new StoreCorruptionError('a tree leaf does not match the stored value of its key');
    }
    return value;
  }

  /** A caller's write: its key and value are copied. */
  #write(key: Uint8Array, value: Uint8Array | null): void {
    this.#assertUsable();
    assertKey(key);
    this.#assertNotCommitting();
    const owned = value === null ? null : this.#meta.height === 0n ? this.#firstValues.copy(value) : value.slice();
    this.#record(toKeyString(key), owned);
  }

  /** An entry a branch's write() hands over: its key string and its own checked value (see ADOPT). */
  #adopt(ks: string, value: Uint8Array | null): void {
    this.#assertUsable();
    this.#assertNotCommitting();
    // The first commit keeps its values in slabs of its own.
    this.#record(ks, value !== null && this.#meta.height === 0n ? this.#firstValues.copy(value) : value);
  }

  #assertNotCommitting(): void {
    if (this.#committing !== undefined) throw new CommitInProgressError();
  }

  #record(ks: string, value: Uint8Array | null): void {
    const entry = this.#pending.put(ks, value);
    if (this.#meta.height === 0n) this.#first = undefined;
    else this.#dirty.set(ks, entry);
  }

  #workingGet(key: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return Promise.resolve(this.#workingPeek(key) ?? undefined);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #workingPeek(key: Uint8Array): Uint8Array | null {
    this.#assertUsable();
    assertKey(key);
    const ks = toKeyString(key);
    const hit = this.#pending.get(ks);
    if (hit !== undefined) return hit.value;
    return this.#readLatest(key, ks) ?? null;
  }

  #workingIterate(range: Range): AsyncIterable<Entry> {
    this.#assertUsable();
    const bounds = normalizeRange(range);
    if (bounds.empty) return emptyIterable();
    const local = this.#pending.range(bounds);
    const parent = latestEntries(this.#backend, { ...bounds, limit: Infinity });
    return mergeEntries(local, parent, bounds);
  }

  #latestGet(key: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return Promise.resolve(this.#latestPeek(key) ?? undefined);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #latestPeek(key: Uint8Array): Uint8Array | null {
    this.#assertUsable();
    assertKey(key);
    return this.#readLatest(key, toKeyString(key)) ?? null;
  }

  /** The latest table's value of `key` (ks: its key string), through the read cache; callers get their own copy. */
  #readLatest(key: Uint8Array, ks: string): Uint8Array | undefined {
    // Nothing is committed before the first commit lands, which may be written in several batches.
    if (this.#meta.height === 0n) return undefined;
    const hit = this.#latest.get(ks);
    if (hit !== undefined) return hit === null ? undefined : fromKeyString(hit);
    const value = latestGet(this.#backend, key);
    this.#latest.set(ks, value === undefined ? null : toKeyString(value));
    return value;
  }

  #latestIterate(range: Range): AsyncIterable<Entry> {
    this.#assertUsable();
    const bounds = normalizeRange(range);
    if (bounds.empty || this.#meta.height === 0n) return emptyIterable();
    return latestEntries(this.#backend, bounds);
  }

  #getAt(key: Uint8Array, height: bigint): Promise<Uint8Array | undefined> {
    try {
      this.#assertUsable();
      assertKey(key);
      this.#assertRetained(height, false);
      if (this.#servedByLatest(height)) return Promise.resolve(this.#readLatest(key, toKeyString(key)));
      return historyGet(this.#backend, key, height);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #iterateAt(range: Range, height: bigint): AsyncIterable<Entry> {
    this.#assertUsable();
    const bounds = normalizeRange(range);
    if (bounds.empty) return emptyIterable();
    return this.#entriesAt(bounds, height);
  }

  async *#entriesAt(bounds: Bounds, height: bigint): AsyncGenerator<Entry, void, undefined> {
    // Decided on the first next(), right before the cursor (and its snapshot) is opened.
    this.#assertUsable();
    this.#assertRetained(height, false);
    yield* this.#servedByLatest(height)
      ? latestEntries(this.#backend, bounds)
      : historyEntries(this.#backend, bounds, height);
  }

  /**
   * The pending writes that set a value (a delete before the first commit removes nothing), in path
   * order, with the root they fold into once workingHash asked: kept until the next write, so
   * FinalizeBlock's hash and Commit sort and hash the state once.
   */
  #firstLeaves(): { readonly entries: readonly OverlayEntry[]; readonly leaves: SortedLeaves; root?: Ref } {
    if (this.#first === undefined) {
      const entries: OverlayEntry[] = [];
      for (const e of this.#pending.values()) if (e.value !== null) entries.push(e);
      const hashes = leafHashes(entries.length);
      for (let i = 0; i < entries.length; i++) putLeaf(hashes, i, (entries[i] as OverlayEntry).key, (entries[i] as OverlayEntry).value as Uint8Array);
      this.#first = { entries, leaves: new SortedLeaves(hashes, entries.length) };
    }
    return this.#first;
  }

  #applyDirty(): void {
    if (this.#dirty.size === 0) return;
    const writes: TreeWrite[] = [];
    for (const [ks, e] of this.#dirty) {
      writes.push({ ks, path: sha256(e.key), valueHash: e.value === null ? null : sha256(e.value) });
    }
    this.#dirty = new Map();
    writes.sort((a, b) => Buffer.compare(a.path, b.path));
    this.#workingRoot = this.#tree.apply(this.#workingRoot, writes, this.#leafChanged);
  }

  async #commit(height: bigint): Promise<Uint8Array> {
    await this.treeReady;
    const previousMeta = this.#meta;
    try {
      if (height > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidHeightError(`cannot commit height ${height}: heights above 2^53 are not supported`);
      // The first commit goes in pieces, marked from the first and with its meta in the last, so an
      // interrupted one is wiped at the next open; every later one in one atomic batch, as the latest
      // table must never hold half a block.
      const first = previousMeta.height === 0n;
      let ops: BatchOp[] = first ? [{ type: 'put', key: FIRST_COMMIT_KEY, value: new Uint8Array(0) }] : [];
      const piece = first ? this.#settings.firstCommitBatchOps : Infinity;
      const flush = async (): Promise<void> => {
        if (ops.length < piece) return;
        await this.#backend.write(ops);
        ops = [];
      };
      let root: Ref;
      const changes: Change[] = [];
      const landed: [string, Uint8Array | null][] = [];
      if (first) {
        // The whole state: its latest and history entries, each table in key order: LevelDB flushes
        // tables whose key ranges do not overlap and moves them down whole. In path order (random
        // keys) every flushed table overlapped all the others and was merged again and again: a
        // 1.85M-leaf first commit waited ~60 s on compaction. No change record: a prune has nothing
        // to delete for a key that no earlier version held.
        const firstLeaves = this.#firstLeaves();
        if (firstLeaves.root === undefined) await this.workingHash();
        root = firstLeaves.root as Ref;
        this.#tree.setAllVersions(height);
        const copies = new Slabs();
        const version = u64(height);
        const byKey = this.#pending.sorted();
        for (const { key, value } of byKey) {
          if (value === null) continue;
          ops.push({ type: 'put', key: tableKey(T_LATEST, key), value: copies.copy(value, version) });
          if (ops.length >= piece) await flush();
        }
        for (const { key, value } of byKey) {
          if (value === null) continue;
          ops.push({ type: 'put', key: historyKey(key, height), value: copies.copy(value, HISTORY_SET) }); // encodeHistoryValue's layout
          if (ops.length >= piece) await flush();
        }
      } else {
        this.#applyDirty();
        root = this.#workingRoot;
        for (const [ks, prev] of this.#changes) {
          const final = this.#pending.get(ks);
          if (final === undefined) throw new Error('a key changed in the tree has no pending write');
          landed.push([ks, final.value]);
          if (final.value === null) ops.push({ type: 'del', key: tableKey(T_LATEST, final.key) });
          else ops.push({ type: 'put', key: tableKey(T_LATEST, final.key), value: encodeLatestValue(height, final.value) });
          ops.push({ type: 'put', key: historyKey(final.key, height), value: encodeHistoryValue(final.value) });
          changes.push({ key: final.key, prev, deleted: final.value === null });
        }
      }
      if (changes.length > 0) ops.push({ type: 'put', key: versionedKey(T_CHANGES, height), value: encodeChanges(changes) });
      const appHash = this.#tree.hash(root);
      ops.push({ type: 'put', key: versionedKey(T_VERSION, height), value: appHash });

      let meta: Meta = {
        height,
        earliest: previousMeta.earliest === 0n ? height : previousMeta.earliest,
        retained: previousMeta.retained + 1n,
        appHash,
      };
      const { keepRecent, pruneInterval } = this.#settings;
      if (keepRecent > 0 && meta.retained >= BigInt(keepRecent + pruneInterval)) {
        const plan = await planPrune(this.#backend, keepRecent, { height, changes });
        if (plan !== undefined) {
          for (const op of plan.ops) ops.push(op);
          meta = { ...meta, earliest: plan.earliest, retained: BigInt(keepRecent) };
          // Readers must stop using the retired versions before their data starts to disappear.
          this.#meta = { ...previousMeta, earliest: plan.earliest };
        }
      }
      ops.push({ type: 'put', key: META_KEY, value: encodeMeta(meta) });
      if (first) ops.push({ type: 'del', key: FIRST_COMMIT_KEY });

      await this.#backend.write(ops);

      // The batch landed: the latest table now holds these values (a read that raced the write may have
      // cached the old one, and is overwritten here).
      for (const [ks, value] of landed) this.#latest.set(ks, value === null ? null : toKeyString(value));
      this.#landings++;
      this.#meta = meta;
      this.#tree.commit(height);
      this.#roots.set(height, root);
      for (const h of this.#roots.keys()) {
        if (this.#roots.size <= this.#settings.provableHeights) break;
        this.#roots.delete(h);
      }
      // What the heights no longer kept reached alone goes back to the tree's free lists.
      this.#tree.release(this.#roots.keys().next().value as bigint);
      this.#committedRoot = root;
      this.#workingRoot = root;
      this.#first = undefined;
      this.#firstValues = new Slabs();
      this.#pending.clear();
      this.#changes.clear();
      return copyHash(appHash);
    } catch (err) {
      // The tree moved on in memory and the batch may or may not have landed: only a reopen can
      // tell, so the store refuses further use.
      this.#failure = err;
      this.#meta = previousMeta;
      throw err;
    }
  }
}

/** The root hash a 'V' record holds. */
function rootHash(v: Uint8Array): Uint8Array {
  if (v.length !== 32) throw new StoreCorruptionError('malformed version record');
  return v;
}

/**
 * The latest tree, folded from the latest table at open: each key's path and value hash packed in
 * one buffer as the table is read in key order, put in path order, folded (bench/README.md,
 * "Sixteenth round", for what a restart pays).
 */
async function rebuild(backend: Backend, tree: MemTree): Promise<Ref> {
  // The keys' bytes one after another (ends[i]: where key i ends): not a JS string each, which
  // would all live until the fold and be promoted, collected and left in a grown heap.
  let keys: Buffer = Buffer.allocUnsafeSlow(1 << 20);
  let ends = new Uint32Array(1024);
  let versions = new Float64Array(1024);
  let hashes: Buffer = leafHashes(1024);
  let n = 0;
  const cursor = backend.cursor({ gte: Uint8Array.of(T_LATEST), lt: tableEnd(T_LATEST) });
  try {
    for (let e = await cursor.next(); e !== undefined; e = await cursor.next()) {
      if (n === versions.length) {
        versions = grown(versions, (k) => new Float64Array(k), 2 * n);
        ends = grown(ends, (k) => new Uint32Array(k), 2 * n);
        hashes = grownBuffer(hashes, 2 * hashes.length);
      }
      const key = e[0].subarray(1);
      const start = n === 0 ? 0 : (ends[n - 1] as number);
      if (start + key.length > keys.length) keys = grownBuffer(keys, 2 * (start + key.length));
      keys.set(key, start);
      ends[n] = start + key.length;
      versions[n] = Number(latestVersion(e[1]));
      putLeaf(hashes, n, key, latestValue(e[1]));
      n++;
    }
  } finally {
    await cursor.close();
  }
  const keyOf = (input: number): Uint8Array => keys.subarray(input === 0 ? 0 : ends[input - 1], ends[input]);
  return tree.fold(new SortedLeaves(hashes, n), keyOf, (input) => versions[input] as number);
}

async function isEmpty(backend: Backend): Promise<boolean> {
  const cursor = backend.cursor({ limit: 1 });
  try {
    return (await cursor.next()) === undefined;
  } finally {
    await cursor.close();
  }
}

/** Deletes every entry, `piece` at a time. */
async function wipe(backend: Backend, piece: number): Promise<void> {
  for (;;) {
    const cursor = backend.cursor({ limit: piece });
    const ops: BatchOp[] = [];
    try {
      for (let e = await cursor.next(); e !== undefined; e = await cursor.next()) ops.push({ type: 'del', key: e[0] });
    } finally {
      await cursor.close();
    }
    if (ops.length === 0) return;
    await backend.write(ops);
  }
}

const LEAF_OP: ics23.ILeafOp = {
  hash: ics23.HashOp.SHA256,
  prehashKey: ics23.HashOp.NO_HASH,
  prehashValue: ics23.HashOp.SHA256,
  length: ics23.LengthOp.NO_PREFIX,
  prefix: Uint8Array.of(0),
};

function existenceProof(at: LeafPath, value: Uint8Array): ics23.IExistenceProof {
  return { key: copyHash(at.path), value: new Uint8Array(value), leaf: LEAF_OP, path: at.steps };
}

export { VersionUnavailableError };
