// Pagination for registry queries, with cosmos.base.query.v1beta1 semantics (key or offset, limit,
// count_total, reverse; the total also counted when no limit is given, as in the SDK), in two forms: over a store prefix with a filter, and over an in-memory
// list sorted by a computed key (the catalog's price and reputation orders). In both, next_key is
// the key of the first item not returned, so a client pages by passing it back.
import { concat } from '../../core/framework/collections.ts';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, wantsTotal } from '../../core/framework/pagination.ts';
import { ErrInvalidRequest } from '../../core/framework/sdk-errors.ts';
import type { KVRead } from '../../core/store/types.ts';
import { compareBytes } from '../../core/store/bytes.ts';
import type { PageRequest, PageResponse } from '../../proto/gen/cairn/registry/v1/types.ts';

interface Bounds {
  readonly limit: bigint;
  readonly key: Uint8Array;
  readonly offset: bigint;
  readonly reverse: boolean;
  readonly countTotal: boolean;
}

function bounds(page: PageRequest | undefined): Bounds {
  const limit = page === undefined || page.limit === 0n ? DEFAULT_PAGE_LIMIT : page.limit;
  if (limit > MAX_PAGE_LIMIT) throw ErrInvalidRequest.wrap(`pagination limit ${limit} is above the maximum ${MAX_PAGE_LIMIT}`);
  const key = page?.key ?? new Uint8Array();
  const offset = page?.offset ?? 0n;
  if (key.length > 0 && offset > 0n) throw ErrInvalidRequest.wrap('either offset or key is expected, got both');
  return { limit, key, offset, reverse: page?.reverse ?? false, countTotal: wantsTotal(page) };
}

/** Collects kept items of an ordered sequence of (key, item) into one page. */
async function collect<T>(entries: AsyncIterable<readonly [Uint8Array, T | undefined]> | Iterable<readonly [Uint8Array, T | undefined]>, b: Bounds) {
  const items: T[] = [];
  let nextKey: Uint8Array = new Uint8Array();
  let index = 0n;
  let total = 0n;
  for await (const [key, item] of entries) {
    if (item === undefined) continue;
    total++;
    if (index++ < b.offset) continue;
    if (BigInt(items.length) === b.limit) {
      if (nextKey.length === 0) nextKey = key;
      if (!b.countTotal) break;
      continue;
    }
    items.push(item);
  }
  const pagination: PageResponse = { nextKey, total: b.countTotal ? total : 0n };
  return { items, pagination };
}

/**
 * Pages over the keys under `prefix`; `decode` returns undefined for entries the filter drops.
 * Keys in requests and next_key are relative to `prefix`.
 */
export async function paginateFiltered<T>(
  store: KVRead,
  prefix: Uint8Array,
  page: PageRequest | undefined,
  decode: (key: Uint8Array, value: Uint8Array) => Promise<T | undefined> | T | undefined,
): Promise<{ items: T[]; pagination: PageResponse }> {
  const b = bounds(page);
  const range = {
    prefix,
    reverse: b.reverse,
    ...(b.key.length > 0 ? (b.reverse ? { end: concat(prefix, b.key, Uint8Array.of(0)) } : { start: concat(prefix, b.key) }) : {}),
  };
  async function* decoded(): AsyncIterable<readonly [Uint8Array, T | undefined]> {
    for await (const [k, v] of store.iterate(range)) {
      const key = k.subarray(prefix.length);
      yield [key, await decode(key, v)];
    }
  }
  return collect(decoded(), b);
}

export interface Keyed<T> {
  readonly key: Uint8Array;
  readonly value: T;
}

/** Pages over items ordered by their (unique) sort keys. */
export async function paginateSorted<T>(items: readonly Keyed<T>[], page: PageRequest | undefined): Promise<{ items: T[]; pagination: PageResponse }> {
  const b = bounds(page);
  const sorted = [...items].sort((x, y) => compareBytes(x.key, y.key));
  if (b.reverse) sorted.reverse();
  const from = b.key.length === 0 ? sorted : sorted.filter((i) => (b.reverse ? compareBytes(i.key, b.key) <= 0 : compareBytes(i.key, b.key) >= 0));
  return collect(
    from.map((i) => [i.key, i.value] as const),
    b,
  );
}

/** A u256 amount as 32 big-endian bytes, so byte order is numeric order. */
export function amountKey(amount: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = amount;
  for (let i = 31; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
