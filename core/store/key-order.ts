// Sorted arrays of key strings (latin1, so string order is byte order): the overlay's runs and the
// memory backend's index.

/** a[i..iEnd) and b[j..jEnd), both sorted and disjoint, merged (an end before its start is an empty slice). */
export function mergeSorted(a: readonly string[], i: number, iEnd: number, b: readonly string[], j: number, jEnd: number): string[] {
  const out = new Array<string>(Math.max(0, iEnd - i) + Math.max(0, jEnd - j));
  let k = 0;
  while (i < iEnd && j < jEnd) out[k++] = (a[i] as string) < (b[j] as string) ? (a[i++] as string) : (b[j++] as string);
  while (i < iEnd) out[k++] = a[i++] as string;
  while (j < jEnd) out[k++] = b[j++] as string;
  return out;
}

/** First index whose key is >= target. */
export function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
