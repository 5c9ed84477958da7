// The LevelDB Backend (classic-level). Commit batches are written with sync so that a block the
// node acknowledged survives a power loss, not only a process crash.

import { asView, compareBytes } from './bytes.ts';
import type { Backend, BatchOp, Cursor, CursorRange } from './backend.ts';
import { ClassicLevel } from './level-reads.ts';

type Db = ClassicLevel<Uint8Array, Uint8Array>;

export class LevelBackend implements Backend {
  readonly #db: Db;

  private constructor(db: Db) {
    this.#db = db;
  }

  static async open(path: string): Promise<LevelBackend> {
    const db: Db = new ClassicLevel<Uint8Array, Uint8Array>(path, {
      keyEncoding: 'view',
      valueEncoding: 'view',
      // Both are native memory outside the V8 heap that fills at the chain's write rate. A validator
      // under light load (a chaos run's) appended ~0.2 MiB a minute to its write-ahead log, so a
      // 32 MiB memtable kept filling for over an hour and read as steady RSS growth in the soak.
      // LevelDB's own 4 MiB default cycles within minutes; a 10k-write block (~6 MiB) still goes in
      // as one batch. The store's latest-value cache sits in front of the block cache, which holds the
      // table blocks reads bring in (level-reads.ts: tables are read with pread, not mapped).
      writeBufferSize: 4 * 2 ** 20,
      cacheSize: 8 * 2 ** 20,
    });
    await db.open();
    return new LevelBackend(db);
  }

  getSync(key: Uint8Array): Uint8Array | undefined {
    return this.#db.getSync(key);
  }

  getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    return this.#db.getMany(keys as Uint8Array[]);
  }

  cursor(range: CursorRange): Cursor {
    const it = this.#db.iterator({
      ...(range.gte !== undefined ? { gte: range.gte } : {}),
      ...(range.lt !== undefined ? { lt: range.lt } : {}),
      reverse: range.reverse ?? false,
      ...(range.limit !== undefined ? { limit: range.limit } : {}),
    });
    // classic-level 3.0.0 aborts the process (LevelDB `assert(valid_)` in DBIter::Next/Prev) when a
    // seek lands outside the iterator's range while the snapshot holds no key at all. A target
    // outside the range ends the cursor anyway, so that case never reaches the native seek.
    let ended = false;
    return {
      async next() {
        if (ended) return undefined;
        const e = await it.next();
        return e === undefined ? undefined : ([asView(e[0]), asView(e[1])] as const);
      },
      seek(target: Uint8Array) {
        ended = (range.gte !== undefined && compareBytes(target, range.gte) < 0) || (range.lt !== undefined && compareBytes(target, range.lt) >= 0);
        if (!ended) it.seek(target);
      },
      close() {
        return it.close();
      },
    };
  }

  write(ops: readonly BatchOp[]): Promise<void> {
    return this.#db.batch(ops as BatchOp[], { sync: true });
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
