// Planning the deletions that retire old versions, run inside the commit's batch.
//
// Exactness rests on two records written by every commit v:
//   'O' v: the persisted nodes v removed from the tree. They were reachable only in versions < v,
//          so they can go once the earliest retained version E >= v.
//   'C' v: each key v changed, with the version of the history entry it superseded. Once E >= v,
//          reads at any retained height see v's entry (or a newer one), so the superseded entry
//          can go, and so can v's own entry if it is a delete.
// A record is deleted when it is processed, so every plan handles exactly the records <= E
// that are still present.

import type { Backend, BatchOp } from './backend.ts';
import { readU64 } from './bytes.ts';
import { decodeChanges, historyKey, T_CHANGES, T_ORPHANS, T_VERSION, versionedKey } from './layout.ts';
import type { Change } from './layout.ts';
import { ID_BYTES, idKey } from './tree/node.ts';

export interface PrunePlan {
  /** The new earliest retained version. */
  readonly earliest: bigint;
  readonly ops: BatchOp[];
  /** Ids of the tree nodes deleted (to drop from the cache). */
  readonly freed: string[];
}

export interface PendingVersion {
  readonly height: bigint;
  /** Orphans and changes of the version being committed (not yet in the database). */
  readonly orphans: readonly string[];
  readonly changes: readonly Change[];
}

async function collect(backend: Backend, gte: Uint8Array, lt: Uint8Array, reverse: boolean, limit: number): Promise<[Uint8Array, Uint8Array][]> {
  const cur = backend.cursor({ gte, lt, reverse });
  const out: [Uint8Array, Uint8Array][] = [];
  try {
    while (out.length < limit) {
      const e = await cur.next();
      if (e === undefined) break;
      out.push([e[0], e[1]]);
    }
  } finally {
    await cur.close();
  }
  return out;
}

/** Plans keeping the newest `keepRecent` versions, counting `pending` as the newest. */
export async function planPrune(backend: Backend, keepRecent: number, pending: PendingVersion): Promise<PrunePlan | undefined> {
  const olderKept = keepRecent - 1;
  let earliest = pending.height;
  if (olderKept > 0) {
    const newest = await collect(backend, versionedKey(T_VERSION, 0n), versionedKey(T_VERSION, pending.height), true, olderKept);
    if (newest.length < olderKept) return undefined;
    earliest = readU64((newest[newest.length - 1] as [Uint8Array, Uint8Array])[0], 1);
  }
  const upTo = versionedKey(T_VERSION, earliest);
  const ops: BatchOp[] = [];
  const freed: string[] = [];
  for (const [k] of await collect(backend, versionedKey(T_VERSION, 0n), upTo, false, Infinity)) ops.push({ type: 'del', key: k });

  const freeNodes = (ids: Iterable<string>): void => {
    for (const id of ids) {
      freed.push(id);
      ops.push({ type: 'del', key: idKey(id) });
    }
  };
  const retireChanges = (version: bigint, changes: readonly Change[]): void => {
    for (const c of changes) {
      if (c.prev !== undefined) ops.push({ type: 'del', key: historyKey(c.key, c.prev) });
      if (c.deleted) ops.push({ type: 'del', key: historyKey(c.key, version) });
    }
  };

  const through = versionedKey(T_ORPHANS, earliest + 1n);
  for (const [k, v] of await collect(backend, versionedKey(T_ORPHANS, 0n), through, false, Infinity)) {
    ops.push({ type: 'del', key: k });
    const ids: string[] = [];
    for (let o = 0; o + ID_BYTES <= v.length; o += ID_BYTES) ids.push(Buffer.from(v.buffer, v.byteOffset + o, ID_BYTES).toString('latin1'));
    freeNodes(ids);
  }
  for (const [k, v] of await collect(backend, versionedKey(T_CHANGES, 0n), versionedKey(T_CHANGES, earliest + 1n), false, Infinity)) {
    ops.push({ type: 'del', key: k });
    retireChanges(readU64(k, 1), decodeChanges(v));
  }
  if (earliest === pending.height) {
    // Keeping only the new version: its own records are processed now (the batch writes them
    // first, so these deletes win).
    ops.push({ type: 'del', key: versionedKey(T_ORPHANS, pending.height) });
    ops.push({ type: 'del', key: versionedKey(T_CHANGES, pending.height) });
    freeNodes(pending.orphans);
    retireChanges(pending.height, pending.changes);
  }
  return { earliest, ops, freed };
}
