// Merging an overlay's entries over a parent's ordered stream: the overlay wins on equal keys and
// its deletes hide the parent's entry. Shared by branches and the commit store's working state.

import { compareBytes } from './bytes.ts';
import type { OverlayEntry } from './overlay.ts';
import type { Entry, Range } from './types.ts';
import type { Bounds } from './validate.ts';

/** The Range a parent is asked for: the same interval, no limit (overlay deletes may hide parent entries). */
export function parentRange(bounds: Bounds): Range {
  return {
    ...(bounds.lo !== undefined ? { start: bounds.lo } : {}),
    ...(bounds.hi !== undefined ? { end: bounds.hi } : {}),
    reverse: bounds.reverse,
  };
}

export async function* mergeEntries(
  local: readonly OverlayEntry[],
  parent: AsyncIterable<Entry>,
  bounds: Bounds,
): AsyncGenerator<Entry, void, undefined> {
  const limit = bounds.limit;
  const sign = bounds.reverse ? -1 : 1;
  let count = 0;
  let i = 0;
  const it = parent[Symbol.asyncIterator]();
  let head: IteratorResult<Entry> | undefined;
  try {
    while (count < limit) {
      // Pull the parent lazily so that reaching the limit never costs an extra read.
      if (head === undefined) head = await it.next();
      const l = local[i];
      if (head.done === true) {
        if (l === undefined) return;
        i++;
        if (l.value !== null) {
          count++;
          yield [l.key, l.value];
        }
        continue;
      }
      const p = head.value;
      const c = l === undefined ? 1 : sign * compareBytes(l.key, p[0]);
      if (c > 0) {
        head = undefined;
        count++;
        yield p;
        continue;
      }
      i++;
      if (c === 0) head = undefined;
      if ((l as OverlayEntry).value !== null) {
        count++;
        yield [(l as OverlayEntry).key, (l as OverlayEntry).value as Uint8Array];
      }
    }
  } finally {
    await it.return?.();
  }
}
