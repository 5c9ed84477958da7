// ABCI queries that node services (the watcher, the availability reporter) make of the node's own app,
// or over any query transport: refusals become QueryRefusedErrors that keep the app's code, so "no
// such record" can be told from a failure.
import { ErrKeyNotFound } from '../core/framework/sdk-errors.ts';
import type { AbciQuery } from '../sdk/queries.ts';

export type QueryFn = (path: string, data: Uint8Array) => Promise<{ code: number; value: Uint8Array; log?: string; codespace?: string }>;

export class QueryRefusedError extends Error {
  override readonly name = 'QueryRefusedError';
  /** The code and codespace the app refused the query with. */
  readonly code: number;
  readonly codespace: string;

  constructor(message: string, code: number, codespace: string) {
    super(message);
    this.code = code;
    this.codespace = codespace;
  }
}

/** Whether `e` is a query refused because the record it asks for does not exist (the SDK's ErrKeyNotFound). */
export function isNotFound(e: unknown): boolean {
  return e instanceof QueryRefusedError && e.codespace === ErrKeyNotFound.codespace && e.code === ErrKeyNotFound.code;
}

/** Queries that must succeed: a refusal is thrown as a QueryRefusedError with its path, code and log. */
export function mustQuery(query: QueryFn): AbciQuery {
  return async (path, data) => {
    const r = await query(path, data);
    if (r.code !== 0) throw new QueryRefusedError(`${path} failed: ${r.log ?? r.code}`, r.code, r.codespace ?? '');
    return r.value;
  };
}
