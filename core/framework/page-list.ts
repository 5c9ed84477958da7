// Pagination over a list a query has already assembled (filtered validators, joined records), with
// the cosmos PageRequest semantics: offset or an opaque next_key (here: the next index), a limit, and
// an optional total.
import type { PageRequest, PageResponse } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, wantsTotal } from './pagination.ts';
import { ErrInvalidRequest } from './sdk-errors.ts';

export function pageList<T>(items: readonly T[], page: PageRequest | undefined): { items: T[]; pagination: PageResponse } {
  const limit = page === undefined || page.limit === 0n ? DEFAULT_PAGE_LIMIT : page.limit;
  if (limit > MAX_PAGE_LIMIT) throw ErrInvalidRequest.wrap(`pagination limit ${limit} is above the maximum ${MAX_PAGE_LIMIT}`);
  const key = page?.key ?? new Uint8Array();
  if (key.length > 0 && (page?.offset ?? 0n) > 0n) throw ErrInvalidRequest.wrap('either offset or key is expected, got both');
  if (key.length !== 0 && key.length !== 4) throw ErrInvalidRequest.wrap('invalid pagination key');
  const list = page?.reverse === true ? [...items].reverse() : items;
  const start = key.length === 4 ? new DataView(key.buffer, key.byteOffset, 4).getUint32(0) : Number(page?.offset ?? 0n);
  const end = Math.min(list.length, start + Number(limit));
  const nextKey = new Uint8Array(end < list.length ? 4 : 0);
  if (end < list.length) new DataView(nextKey.buffer).setUint32(0, end);
  return {
    items: list.slice(start, end),
    pagination: { nextKey, total: wantsTotal(page) ? BigInt(list.length) : 0n },
  };
}
