// State sync, the app's side: snapshots taken every `interval` blocks into <home>/data/snapshots and
// served to CometBFT's snapshot connection, and the restore of one on a new node (format.ts says
// what a snapshot is and what a restoring node checks).
//
// On disk, one directory per height: `chunk-<i>` files and `snapshot.json` (height, format, chunk
// count, hash, metadata). It is written under `<height>.tmp` and renamed when complete, so a crash
// never leaves a half snapshot that looks whole; leftovers are removed at start.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { equalBytes } from '../../core/store/bytes.ts';
import type { Entry, KVStore } from '../../core/store/types.ts';
import type { Logger } from '../log.ts';
import { CHUNK_TARGET, SNAPSHOT_FORMAT, type SnapshotInfo, SnapshotFormatError, chunkHash, chunkHashes, decodeChunk, encodeChunks, snapshotHash } from './format.ts';

export { SNAPSHOT_FORMAT, SnapshotFormatError, type SnapshotInfo } from './format.ts';

export interface SnapshotOptions {
  /** <home>/data/snapshots */
  readonly dir: string;
  /** Take a snapshot at every height divisible by this; 0: never (the node can still restore one). */
  readonly interval: number;
  /** Snapshots kept; older ones are deleted once a newer one is complete. */
  readonly keepRecent: number;
  readonly logger: Logger;
  /** Chunk size (tests make it small to have many chunks). */
  readonly chunkTarget?: number;
}

export function snapshotsDir(home: string): string {
  return join(home, 'data', 'snapshots');
}

export class Snapshots {
  readonly #opts: SnapshotOptions;
  /** Complete snapshots, newest first. */
  #list: SnapshotInfo[] = [];
  #running: Promise<void> | undefined;
  #stopping = false;

  constructor(opts: SnapshotOptions) {
    if (!Number.isSafeInteger(opts.interval) || opts.interval < 0) throw new RangeError('snapshot interval must be an integer >= 0');
    if (!Number.isSafeInteger(opts.keepRecent) || opts.keepRecent < 1) throw new RangeError('snapshot keep-recent must be an integer >= 1');
    this.#opts = opts;
  }

