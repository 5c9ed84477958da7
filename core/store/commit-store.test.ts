import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ClassicLevel } from './level-reads.ts';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommitStore } from './commit-store.ts';
import { LevelBackend } from './level-backend.ts';
import { CommitInProgressError, InvalidHeightError, StoreClosedError, StoreCorruptionError, VersionUnavailableError } from './errors.ts';
import { decodeMeta, encodeMeta, FIRST_COMMIT_KEY, META_KEY, splitHistoryKey, groupKey, T_CHANGES, T_HISTORY, T_LATEST, T_VERSION, tableKey } from './layout.ts';
import { collect, dec, enc, hex, keyStr, modelRange, readAll, referenceRoot, tempDir } from '../../test/support/store.ts';
import type { Model } from '../../test/support/store.ts';
import { writeBlock } from '../../test/support/store-blocks.ts';
import type { Range } from './types.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dir(): string {
  const d = tempDir();
  cleanups.push(d.remove);
  return d.path;
}

async function open(path: string, opts: { keepRecent?: number; pruneInterval?: number; provableHeights?: number; readCacheSize?: number; firstCommitBatchOps?: number } = {}): Promise<CommitStore> {
  const store = await CommitStore.open({ path, ...opts });
  cleanups.push(() => store.close());
  return store;
}

function sameModel(a: Model, b: Model): void {
  expect([...a].map(([k, v]) => [hex(Buffer.from(k, 'latin1')), hex(v)]).sort()).toEqual(
    [...b].map(([k, v]) => [hex(Buffer.from(k, 'latin1')), hex(v)]).sort(),
  );
}

/** Every table of a closed store's LevelDB, decoded far enough to check pruning exactly. */
async function inspect(path: string): Promise<{
  earliest: bigint;
  versions: bigint[];
  history: Set<string>;
  changeRecords: bigint[];
}> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  try {
    const meta = decodeMeta((await db.get(META_KEY)) as Uint8Array);
    const table = async (t: number): Promise<[Uint8Array, Uint8Array][]> => {
      const out: [Uint8Array, Uint8Array][] = [];
      for await (const [k, v] of db.iterator({ gte: Uint8Array.of(t), lt: Uint8Array.of(t + 1) })) out.push([k, v]);
      return out;
    };
    const u64At = (k: Uint8Array): bigint => Buffer.from(k).readBigUInt64BE(1);
    const versions = (await table(T_VERSION)).map(([k]) => u64At(k));
    const history = new Set(
      (await table(T_HISTORY)).map(([k]) => {
        const { group, version } = splitHistoryKey(k);
        return `${keyStr(groupKey(group))}@${version}`;
      }),
    );
    return {
      earliest: meta.earliest,
      versions,
      history,
      changeRecords: (await table(T_CHANGES)).map(([k]) => u64At(k)),
    };
  } finally {
    await db.close();
  }
}

/** Proofs at the newest `kept` retained heights (all by default) match each height's state and root. */
async function expectRetained(store: CommitStore, snapshots: Map<bigint, Model>, kept?: number): Promise<void> {
  let from = kept === undefined ? store.earliestHeight : store.lastHeight - BigInt(kept) + 1n;
  if (from < store.earliestHeight) from = store.earliestHeight;
  for (let h = from; h >= 1n && h <= store.lastHeight; h++) {
    const snap = snapshots.get(h) as Model;
    const root = referenceRoot(snap);
    for (let n = 0; n < 30; n += 3) {
      const p = await store.prove(enc(`k${n}`), h);
      expect(hex(p.root)).toBe(hex(root));
      const want = snap.get(keyStr(enc(`k${n}`)));
      expect(p.value === undefined ? undefined : hex(p.value)).toBe(want === undefined ? undefined : hex(want));
    }
  }
}

