// Reading the flat tables: the latest table for current state, the MVCC history table for any
// retained height. Every function opens its cursor before its first await, so it reads one
// consistent snapshot even if a commit lands while it runs.

import type { Backend } from './backend.ts';
import { equalBytes, concatBytes, U64_MAX, u64 } from './bytes.ts';
import {
  decodeHistoryValue,
  groupKey,
  historyBound,
  historyGroupEnd,
  historyKey,
  latestValue,
  splitHistoryKey,
  T_HISTORY,
  T_LATEST,
  tableEnd,
  tableKey,
} from './layout.ts';
import type { Entry } from './types.ts';
import type { Bounds } from './validate.ts';

export function latestGet(backend: Backend, key: Uint8Array): Uint8Array | undefined {
  const v = backend.getSync(tableKey(T_LATEST, key));
  return v === undefined ? undefined : latestValue(v);
}

export async function* latestEntries(backend: Backend, bounds: Bounds): AsyncGenerator<Entry, void, undefined> {
  const cur = backend.cursor({
    gte: bounds.lo === undefined ? tableKey(T_LATEST, new Uint8Array(0)) : tableKey(T_LATEST, bounds.lo),
    lt: bounds.hi === undefined ? tableEnd(T_LATEST) : tableKey(T_LATEST, bounds.hi),
    reverse: bounds.reverse,
  });
  try {
    let count = 0;
    while (count < bounds.limit) {
      const e = await cur.next();
      if (e === undefined) return;
      count++;
      yield [e[0].subarray(1), latestValue(e[1])];
    }
  } finally {
    await cur.close();
  }
}

/** The value of `key` at `height`: one seek to the newest entry at or below it. */
export async function historyGet(backend: Backend, key: Uint8Array, height: bigint): Promise<Uint8Array | undefined> {
  const cur = backend.cursor({ gte: historyKey(key, height), lt: historyGroupEnd(key), limit: 1 });
  try {
    const e = await cur.next();
    return e === undefined ? undefined : decodeHistoryValue(e[1]);
  } finally {
    await cur.close();
  }
}

/** How many entries of one key a scan reads past before it seeks instead. */
const SCAN_BEFORE_SEEK = 4;

function groupEnd(group: Uint8Array): Uint8Array {
  const g = group.slice();
  g[g.length - 1] = 0x01;
  return g;
}

function historyBounds(bounds: Bounds): { gte: Uint8Array; lt: Uint8Array } {
  return {
    gte: bounds.lo === undefined ? Uint8Array.of(T_HISTORY) : historyBound(bounds.lo),
    lt: bounds.hi === undefined ? tableEnd(T_HISTORY) : historyBound(bounds.hi),
  };
}

/** The entries live at `height` within the bounds, in key order (or reverse). */
export function historyEntries(backend: Backend, bounds: Bounds, height: bigint): AsyncGenerator<Entry, void, undefined> {
  return bounds.reverse ? historyBackward(backend, bounds, height) : historyForward(backend, bounds, height);
}

async function* historyForward(backend: Backend, bounds: Bounds, height: bigint): AsyncGenerator<Entry, void, undefined> {
  // Per key, entries run newest first. Skip those above `height`, take the first at or below it,
  // skip the rest; after a few skipped entries of one key a seek is cheaper than reading on.
  const cur = backend.cursor(historyBounds(bounds));
  const inverted = u64(U64_MAX - height);
  let current: Uint8Array | undefined;
  let resolved = false;
  let skipped = 0;
  let count = 0;
  try {
    while (count < bounds.limit) {
      const e = await cur.next();
      if (e === undefined) return;
      const { group, version } = splitHistoryKey(e[0]);
      if (current === undefined || !equalBytes(group, current)) {
        current = group;
        resolved = false;
        skipped = 0;
      }
      if (resolved) {
        if (++skipped > SCAN_BEFORE_SEEK) cur.seek(groupEnd(group));
        continue;
      }
      if (version > height) {
        if (++skipped > SCAN_BEFORE_SEEK) cur.seek(concatBytes(group, inverted));
        continue;
      }
      resolved = true;
      skipped = 0;
      const value = decodeHistoryValue(e[1]);
      if (value !== undefined) {
        count++;
        yield [groupKey(group), value];
      }
    }
  } finally {
    await cur.close();
  }
}

async function* historyBackward(backend: Backend, bounds: Bounds, height: bigint): AsyncGenerator<Entry, void, undefined> {
  // Backwards, a key's entries run oldest first: remember the last one at or below `height`, and
  // once past `height` jump to the previous key.
  const cur = backend.cursor({ ...historyBounds(bounds), reverse: true });
  let current: Uint8Array | undefined;
  let best: Uint8Array | undefined;
  let count = 0;
  try {
    for (;;) {
      const e = await cur.next();
      const split = e === undefined ? undefined : splitHistoryKey(e[0]);
      if (current !== undefined && (split === undefined || !equalBytes(split.group, current))) {
        const value = best === undefined ? undefined : decodeHistoryValue(best);
        if (value !== undefined) {
          count++;
          yield [groupKey(current), value];
          if (count >= bounds.limit) return;
        }
        current = undefined;
      }
      if (e === undefined || split === undefined) return;
      if (current === undefined) {
        current = split.group;
        best = undefined;
      }
      if (split.version <= height) best = e[1];
      else cur.seek(current);
    }
  } finally {
    await cur.close();
  }
}