  /** Reads the complete snapshots on disk and removes what a crash left half written. */
  async open(): Promise<void> {
    await mkdir(this.#opts.dir, { recursive: true });
    const found: SnapshotInfo[] = [];
    for (const name of await readdir(this.#opts.dir)) {
      const path = join(this.#opts.dir, name);
      if (!/^\d+$/.test(name)) {
        await rm(path, { recursive: true, force: true });
        continue;
      }
      try {
        found.push(parseInfo(JSON.parse(await readFile(join(path, 'snapshot.json'), 'utf8'))));
      } catch (err) {
        this.#opts.logger.warn('removing an unreadable snapshot', { dir: path, error: String(err) });
        await rm(path, { recursive: true, force: true });
      }
    }
    this.#list = found.sort((a, b) => (a.height > b.height ? -1 : 1));
  }

  list(): readonly SnapshotInfo[] {
    return this.#list;
  }

  /** A chunk of a snapshot this node has; empty if it has no such snapshot or chunk (CometBFT asks another peer). */
  async loadChunk(height: bigint, format: number, index: number): Promise<Uint8Array> {
    const s = this.#list.find((x) => x.height === height && x.format === format);
    if (s === undefined || !Number.isInteger(index) || index < 0 || index >= s.chunks) return new Uint8Array();
    return new Uint8Array(await readFile(join(this.#opts.dir, String(height), `chunk-${index}`)).catch(() => Buffer.alloc(0)));
  }

  /**
   * After the commit of `height`: when a snapshot is due, starts writing one in the background.
   * `openEntries` must open its read of the committed state before it returns (a store cursor reads
   * one LevelDB snapshot from when it opens), so later blocks do not leak in.
   */
  afterCommit(height: bigint, openEntries: () => AsyncIterator<Entry>): void {
    const { interval } = this.#opts;
    if (interval === 0 || height % BigInt(interval) !== 0n || this.#stopping) return;
    if (this.#running !== undefined) {
      this.#opts.logger.warn('snapshot skipped: the previous one is still being written', { height: String(height) });
      return;
    }
    const entries = openEntries();
    const started = Date.now();
    this.#running = this.#write(height, entries)
      .then((info) => {
        if (info !== undefined) this.#opts.logger.info('snapshot taken', { height: String(height), chunks: info.chunks, ms: Date.now() - started });
      })
      .catch((err: unknown) => this.#opts.logger.error('snapshot failed', { height: String(height), error: String(err) }))
      .finally(() => (this.#running = undefined));
  }

  /** Resolves once no snapshot is being written. */
  async idle(): Promise<void> {
    await this.#running;
  }

  /** Stops a snapshot being written at its next chunk (it is discarded) and waits for that. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#running;
  }

  async #write(height: bigint, entries: AsyncIterator<Entry>): Promise<SnapshotInfo | undefined> {
    const final = join(this.#opts.dir, String(height));
    const tmp = `${final}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const hashes: Uint8Array[] = [];
    try {
      for await (const chunk of encodeChunks({ [Symbol.asyncIterator]: () => entries }, this.#opts.chunkTarget ?? CHUNK_TARGET)) {
        if (this.#stopping) throw new SnapshotAborted();
        await writeFile(join(tmp, `chunk-${hashes.length}`), chunk);
        hashes.push(chunkHash(chunk));
      }
    } catch (err) {
      await entries.return?.();
      await rm(tmp, { recursive: true, force: true });
      if (err instanceof SnapshotAborted) return undefined;
      throw err;
    }
    const metadata = new Uint8Array(Buffer.concat(hashes));
    const info: SnapshotInfo = { height, format: SNAPSHOT_FORMAT, chunks: hashes.length, hash: snapshotHash(metadata), metadata };
    await writeFile(join(tmp, 'snapshot.json'), `${JSON.stringify(renderInfo(info))}\n`);
    await rm(final, { recursive: true, force: true });
    await rename(tmp, final);
    this.#list = [info, ...this.#list.filter((s) => s.height !== height)].sort((a, b) => (a.height > b.height ? -1 : 1));
    for (const old of this.#list.slice(this.#opts.keepRecent)) await rm(join(this.#opts.dir, String(old.height)), { recursive: true, force: true });
    this.#list = this.#list.slice(0, this.#opts.keepRecent);
    return info;
  }
}

class SnapshotAborted extends Error {}

/**
 * Starts iterating now: an async generator's body (which opens the store cursor) runs only at its
 * first next(), so that call is made here and its result handed out first.
 */
export function openNow(entries: AsyncIterable<Entry>): AsyncIterator<Entry> {
  const it = entries[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<Entry>> | undefined = it.next();
  first.catch(() => {}); // observed by whoever calls next(); not an unhandled rejection if nobody does
  return {
    next: () => {
      const r = first ?? it.next();
      first = undefined;
      return r;
    },
    return: async () => (await it.return?.()) ?? { done: true, value: undefined },
  };
}

/** What applying one chunk came to. */
export type ChunkOutcome =
  /** The chunk is not the one the snapshot lists: fetch it again, from another peer. */
  | 'bad-chunk'
  /** Written; more chunks to come. */
  | 'more'
  /** Written; that was the last chunk: check the root. */
  | 'last';

/** A snapshot being restored into an empty store, chunk by chunk, in order. */
export class Restore {
  readonly height: bigint;
  readonly appHash: Uint8Array;
  readonly #hashes: Uint8Array[];
  #next = 0;
  #lastKey: Uint8Array | undefined;

  /** Throws SnapshotFormatError when the snapshot's metadata does not hold together. */
  constructor(info: SnapshotInfo, appHash: Uint8Array) {
    if (info.format !== SNAPSHOT_FORMAT) throw new SnapshotFormatError(`snapshot format ${info.format} is not ${SNAPSHOT_FORMAT}`);
    if (info.height < 1n) throw new SnapshotFormatError('snapshot height must be positive');
    if (appHash.length !== 32) throw new SnapshotFormatError(`trusted app hash is ${appHash.length} bytes, not 32`);
    this.#hashes = chunkHashes(info);
    this.height = info.height;
    this.appHash = appHash;
  }

  get nextIndex(): number {
    return this.#next;
  }

  /**
   * Checks chunk `index` against the snapshot's list and writes its pairs into `store`. A chunk
   * that matches its listed hash but does not decode means the snapshot itself is false: that
   * throws SnapshotFormatError.
   */
  apply(index: number, chunk: Uint8Array, store: KVStore): ChunkOutcome {
    if (index !== this.#next) throw new SnapshotFormatError(`chunk ${index} offered where chunk ${this.#next} is due`);
    if (!equalBytes(chunkHash(chunk), this.#hashes[index]!)) return 'bad-chunk';
    const entries = decodeChunk(chunk, this.#lastKey);
    for (const [key, value] of entries) store.set(key, value);
    if (entries.length > 0) this.#lastKey = entries.at(-1)![0];
    this.#next++;
    return this.#next === this.#hashes.length ? 'last' : 'more';
  }
}

function renderInfo(s: SnapshotInfo): Record<string, unknown> {
  return { height: String(s.height), format: s.format, chunks: s.chunks, hash: Buffer.from(s.hash).toString('hex'), metadata: Buffer.from(s.metadata).toString('hex') };
}

function parseInfo(raw: unknown): SnapshotInfo {
  const r = raw as { height?: unknown; format?: unknown; chunks?: unknown; hash?: unknown; metadata?: unknown };
  if (typeof r.height !== 'string' || !/^\d+$/.test(r.height) || typeof r.format !== 'number' || typeof r.chunks !== 'number' || typeof r.hash !== 'string' || typeof r.metadata !== 'string') {
    throw new SnapshotFormatError('snapshot.json lacks height, format, chunks, hash or metadata');
  }
  const info: SnapshotInfo = { height: BigInt(r.height), format: r.format, chunks: r.chunks, hash: new Uint8Array(Buffer.from(r.hash, 'hex')), metadata: new Uint8Array(Buffer.from(r.metadata, 'hex')) };
  chunkHashes(info);
  return info;
}
