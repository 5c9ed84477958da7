// Batches received or published, kept in their own LevelDB (e.g. <home>/data/p2p.db), outside
// consensus state: nothing here affects the app hash. Indexed by root; pruned `retentionMs` after
// they were stored (or after finalization, when the node tells us with `markFinalized`).
//
// Layout: "b" ‖ root → encoded Envelope; "t" ‖ u64 expiry ms ‖ root → 01 (the pruning queue);
// "e" ‖ root → u64 expiry ms (to move an entry in the queue).
import { ClassicLevel } from '../../core/store/level-reads.ts';

export interface BatchStoreOptions {
  /** How long a batch is kept after it was stored or finalized. Default 7 days. */
  readonly retentionMs?: number;
  /** How often expired batches are pruned. Default 10 minutes. */
  readonly pruneEveryMs?: number;
  readonly now?: () => number;
}

const B = 0x62;
const T = 0x74;
const E = 0x65;

function key(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 1);
  const out = new Uint8Array(len);
  out[0] = prefix;
  let o = 1;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, Math.floor(n))));
  return out;
}

export class BatchStore {
  readonly #db: ClassicLevel<Uint8Array, Uint8Array>;
  readonly #retentionMs: number;
  readonly #pruneEveryMs: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #size = 0;

  constructor(path: string, opts: BatchStoreOptions = {}) {
    this.#db = new ClassicLevel<Uint8Array, Uint8Array>(path, {
      keyEncoding: 'view',
      valueEncoding: 'view',
      // Each open table holds its index in memory (and, where LevelDB still maps tables, the pages
      // read: core/store/level-reads.ts): a week of batches is thousands of tables, and a 30-minute
      // gossip run's RSS grew with them. Batches are written once and read rarely (a fetch by root, a
      // prune), so a small table cache costs an occasional table open and bounds what stays open.
      maxOpenFiles: 64,
      // A 10k-receipt batch is a ~4 MiB value: with LevelDB's 4 MiB default every put filled the
      // memtable and forced a flush and compaction, the hosts' largest cost beside the hop itself.
      writeBufferSize: 16 * 2 ** 20,
    });
    this.#retentionMs = opts.retentionMs ?? 7 * 24 * 3600 * 1000;
    this.#pruneEveryMs = opts.pruneEveryMs ?? 10 * 60 * 1000;
    this.#now = opts.now ?? Date.now;
  }

  async start(): Promise<void> {
    await this.#db.open();
    // Counted once here (the "b" keys), then kept up to date by put and prune.
    let n = 0;
    for await (const _ of this.#db.keys({ gte: Uint8Array.of(B), lt: Uint8Array.of(B + 1) })) n++;
    this.#size = n;
    this.#timer = setInterval(() => void this.prune().catch(() => undefined), this.#pruneEveryMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#db.close();
  }

  /** How many batches are stored. */
  get size(): number {
    return this.#size;
  }

  /** Stores an encoded envelope under its root; a root already stored keeps its first copy. */
  async put(root: Uint8Array, envelope: Uint8Array): Promise<boolean> {
    if ((await this.#db.get(key(B, root))) !== undefined) return false;
    const expiry = u64(this.#now() + this.#retentionMs);
    // The envelope (up to 8 MiB) goes in a put of its own: classic-level builds a batch's LevelDB
    // WriteBatch on the calling thread, which for a 4 MiB envelope held the node's thread for
    // 0.25-0.5 s on a loaded machine, while a put copies it once there and writes on libuv's pool.
    // The pruning entries go first: a crash between the two writes leaves entries that prune
    // clears, never an envelope that nothing would prune.
    await this.#db.batch([
      { type: 'put', key: key(T, expiry, root), value: Uint8Array.of(1) },
      { type: 'put', key: key(E, root), value: expiry },
    ]);
    await this.#db.put(key(B, root), envelope);
    this.#size++;
    return true;
  }

  async get(root: Uint8Array): Promise<Uint8Array | undefined> {
    return this.#db.get(key(B, root));
  }

  async has(root: Uint8Array): Promise<boolean> {
    return (await this.get(root)) !== undefined;
  }

  /** Restarts the retention period from now: call when the batch finalizes on chain. */
  async markFinalized(root: Uint8Array): Promise<void> {
    const old = await this.#db.get(key(E, root));
    if (old === undefined) return;
    const expiry = u64(this.#now() + this.#retentionMs);
    await this.#db.batch([
      { type: 'del', key: key(T, old, root) },
      { type: 'put', key: key(T, expiry, root), value: Uint8Array.of(1) },
      { type: 'put', key: key(E, root), value: expiry },
    ]);
  }

  /** Deletes every batch whose retention has run out; returns how many. */
  async prune(): Promise<number> {
    const until = key(T, u64(this.#now() + 1));
    const ops: { type: 'del'; key: Uint8Array }[] = [];
    for await (const k of this.#db.keys({ gte: Uint8Array.of(T), lt: until })) {
      const root = k.subarray(9);
      ops.push({ type: 'del', key: k }, { type: 'del', key: key(B, root) }, { type: 'del', key: key(E, root) });
    }
    if (ops.length > 0) await this.#db.batch(ops);
    this.#size = Math.max(0, this.#size - ops.length / 3);
    return ops.length / 3;
  }
}
