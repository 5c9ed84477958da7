// The versioned, authenticated state store: a crit-bit Merkle tree (ICS23 smtSpec hashing) for
// the app hash and proofs, flat latest/history tables for reads, and one atomic LevelDB batch
// per commit. See README.md for the design.

import { ics23 } from '@confio/ics23';
import type { Backend, BatchOp } from './backend.ts';
import { ADOPT, type Adopting, emptyIterable } from './branch.ts';
import { sha256 } from '../crypto/hash.ts';
import { equalBytes, fromKeyString, toKeyString, U64_MAX } from './bytes.ts';
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
  encodeMeta,
  historyKey,
  FIRST_COMMIT_KEY,
  META_KEY,
  T_CHANGES,
  T_LATEST,
  T_ORPHANS,
  T_VERSION,
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
import type { Child, LeafNode, NodeStub, TreeNode } from './tree/node.ts';
import { decodeNode, decodeRoot, encodeNode, encodeRoot, idBytes, idKey, idsBytes, idVersion, INNER, nodeKey, STUB, toStub, ZERO_HASH } from './tree/node.ts';
import { lookup } from './tree/proof.ts';
import type { LeafPath } from './tree/proof.ts';
import { applyOps, sortOps } from './tree/update.ts';
import { type KeyValue, Slabs, SortedLeaves, TreeFolder } from './tree/build.ts';
import type { TreeOp, UpdateHooks } from './tree/update.ts';
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
  /** Decoded tree nodes kept in memory (LRU by count). */
  nodeCacheSize?: number;
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
export const DEFAULT_NODE_CACHE_SIZE = 50_000;
/** The accounts, balances and params of several thousand active accounts: about 5 MiB. */
export const DEFAULT_READ_CACHE_SIZE = 20_000;
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
  readonly nodeCacheSize: number;
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
    nodeCacheSize: int(opts.nodeCacheSize, 'nodeCacheSize', 0, DEFAULT_NODE_CACHE_SIZE),
    readCacheSize: int(opts.readCacheSize, 'readCacheSize', 0, DEFAULT_READ_CACHE_SIZE),
    firstCommitBatchOps: int(opts.firstCommitBatchOps, 'firstCommitBatchOps', 1, DEFAULT_FIRST_COMMIT_BATCH_OPS),
  };
}

function copyHash(h: Uint8Array): Uint8Array {
  return new Uint8Array(h);
}

interface KeyChange {
  readonly key: Uint8Array;
  /** Version of the key's committed leaf this block replaced, if it had one. */
  readonly prev: bigint | undefined;
}

export class CommitStore {
  readonly #backend: Backend;
  readonly #settings: Settings;
  /** Inner nodes by id, as the latin1 text of their encoding (decodeNode says why). */
  readonly #cache: LruCache<string>;
  /**
   * The latest table's values (null: absent) by key string, so the keys every tx reads (its accounts,
   * balances, the auth params) skip a LevelDB read. Filled by reads, updated by each commit once its
   * batch has landed; it holds only committed values, which is all the latest table holds. Each as
   * latin1 text, as the node cache does: a string of V8's heap, not an array with a native block,
   * and never a view that keeps a larger buffer alive.
   */
  readonly #latest: LruCache<string | null>;
  #meta: Meta;
  #committedRoot: Child | null;
  #workingRoot: Child | null;
  /** Every write since the last commit: what working reads see and what commit persists. */
  readonly #pending = new Overlay();
  /** Writes not yet pushed into the working tree. */
  #dirty = new Map<string, OverlayEntry>();
  /**
   * Before the first commit there is no working tree: the pending writes are the whole state (a
   * genesis, a restored snapshot, maybe millions of keys), so workingHash() folds them from scratch
   * (tree/build.ts) and keeps only the sorted leaves and the root hash, until the next write; commit
   * writes the tree as it folds the same leaves. A node object per key would hold several GiB for a
   * 1M-account genesis.
   */
  #first: { readonly leaves: SortedLeaves; root?: Uint8Array } | undefined;
  /** Where the values written before the first commit are copied (tree/build.ts). */
  #firstValues = new Slabs();
  /** Persisted nodes the working tree no longer contains. */
  #orphans: string[] = [];
  /** Keys whose committed leaf the working tree changed (each gets a history entry at commit). */
  readonly #changes = new Map<string, KeyChange>();
  #committing: Promise<unknown> | undefined;
  #closed = false;
  #failure: unknown;
  readonly #hooks: UpdateHooks;
  readonly #working: KVStore;
  readonly #committed: KVRead;

