// Planning the deletions that retire old versions, run inside the commit's batch.
//
// Exactness rests on the record every commit v writes of the keys it changed ('C' v), each with the
// version of the history entry it superseded. Once the earliest retained version E >= v, reads at
// any retained height see v's entry (or a newer one), so the superseded entry can go, and so can
// v's own entry if it is a delete. A record is deleted when it is processed, so every plan handles
// exactly the records <= E that are still present. (The tree has no records: it lives in memory.)

import type { Backend, BatchOp } from './backend.ts';
import { readU64 } from './bytes.ts';
import { decodeChanges, historyKey, T_CHANGES, T_VERSION, versionedKey } from './layout.ts';
import type { Change } from './layout.ts';

export interface PrunePlan {
  /** The new earliest retained version. */
  readonly earliest: bigint;
  readonly ops: BatchOp[];
}

export interface PendingVersion {
  readonly height: bigint;
  /** Changes of the version being committed (not yet in the database). */
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
  for (const [k] of await collect(backend, versionedKey(T_VERSION, 0n), upTo, false, Infinity)) ops.push({ type: 'del', key: k });

  const retireChanges = (version: bigint, changes: readonly Change[]): void => {
    for (const c of changes) {
      if (c.prev !== undefined) ops.push({ type: 'del', key: historyKey(c.key, c.prev) });
      if (c.deleted) ops.push({ type: 'del', key: historyKey(c.key, version) });
    }
  };

  for (const [k, v] of await collect(backend, versionedKey(T_CHANGES, 0n), versionedKey(T_CHANGES, earliest + 1n), false, Infinity)) {
    ops.push({ type: 'del', key: k });
    retireChanges(readU64(k, 1), decodeChanges(v));
  }
  if (earliest === pending.height) {
    // Keeping only the new version: its own record is processed now (the batch writes it first, so
    // this delete wins).
    ops.push({ type: 'del', key: versionedKey(T_CHANGES, pending.height) });
    retireChanges(pending.height, pending.changes);
  }
  return { earliest, ops };
}