describe('commit store on LevelDB', () => {
  it('reopens at the last commit with the same height, app hash and data', async () => {
    const path = dir();
    const store = await CommitStore.open({ path });
    expect(store.lastHeight).toBe(0n);
    expect(store.lastAppHash).toEqual(new Uint8Array(32));
    expect(store.earliestHeight).toBe(0n);
    store.working.set(enc('a'), enc('1'));
    store.working.set(enc('b'), enc('2'));
    await store.commit(5n);
    store.working.delete(enc('a'));
    store.working.set(enc('c\u0000x'), enc('3'));
    const root = await store.commit(6n);
    await store.close();

    const again = await open(path);
    expect(again.lastHeight).toBe(6n);
    expect(again.lastAppHash).toEqual(root);
    expect(again.earliestHeight).toBe(5n);
    expect(await again.workingHash()).toEqual(root);
    sameModel(await readAll(again.committed), new Map([[keyStr(enc('b')), enc('2')], [keyStr(enc('c\u0000x')), enc('3')]]));
    expect(dec((await again.at(5n).get(enc('a'))) as Uint8Array)).toBe('1');
    again.working.set(enc('d'), enc('4'));
    await again.commit(7n);
    expect(referenceRoot(await readAll(again.committed))).toEqual(again.lastAppHash);
  });

  it('keeps pending writes out of the committed view until commit, and drops them on discard', async () => {
    const store = await open(dir());
    store.working.set(enc('a'), enc('1'));
    await store.commit(1n);
    store.working.set(enc('a'), enc('2'));
    store.working.set(enc('b'), enc('3'));
    expect(dec((await store.committed.get(enc('a'))) as Uint8Array)).toBe('1');
    expect(await store.committed.get(enc('b'))).toBeUndefined();
    expect(await collect(store.committed.iterate({}))).toHaveLength(1);
    expect(await collect(store.working.iterate({}))).toHaveLength(2);
    const pendingRoot = await store.workingHash();
    expect(pendingRoot).not.toEqual(store.lastAppHash);
    store.discard();
    expect(dec((await store.working.get(enc('a'))) as Uint8Array)).toBe('1');
    expect(await store.workingHash()).toEqual(store.lastAppHash);
    store.working.set(enc('a'), enc('2'));
    store.working.set(enc('b'), enc('3'));
    expect(await store.commit(2n)).toEqual(pendingRoot);
  });

  it('reads through its latest-value cache exactly what LevelDB holds, across commits, deletes and reads racing a commit', async () => {
    const path = dir();
    const store = await open(path, { readCacheSize: 2 });
    store.working.set(enc('a'), enc('1'));
    await store.commit(1n);
    // Cached, absent included; a caller changing what it got does not change the next read.
    const got = (await store.committed.get(enc('a'))) as Uint8Array;
    got[0] = 0;
    expect(dec((await store.committed.get(enc('a'))) as Uint8Array)).toBe('1');
    expect(await store.committed.get(enc('z'))).toBeUndefined();
    store.working.set(enc('a'), enc('2'));
    store.working.set(enc('z'), enc('9'));
    const committing = store.commit(2n);
    // Read while the batch is written: the old value or the new, never a stale one afterwards.
    const racing = await store.committed.get(enc('a'));
    expect(['1', '2']).toContain(dec(racing as Uint8Array));
    await committing;
    expect(dec((await store.committed.get(enc('a'))) as Uint8Array)).toBe('2');
    expect(dec((await store.committed.get(enc('z'))) as Uint8Array)).toBe('9');
    store.working.delete(enc('a'));
    for (const k of ['b', 'c', 'd']) store.working.set(enc(k), enc(k));
    await store.commit(3n);
    expect(await store.committed.get(enc('a'))).toBeUndefined();
    expect(await store.working.get(enc('a'))).toBeUndefined();
    expect(dec((await store.at(3n).get(enc('z'))) as Uint8Array)).toBe('9');
    // Evicted keys read from LevelDB again, and a reopened store agrees with every read.
    for (const k of ['b', 'c', 'd', 'z']) expect(dec((await store.committed.get(enc(k))) as Uint8Array)).toBe(k === 'z' ? '9' : k);
    await store.close();
    const reopened = await open(path);
    expect(await reopened.committed.get(enc('a'))).toBeUndefined();
    for (const k of ['b', 'c', 'd']) expect(dec((await reopened.committed.get(enc(k))) as Uint8Array)).toBe(k);
    expect(dec((await reopened.committed.get(enc('z'))) as Uint8Array)).toBe('9');
  });

  it('reads keys ahead off the main thread into its cache, and drops a read ahead that a commit overtook', async () => {
    const path = dir();
    let store = await open(path);
    for (const k of ['a', 'b', 'c']) store.working.set(enc(k), enc(`${k}1`));
    await store.commit(1n);
    await store.close();
    store = await open(path); // a cold cache, as after a restart
    const realGetMany = LevelBackend.prototype.getMany;
    const getMany = vi.spyOn(LevelBackend.prototype, 'getMany');
    const getSync = vi.spyOn(LevelBackend.prototype, 'getSync');
    try {
      await store.readAhead([enc('a'), enc('b'), enc('a'), enc('none')]);
      expect(getMany.mock.calls.map(([keys]) => keys.length)).toEqual([3]);
      // What a read returns, absent included, now without a LevelDB read on this thread.
      expect(dec((await store.working.get(enc('a'))) as Uint8Array)).toBe('a1');
      expect(dec((await store.committed.get(enc('b'))) as Uint8Array)).toBe('b1');
      expect(await store.working.get(enc('none'))).toBeUndefined();
      expect(getSync.mock.calls).toHaveLength(0);
      // Keys already cached are not read again.
      await store.readAhead([enc('a'), enc('none')]);
      expect(getMany.mock.calls).toHaveLength(1);

      // A read ahead that LevelDB answers with the values from before a commit, after the commit landed.
      let answer: () => void = () => {};
      getMany.mockImplementationOnce(function (this: LevelBackend, keys) {
        const values = realGetMany.call(this, keys);
        return new Promise((resolve) => (answer = () => resolve(values)));
      });
      const reading = store.readAhead([enc('c')]);
      await vi.waitFor(() => expect(getMany.mock.calls).toHaveLength(2));
      store.working.set(enc('c'), enc('c2'));
      await store.commit(2n);
      answer();
      await reading;
      expect(dec((await store.committed.get(enc('c'))) as Uint8Array)).toBe('c2');
      expect(dec((await store.working.get(enc('c'))) as Uint8Array)).toBe('c2');
    } finally {
      getMany.mockRestore();
      getSync.mockRestore();
    }
  });

  it('returns to the last commit after a crash that loses uncommitted writes', async () => {
    const path = dir();
    const store = await CommitStore.open({ path });
    writeBlock(store.working, 1n);
    const root = await store.commit(1n);
    writeBlock(store.working, 2n);
    await store.workingHash();
    await store.close(); // the process "dies" before Commit
    const again = await open(path);
    expect(again.lastHeight).toBe(1n);
    expect(again.lastAppHash).toEqual(root);
    writeBlock(again.working, 2n);
    await again.commit(2n);
    expect(referenceRoot(await readAll(again.committed))).toEqual(again.lastAppHash);
  });

  it('writes its first commit (a genesis) in pieces that read back as one batch would, and wipes the pieces of an interrupted one at the next open', async () => {
    const te = new TextEncoder();
    const genesis = (store: CommitStore): void => {
      for (let i = 0; i < 500; i++) store.working.set(te.encode(`acct/${i}`), te.encode(`balance ${i}`));
    };
    const reference = await CommitStore.memory();
    genesis(reference);
    const root = await reference.commit(1n);

    // Pieces of 7 ops: a first commit of ~2,000 ops in ~300 batches, its meta in the last.
    const path = dir();
    const pieces = await CommitStore.open({ path, firstCommitBatchOps: 7 });
    genesis(pieces);
    expect(hex(await pieces.commit(1n))).toBe(hex(root));
    writeBlock(pieces.working, 2n);
    writeBlock(reference.working, 2n);
    expect(hex(await pieces.commit(2n))).toBe(hex(await reference.commit(2n)));
    await pieces.close();
    const reopened = await open(path);
    expect(reopened.lastHeight).toBe(2n);
    sameModel(await readAll(reopened.committed), await readAll(reference.committed));
    sameModel(await readAll(reopened.at(1n)), await readAll(reference.at(1n)));

    // A first commit cut short: some of its pieces landed, the first with the marker, not the meta.
    // A different genesis follows.
    const cut = dir();
    const db = new ClassicLevel<Uint8Array, Uint8Array>(cut, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    const half = await CommitStore.memory();
    genesis(half);
    await half.commit(1n);
    await db.put(FIRST_COMMIT_KEY, new Uint8Array(0));
    for (const [k, v] of await readAll(half.committed)) await db.put(Uint8Array.from([T_LATEST, ...Buffer.from(k, 'latin1')]), v);
    await db.put(Uint8Array.from([T_VERSION, 0, 0, 0, 0, 0, 0, 0, 1]), new Uint8Array(32));
    await db.close();
    const resumed = await open(cut, { readCacheSize: 0 });
    expect(resumed.lastHeight).toBe(0n);
    expect(await readAll(resumed.committed)).toEqual(new Map());
    resumed.working.set(te.encode('acct/other'), te.encode('1'));
    const fresh = await CommitStore.memory();
    fresh.working.set(te.encode('acct/other'), te.encode('1'));
    expect(hex(await resumed.commit(1n))).toBe(hex(await fresh.commit(1n)));
    expect(await resumed.working.get(te.encode('acct/7'))).toBeUndefined();
    sameModel(await readAll(resumed.committed), await readAll(fresh.committed));
  });

  it('refuses to open a store that holds data but lost its meta, and leaves the data as it was', async () => {
    const te = new TextEncoder();
    const path = dir();
    const store = await CommitStore.open({ path, firstCommitBatchOps: 7 });
    for (let i = 0; i < 50; i++) store.working.set(te.encode(`acct/${i}`), te.encode(`balance ${i}`));
    await store.commit(1n);
    await store.close();
    const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    expect(await db.get(FIRST_COMMIT_KEY)).toBeUndefined();
    await db.del(META_KEY);
    const before = (await db.keys().all()).length;
    await db.close();

    await expect(CommitStore.open({ path })).rejects.toThrow(/holds data but no commit record/);
    const after = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
    await after.open();
    expect((await after.keys().all()).length).toBe(before);
    await after.close();
  });

  it('recovers the exact state of its last commit after being killed at a random instant', async () => {
    const path = dir();
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../test/support/store-crash-writer.ts', import.meta.url)), path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // Kill it mid-stream once it has committed a few versions, including pruned ones.
        if (out.includes('committed 12\n')) setTimeout(() => child.kill('SIGKILL'), 7);
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(err).toBe('');
    const store = await open(path, { keepRecent: 4, pruneInterval: 2 });
    expect(store.lastHeight).toBeGreaterThanOrEqual(12n);
    const replay = await CommitStore.memory();
    for (let h = 1n; h <= store.lastHeight; h++) {
      writeBlock(replay.working, h);
      await replay.commit(h);
    }
    expect(hex(store.lastAppHash)).toBe(hex(replay.lastAppHash));
    sameModel(await readAll(store.committed), await readAll(replay.committed));
    for (let h = store.earliestHeight; h <= store.lastHeight; h++) {
      sameModel(await readAll(store.at(h)), await readAll(replay.at(h)));
    }
    const next = store.lastHeight + 1n;
    writeBlock(store.working, next);
    writeBlock(replay.working, next);
    expect(hex(await store.commit(next))).toBe(hex(await replay.commit(next)));
  });

  it('reads get and prefix ranges at every past height as they were at that height', async () => {
    const store = await open(dir());
    const snapshots = new Map<bigint, Model>();
    const model: Model = new Map();
    for (let h = 1n; h <= 12n; h++) {
      for (let i = 0; i < 30; i++) {
        const n = (Number(h) * 13 + i * 7) % 40;
        const key = Uint8Array.of(n % 4, n, 0, n % 3);
        if (n % 5 === Number(h % 5n)) {
          store.working.delete(key);
          model.delete(keyStr(key));
        } else {
          const v = enc(`${h}:${i}`);
          store.working.set(key, v);
          model.set(keyStr(key), v);
        }
      }
      await store.commit(h);
      snapshots.set(h, new Map(model));
    }
    const ranges: Range[] = [
      {},
      { prefix: Uint8Array.of(1) },
      { prefix: Uint8Array.of(2), reverse: true },
      { prefix: Uint8Array.of(3), limit: 3 },
      { start: Uint8Array.of(1, 10), end: Uint8Array.of(2, 30), reverse: true, limit: 4 },
      { prefix: Uint8Array.of(0, 0, 0) },
    ];
    for (const [h, snap] of snapshots) {
      const view = store.at(h);
      for (const r of ranges) expect(await collect(view.iterate(r))).toEqual(modelRange(snap, r));
      for (let n = 0; n < 40; n++) {
        const key = Uint8Array.of(n % 4, n, 0, n % 3);
        const want = snap.get(keyStr(key));
        const got = await view.get(key);
        expect(got === undefined ? undefined : hex(got)).toBe(want === undefined ? undefined : hex(want));
      }
    }
  });

  it('prunes old versions exactly: retained versions stay readable and provable, no history entry is left behind', async () => {
    const path = dir();
    const keepRecent = 3;
    const opts = { path, keepRecent, pruneInterval: 2, provableHeights: keepRecent + 2 };
    let store = await CommitStore.open(opts);
    const snapshots = new Map<bigint, Model>();
    const model: Model = new Map();
    /** Versions at which each key's value changed: what history must keep. */
    const changes = new Map<string, { version: bigint; value: Uint8Array | null }[]>();
    for (let h = 1n; h <= 40n; h++) {
      for (let i = 0; i < 12; i++) {
        const n = (Number(h) * 7 + i * 5) % 30;
        const key = enc(`k${n}`);
        const ks = keyStr(key);
        // A key that reappears with a value it had before: a content-addressed tree would share the leaf.
        const value = (Number(h) + n) % 4 === 0 ? null : enc(`v${(Number(h) + i) % 3}`);
        const before = model.get(ks);
        const changed = value === null ? before !== undefined : before === undefined || hex(before) !== hex(value);
        if (value === null) {
          store.working.delete(key);
          model.delete(ks);
        } else {
          store.working.set(key, value);
          model.set(ks, value);
        }
        if (changed) changes.set(ks, [...(changes.get(ks) ?? []), { version: h, value }]);
      }
      await store.commit(h);
      snapshots.set(h, new Map(model));
      if (h % 10n === 0n) {
        await expectRetained(store, snapshots);
        await store.close();
        const t = await inspect(path);
        expect(t.versions).toEqual(Array.from({ length: t.versions.length }, (_, i) => t.earliest + BigInt(i)));
        expect(t.versions.length).toBeGreaterThanOrEqual(keepRecent);
        expect(t.versions.length).toBeLessThan(keepRecent + 2);
        expect(t.changeRecords.every((v) => v > t.earliest)).toBe(true);
        const wanted = new Set<string>();
        for (const [ks, list] of changes) {
          const older = list.filter((c) => c.version <= t.earliest);
          const base = older[older.length - 1];
          if (base !== undefined && base.value !== null) wanted.add(`${ks}@${base.version}`);
          for (const c of list) if (c.version > t.earliest) wanted.add(`${ks}@${c.version}`);
        }
        expect([...t.history].sort()).toEqual([...wanted].sort());
        store = await CommitStore.open(opts);
      }
    }
    cleanups.push(() => store.close());
    expect(store.earliestHeight).toBeGreaterThan(35n);
    for (let h = 1n; h < store.earliestHeight; h++) {
      expect(() => store.at(h)).toThrow(VersionUnavailableError);
      await expect(store.prove(enc('k1'), h)).rejects.toBeInstanceOf(VersionUnavailableError);
    }
    // Reopened, the store holds the latest tree only: older retained heights still read, but prove
    // nothing until as many blocks have passed.
    for (let h = store.earliestHeight; h < store.lastHeight; h++) {
      sameModel(await readAll(store.at(h)), snapshots.get(h) as Model);
      await expect(store.prove(enc('k1'), h)).rejects.toThrow(/proofs are served for the newest heights this node holds in memory/);
    }
    await expectRetained(store, snapshots, 1);
  });

  it('answers proofs for the newest provable heights while later blocks are built and discarded', async () => {
    const store = await open(dir(), { provableHeights: 4 });
    const snapshots = new Map<bigint, Model>();
    const model: Model = new Map();
    for (let h = 1n; h <= 12n; h++) {
      for (let i = 0; i < 20; i++) {
        const n = (Number(h) * 11 + i * 3) % 50;
        if ((n + Number(h)) % 6 === 0) {
          store.working.delete(enc(`k${n}`));
          model.delete(keyStr(enc(`k${n}`)));
        } else {
          store.working.set(enc(`k${n}`), enc(`${h}`));
          model.set(keyStr(enc(`k${n}`)), enc(`${h}`));
        }
      }
      // A block hashed and thrown away leaves the kept versions as they were.
      await store.workingHash();
      if (h % 3n === 0n) {
        store.discard();
        model.clear();
        for (const [ks, v] of snapshots.get(h - 1n) as Model) model.set(ks, v);
        store.working.set(enc('k7'), enc(`again ${h}`));
        model.set(keyStr(enc('k7')), enc(`again ${h}`));
      }
      // Proofs at the kept heights answer from their own versions while this block is pending.
      await expectRetained(store, snapshots, 4);
      await store.commit(h);
      snapshots.set(h, new Map(model));
    }
    await expectRetained(store, snapshots, 4);
    await expect(store.prove(enc('k1'), 8n)).rejects.toThrow(/now 9 to 12/);
  });

  it('keeps only the newest version when keepRecent is 1', async () => {
    const store = await open(dir(), { keepRecent: 1, pruneInterval: 1 });
    for (let h = 1n; h <= 5n; h++) {
      writeBlock(store.working, h);
      await store.commit(h);
      expect(store.earliestHeight).toBe(h);
      expect(referenceRoot(await readAll(store.at(h)))).toEqual(store.lastAppHash);
    }
    expect(() => store.at(4n)).toThrow(VersionUnavailableError);
  });

  it('updates the tree without reading LevelDB: it lives in memory, rebuilt from the latest table at open', async () => {
    const path = dir();
    let store = await CommitStore.open({ path });
    const keys = Array.from({ length: 200 }, (_, i) => enc(`key ${i}`));
    for (const k of keys) store.working.set(k, enc('0'));
    await store.commit(1n);
    // Changing every key loads the whole tree (199 inner nodes) and caches its new version.
    for (const k of keys) store.working.set(k, enc('1'));
    await store.commit(2n);
    // Blocks that each change a few keys: every one replaces the nodes on their paths.
    for (let h = 3; h <= 32; h++) {
      for (let j = 0; j < 10; j++) store.working.set(keys[(h * 37 + j * 11) % keys.length]!, enc(`v${h}`));
      await store.commit(BigInt(h));
    }
    const reads = vi.spyOn(LevelBackend.prototype, 'getSync');
    try {
      for (const k of keys) store.working.set(k, enc('2'));
      await store.commit(33n);
      expect(reads.mock.calls).toHaveLength(0);
    } finally {
      reads.mockRestore();
    }
    const hash = store.lastAppHash;
    await store.close();
    store = await open(path);
    expect(store.lastAppHash).toEqual(hash);
    store.working.set(keys[0]!, enc('3'));
    const model: Model = new Map(keys.map((k, i) => [keyStr(k), enc(i === 0 ? '3' : '2')]));
    expect(hex(await store.commit(34n))).toBe(hex(referenceRoot(model)));
  });

  it('refuses to open a latest table that does not hash to the last app hash, and a data folder of the old format', async () => {
    const path = dir();
    const store = await CommitStore.open({ path });
    for (let i = 0; i < 50; i++) store.working.set(enc(`k${i}`), enc(`v${i}`));
    await store.commit(1n);
    const meta = { height: store.lastHeight, earliest: store.earliestHeight, retained: 1n, appHash: store.lastAppHash };
    await store.close();
    const edit = async (f: (db: ClassicLevel<Uint8Array, Uint8Array>) => Promise<void>): Promise<void> => {
      const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
      await db.open();
      await f(db);
      await db.close();
    };
    const k1 = tableKey(T_LATEST, enc('k1'));
    let good: Uint8Array = new Uint8Array(0);
    await edit(async (db) => {
      good = new Uint8Array((await db.get(k1)) as Uint8Array); // a copy: the value is a Buffer, whose slice() is a view
      const bad = new Uint8Array(good);
      bad[bad.length - 1]! ^= 1;
      await db.put(k1, bad);
    });
    // open() does not wait for the tree; whatever needs it gets the refusal.
    const corrupt = await open(path);
    await expect(corrupt.treeReady).rejects.toThrow(StoreCorruptionError);
    await expect(corrupt.workingHash()).rejects.toThrow(/does not hash to the app hash of height 1/);
    await expect(corrupt.prove(enc('k1'), 1n)).rejects.toThrow(/does not hash to the app hash of height 1/);
    corrupt.working.set(enc('k1'), enc('v2'));
    await expect(corrupt.commit(2n)).rejects.toThrow(/does not hash to the app hash of height 1/);
    await corrupt.close();
    await edit(async (db) => {
      await db.put(k1, good);
      const old = encodeMeta(meta);
      old[0] = 1;
      await db.put(META_KEY, old);
    });
    await expect(CommitStore.open({ path })).rejects.toThrow(/older Cairn \(store format 1.*state-sync snapshot or replay the chain/);
    await edit(async (db) => db.put(META_KEY, encodeMeta(meta)));
    const reopened = await open(path);
    expect(await reopened.committed.get(enc('k1'))).toEqual(enc('v1'));
  });

  it('commits and prunes a block that replaces more tree nodes than a call may take arguments', async () => {
    // With a 64 kB stack a spread overflows at a few thousand arguments; 20k keys rewritten replace 40k nodes.
    const child = spawn(process.execPath, ['--stack-size=64', fileURLToPath(new URL('../../test/support/store-big-block.ts', import.meta.url)), '20000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out.trim()).toBe('ok');
    expect(code).toBe(0);
  });

  it('refuses bad heights, bad values and writes during a commit', async () => {
    const store = await open(dir());
    await expect(store.commit(0n)).rejects.toBeInstanceOf(InvalidHeightError);
    await expect(store.commit(1 as unknown as bigint)).rejects.toBeInstanceOf(TypeError);
    await store.commit(2n);
    await expect(store.commit(2n)).rejects.toBeInstanceOf(InvalidHeightError);
    await expect(store.commit(1n << 64n)).rejects.toBeInstanceOf(RangeError);
    expect(() => store.working.set(enc('k'), new Uint8Array(0))).toThrow(RangeError);
    expect(() => store.working.set(new Uint8Array(0), enc('v'))).toThrow(RangeError);
    expect(() => store.working.delete(new Uint8Array(64 * 1024 + 1))).toThrow(RangeError);
    await expect(store.committed.get(new Uint8Array(0))).rejects.toBeInstanceOf(RangeError);
    expect(() => store.at(3n)).toThrow(VersionUnavailableError);
    expect(() => store.at(1n)).toThrow(VersionUnavailableError);
    store.working.set(enc('k'), enc('v'));
    const pending = store.commit(3n);
    expect(() => store.working.set(enc('x'), enc('y'))).toThrow(CommitInProgressError);
    await expect(store.commit(4n)).rejects.toBeInstanceOf(CommitInProgressError);
    await pending;
    store.working.set(enc('x'), enc('y'));
    await store.close();
    await expect(store.committed.get(enc('k'))).rejects.toBeInstanceOf(StoreClosedError);
    await expect(CommitStore.memory({ keepRecent: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(CommitStore.memory({ pruneInterval: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('commit store history', () => {
  it('answers random range reads at random retained heights like a per-height copy of the state', async () => {
    const key = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 3, max: 2 }),
      fc.constantFrom(Uint8Array.of(0xff), Uint8Array.of(0xff, 0xff), Uint8Array.of(0), Uint8Array.of(0, 0)),
    );
    const write = fc.record({ k: key, v: fc.option(fc.uint8Array({ minLength: 1, maxLength: 2 }), { nil: null }) });
    const range = fc.record(
      {
        prefix: fc.uint8Array({ maxLength: 2, max: 2 }),
        start: fc.uint8Array({ maxLength: 2, max: 3 }),
        end: fc.uint8Array({ maxLength: 2, max: 3 }),
        reverse: fc.boolean(),
        limit: fc.nat(5),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(write, { maxLength: 12 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), range), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 2, 3),
        async (blocks, reads, keepRecent) => {
          const store = await CommitStore.memory({ keepRecent, pruneInterval: 1 });
          const model: Model = new Map();
          const snaps: Model[] = [];
          for (const [i, writes] of blocks.entries()) {
            for (const w of writes) {
              if (w.v === null) {
                store.working.delete(w.k);
                model.delete(keyStr(w.k));
              } else {
                store.working.set(w.k, w.v);
                model.set(keyStr(w.k), w.v);
              }
            }
            await store.commit(BigInt(i + 1));
            snaps.push(new Map(model));
          }
          for (const [pick, r] of reads) {
            const h = store.earliestHeight + BigInt(pick % Number(store.lastHeight - store.earliestHeight + 1n));
            const snap = snaps[Number(h) - 1] as Model;
            expect(await collect(store.at(h).iterate(r))).toEqual(modelRange(snap, r));
            if (r.start !== undefined && r.start.length > 0) {
              const got = await store.at(h).get(r.start);
              const want = snap.get(keyStr(r.start));
              expect(got === undefined ? undefined : hex(got)).toBe(want === undefined ? undefined : hex(want));
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