  private constructor(backend: Backend, s: Settings, meta: Meta, root: Child | null) {
    this.#backend = backend;
    this.#settings = s;
    this.#cache = new LruCache(s.nodeCacheSize);
    this.#latest = new LruCache(s.readCacheSize);
    this.#meta = meta;
    this.#committedRoot = root;
    this.#workingRoot = root;
    const load = (stub: NodeStub): TreeNode => this.#loadNode(stub);
    this.#hooks = {
      load,
      dropped: (id) => {
        if (id !== undefined) this.#orphans.push(id);
      },
      leafChanged: (op, oldId) => {
        if (!this.#changes.has(op.id)) {
          this.#changes.set(op.id, { key: op.key, prev: oldId === undefined ? undefined : idVersion(oldId) });
        }
      },
    };
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
      let root: Child | null = null;
      if (meta.height > 0n) {
        const v = backend.getSync(versionedKey(T_VERSION, meta.height));
        if (v === undefined) throw new StoreCorruptionError(`no root recorded for the last height ${meta.height}`);
        root = decodeRoot(v);
        if (!equalBytes(root === null ? ZERO_HASH : root.hash, meta.appHash)) {
          throw new StoreCorruptionError('the recorded app hash does not match the last root');
        }
      }
      return new CommitStore(backend, s, meta, root);
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

