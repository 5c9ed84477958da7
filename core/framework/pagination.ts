// cosmos.base.query.v1beta1 pagination over a key prefix: by key (next_key) or by offset, with an
// optional total count. The default and maximum page sizes keep one query bounded. As in the SDK, the
// total is counted when asked (count_total) and also when no limit is given, unless paging by key.
import type { PageRequest, PageResponse } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import type { KVRead } from '../store/types.ts';
import { concat } from './collections.ts';
import { ErrInvalidRequest } from './sdk-errors.ts';

export const DEFAULT_PAGE_LIMIT = 100n;
export const MAX_PAGE_LIMIT = 1000n;

export async function paginate<T>(
  store: KVRead,
  prefix: Uint8Array,
  page: PageRequest | undefined,
  decode: (key: Uint8Array, value: Uint8Array) => T,
): Promise<{ items: T[]; pagination: PageResponse }> {
  const limit = page === undefined || page.limit === 0n ? DEFAULT_PAGE_LIMIT : page.limit;
  if (limit > MAX_PAGE_LIMIT) throw ErrInvalidRequest.wrap(`pagination limit ${limit} is above the maximum ${MAX_PAGE_LIMIT}`);
  const key = page?.key ?? new Uint8Array();
  const offset = page?.offset ?? 0n;
  if (key.length > 0 && offset > 0n) throw ErrInvalidRequest.wrap('either offset or key is expected, got both');
  const reverse = page?.reverse ?? false;
  const range = {
    prefix,
    reverse,
    ...(key.length > 0 ? (reverse ? { end: concat(prefix, key, Uint8Array.of(0)) } : { start: concat(prefix, key) }) : {}),
  };
  const items: T[] = [];
  let nextKey: Uint8Array = new Uint8Array();
  let index = 0n;
  let total = 0n;
  const countTotal = wantsTotal(page);
  for await (const [k, v] of store.iterate(range)) {
    if (index++ < offset) {
      total++;
      continue;
    }
    if (BigInt(items.length) === limit) {
      if (nextKey.length === 0) nextKey = k.subarray(prefix.length);
      if (!countTotal) break;
      total++;
      continue;
    }
    items.push(decode(k.subarray(prefix.length), v));
    total++;
  }
  return { items, pagination: { nextKey, total: countTotal ? total : 0n } };
}

/** The SDK's rule: count the total on the first (offset-based) page when asked or when no limit is given. */
export function wantsTotal(page: PageRequest | undefined): boolean {
  if (page === undefined) return true;
  return page.key.length === 0 && (page.countTotal || page.limit === 0n);
}