  async workingHash(): Promise<Uint8Array> {
    this.#assertUsable();
    if (this.#meta.height === 0n) {
      const first = this.#firstLeaves();
      if (first.root === undefined) {
        const folder = new TreeFolder(first.leaves);
        for (let i = 0; i < first.leaves.count; i++) folder.add(i);
        first.root = folder.finish()?.hash ?? ZERO_HASH;
      }
      return copyHash(first.root);
    }
    this.#applyDirty();
    return copyHash(this.#workingRoot?.hash ?? ZERO_HASH);
  }

  discard(): void {
    this.#assertUsable();
    this.#assertNotCommitting();
    this.#pending.clear();
    this.#dirty = new Map();
    this.#first = undefined;
    this.#firstValues = new Slabs();
    this.#orphans = [];
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
    assertKey(key);
    this.#assertRetained(height, true);
    const root = this.#rootAt(height);
    const path = sha256(key);
    // The tree walk is synchronous and the value reads open their snapshots in the same tick,
    // so a commit or prune cannot slip in between.
    const found = lookup(root, path, (stub) => this.#loadNode(stub));
    const rootHash = copyHash(root?.hash ?? ZERO_HASH);
    if (found.kind === 'found') {
      const value = await this.#leafValue(found.at.leaf, height);
      const exist = existenceProof(found.at, value);
      return { value, proof: ics23.CommitmentProof.create({ exist }), root: rootHash };
    }
    const [left, right] = await Promise.all([
      found.left === undefined ? undefined : this.#leafValue(found.left.leaf, height),
      found.right === undefined ? undefined : this.#leafValue(found.right.leaf, height),
    ]);
    const nonexist: ics23.INonExistenceProof = { key: copyHash(path) };
    if (found.left !== undefined && left !== undefined) nonexist.left = existenceProof(found.left, left);
    if (found.right !== undefined && right !== undefined) nonexist.right = existenceProof(found.right, right);
    return { value: undefined, proof: ics23.CommitmentProof.create({ nonexist }), root: rootHash };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#committing;
    this.#closed = true;
    this.#cache.clear();
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

  #rootAt(height: bigint): Child | null {
    if (height === this.#meta.height) return this.#committedRoot;
    const v = this.#backend.getSync(versionedKey(T_VERSION, height));
    if (v === undefined) throw new VersionUnavailableError(height, 'no commit at this height');
    return decodeRoot(v);
  }

  #loadNode(stub: NodeStub): TreeNode {
    const hit = this.#cache.get(stub.id);
    if (hit !== undefined) return decodeNode(stub.id, stub.hash, hit);
    const raw = this.#backend.getSync(idKey(stub.id));
    if (raw === undefined) throw new StoreCorruptionError(`missing tree node ${idBytes(stub.id).toString('hex')}`);
    const text = toKeyString(raw);
    const node = decodeNode(stub.id, stub.hash, text);
    // Only inner nodes are cached: updates never read leaves, and a proof reads one or three.
    if (node.t === INNER) this.#cache.set(stub.id, text);
    return node;
  }

  async #leafValue(leaf: LeafNode, height: bigint): Promise<Uint8Array> {
    const value = this.#servedByLatest(height)
      ? latestGet(this.#backend, leaf.key)
      : await historyGet(this.#backend, leaf.key, height);
    if (value === undefined || !equalBytes(sha256(value), leaf.valueHash)) {
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
  #firstLeaves(): { readonly leaves: SortedLeaves; root?: Uint8Array } {
    if (this.#first === undefined) {
      const entries: KeyValue[] = [];
      for (const e of this.#pending.values()) if (e.value !== null) entries.push(e as KeyValue);
      this.#first = { leaves: new SortedLeaves(entries) };
    }
    return this.#first;
  }

  #applyDirty(): void {
    if (this.#dirty.size === 0) return;
    const ops: TreeOp[] = [];
    for (const [id, e] of this.#dirty) {
      ops.push({ id, key: e.key, path: sha256(e.key), valueHash: e.value === null ? null : sha256(e.value) });
    }
    this.#dirty = new Map();
    this.#workingRoot = applyOps(this.#workingRoot, sortOps(ops), this.#hooks);
  }

  async #commit(height: bigint): Promise<Uint8Array> {
    const previousMeta = this.#meta;
    try {
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
      let root: Child | null;
      /** The block's new inner nodes (id, encoding), for the cache once the batch has landed. */
      const fresh: [string, string][] = [];
      const orphans = this.#orphans;
      const changes: Change[] = [];
      const landed: [string, Uint8Array | null][] = [];
      if (first) {
        // The whole state: its tree written as it is folded (node ids as persistNew gives them,
        // children first), then its latest and history entries. No change record: a prune has
        // nothing to delete for a key that no earlier version held.
        const { leaves } = this.#firstLeaves();
        const history = new Slabs();
        let seq = 0;
        const folder = new TreeFolder(leaves, (node) => {
          const key = nodeKey(height, seq++);
          ops.push({ type: 'put', key, value: encodeNode(node) });
          return key.toString('latin1', 1);
        });
        for (let i = 0; i < leaves.count; i++) {
          folder.add(i);
          if (ops.length >= piece) await flush();
        }
        root = folder.finish();
        // Then the latest entries and the history entries, each table in key order: LevelDB flushes
        // tables whose key ranges do not overlap and moves them down whole. In path order (random
        // keys) every flushed table overlapped all the others and was merged again and again: a
        // 1.85M-leaf first commit waited ~60 s on compaction.
        const byKey = this.#pending.sorted();
        for (const { key, value } of byKey) {
          if (value === null) continue;
          ops.push({ type: 'put', key: tableKey(T_LATEST, key), value });
          if (ops.length >= piece) await flush();
        }
        for (const { key, value } of byKey) {
          if (value === null) continue;
          ops.push({ type: 'put', key: historyKey(key, height), value: history.copy(value, 1) }); // encodeHistoryValue's layout
          if (ops.length >= piece) await flush();
        }
      } else {
        this.#applyDirty();
        root = this.#workingRoot;
        for (const [key, node] of persistNew(root, height)) {
          const value = encodeNode(node);
          ops.push({ type: 'put', key, value });
          if (node.t === INNER) fresh.push([node.id as string, toKeyString(value)]);
        }
        if (orphans.length > 0) ops.push({ type: 'put', key: versionedKey(T_ORPHANS, height), value: idsBytes(orphans) });
        for (const [ks, c] of this.#changes) {
          const final = this.#pending.get(ks);
          if (final === undefined) throw new Error('a key changed in the tree has no pending write');
          landed.push([ks, final.value]);
          if (final.value === null) ops.push({ type: 'del', key: tableKey(T_LATEST, c.key) });
          else ops.push({ type: 'put', key: tableKey(T_LATEST, c.key), value: final.value });
          ops.push({ type: 'put', key: historyKey(c.key, height), value: encodeHistoryValue(final.value) });
          changes.push({ key: c.key, prev: c.prev, deleted: final.value === null });
        }
      }
      if (changes.length > 0) ops.push({ type: 'put', key: versionedKey(T_CHANGES, height), value: encodeChanges(changes) });
      ops.push({ type: 'put', key: versionedKey(T_VERSION, height), value: encodeRoot(root) });

      const appHash = copyHash(root?.hash ?? ZERO_HASH);
      let meta: Meta = {
        height,
        earliest: previousMeta.earliest === 0n ? height : previousMeta.earliest,
        retained: previousMeta.retained + 1n,
        appHash,
      };
      const { keepRecent, pruneInterval } = this.#settings;
      let freed: string[] = [];
      if (keepRecent > 0 && meta.retained >= BigInt(keepRecent + pruneInterval)) {
        const plan = await planPrune(this.#backend, keepRecent, { height, orphans, changes });
        if (plan !== undefined) {
          for (const op of plan.ops) ops.push(op);
          freed = plan.freed;
          meta = { ...meta, earliest: plan.earliest, retained: BigInt(keepRecent) };
          // Readers must stop using the retired versions before their data starts to disappear.
          this.#meta = { ...previousMeta, earliest: plan.earliest };
        }
      }
      ops.push({ type: 'put', key: META_KEY, value: encodeMeta(meta) });
      if (first) ops.push({ type: 'del', key: FIRST_COMMIT_KEY });

      await this.#backend.write(ops);

      // Nodes that left the tree go from the cache now, not when they age out: a block replaces the
      // nodes on each changed key's path, and kept, those old versions filled the 50,000-node cache
      // within a minute of load on any state (a 1,000-account node held ~52 MiB more) and took room
      // from the live nodes of a big one. A read at an older height loads them again.
      for (const id of orphans) this.#cache.delete(id);
      for (const id of freed) this.#cache.delete(id);
      for (const [id, text] of fresh) this.#cache.set(id, text);
      // The batch landed: the latest table now holds these values (a read that raced the write may have
      // cached the old one, and is overwritten here).
      for (const [ks, value] of landed) this.#latest.set(ks, value === null ? null : toKeyString(value));
      this.#meta = meta;
      // From now on persisted nodes reach each other only through ids, so the cache bounds memory.
      this.#committedRoot = root === null ? null : toStub(root);
      this.#workingRoot = this.#committedRoot;
      this.#first = undefined;
      this.#firstValues = new Slabs();
      this.#pending.clear();
      this.#orphans = [];
      this.#changes.clear();
      return copyHash(appHash);
    } catch (err) {
      // Node ids were assigned in memory and the batch may or may not have landed: only a reopen
      // can tell, so the store refuses further use.
      this.#failure = err;
      this.#meta = previousMeta;
      throw err;
    }
  }
}

/** Gives every in-memory node an id (version, seq), children first; returns each with its LevelDB key, in seq order. */
function persistNew(root: Child | null, height: bigint): [Buffer, TreeNode][] {
  const fresh: [Buffer, TreeNode][] = [];
  const visit = (c: Child): void => {
    if (c.t === STUB || c.id !== undefined) return;
    if (c.t === INNER) {
      visit(c.l);
      visit(c.r);
    }
    const key = nodeKey(height, fresh.length);
    c.id = key.toString('latin1', 1);
    fresh.push([key, c]);
  };
  if (root !== null) visit(root);
  return fresh;
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
  return { key: copyHash(at.leaf.path), value: new Uint8Array(value), leaf: LEAF_OP, path: at.steps };
}

export { VersionUnavailableError };
