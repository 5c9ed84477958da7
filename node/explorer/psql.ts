// The explorer's history from PostgreSQL: when the explorer is given the database of CometBFT's
// psql event sink, the page's two tx reads, GET /api/cosmos/tx/v1beta1/txs/<hash> (a tx) and
// GET /api/cosmos/tx/v1beta1/txs?query=… (recent txs, a block's, an address's), are answered here
// from SQL in the REST API's own JSON, so the page reads the same shapes from either index. Block
// times come from the REST API (the sink stores none), cached since a height's time never changes.
import { GetTxResponse, GetTxsEventResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import type { TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { toGatewayJson } from '../api/json.ts';
import { committedTxResponse } from '../api/tx-response.ts';
import { type IndexedTx, MAX_PAGE, PsqlIndexError, PsqlTxIndex } from '../indexer/psql.ts';

const TXS = '/cosmos/tx/v1beta1/txs';
const SERVICE = 'cosmos.tx.v1beta1.Service';
const TIMES_CACHED = 4096;

export interface IndexAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Does the page's `path` (after /api) read the tx index? */
export function readsTxIndex(path: string): boolean {
  return path === TXS || path.startsWith(`${TXS}/`);
}

export class PsqlHistory {
  readonly #index: PsqlTxIndex;
  readonly #rest: string;
  readonly #times = new Map<bigint, string>();

  constructor(index: PsqlTxIndex, rest: string) {
    this.#index = index;
    this.#rest = rest.replace(/\/$/, '');
  }

  /** The REST API's answer to `path?search`, read from PostgreSQL; errors as the REST API words them. */
  async answer(path: string, search: URLSearchParams, signal: AbortSignal): Promise<IndexAnswer> {
    try {
      if (path === TXS) return await this.#search(search, signal);
      const hash = decodeURIComponent(path.slice(TXS.length + 1));
      const found = await this.#index.getTx(hash);
      if (found === undefined) return { status: 404, body: { code: 5, message: `tx not found: ${hash.toUpperCase()} is not in the PostgreSQL index`, details: [] } };
      const [r] = await this.#responses([found], signal);
      return { status: 200, body: toGatewayJson(GetTxResponse, GetTxResponse.decode(GetTxResponse.encode(r!).finish()), SERVICE) };
    } catch (err) {
      if (err instanceof RangeError || err instanceof URIError) return { status: 400, body: { code: 3, message: err.message, details: [] } };
      if (err instanceof PsqlIndexError) return { status: 503, body: { code: 14, message: err.message, details: [] } };
      throw err;
    }
  }

  async #search(search: URLSearchParams, signal: AbortSignal): Promise<IndexAnswer> {
    const query = search.get('query') || search.getAll('events').join(' AND ');
    if (query === '') throw new RangeError('query cannot be empty: give a CometBFT event query, e.g. query=tx.height>0');
    const limit = Number(search.get('limit') || search.get('pagination.limit') || MAX_PAGE);
    const offset = Number(search.get('pagination.offset') || 0);
    const page = search.get('page') !== null ? Number(search.get('page')) : Math.floor(offset / limit) + 1;
    const order = search.get('order_by') === 'ORDER_BY_DESC' || search.get('order_by') === '2' ? 'desc' : 'asc';
    const { txs, total } = await this.#index.search(query, { limit, page, order });
    const responses = await this.#responses(txs, signal);
    const message = GetTxsEventResponse.fromPartial({ txs: responses.map((r) => r.tx!), txResponses: responses.map((r) => r.txResponse!), total: BigInt(total) });
    return { status: 200, body: toGatewayJson(GetTxsEventResponse, GetTxsEventResponse.decode(GetTxsEventResponse.encode(message).finish()), SERVICE) };
  }

  async #responses(found: readonly IndexedTx[], signal: AbortSignal): Promise<{ tx: Tx; txResponse: TxResponse }[]> {
    const times = await Promise.all(found.map((f) => this.#time(f.height, signal)));
    return found.map((f, i) => committedTxResponse({ height: f.height, hash: f.hash, bytes: f.tx, result: f.result, time: times[i]! }));
  }

  /** The block's time from the REST API ('' when it cannot say: the tx still shows). */
  async #time(height: bigint, signal: AbortSignal): Promise<string> {
    const known = this.#times.get(height);
    if (known !== undefined) return known;
    try {
      const r = await fetch(`${this.#rest}/cosmos/base/tendermint/v1beta1/blocks/${height}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]), redirect: 'error' });
      if (!r.ok) return '';
      const time = ((await r.json()) as { block?: { header?: { time?: string } } }).block?.header?.time ?? '';
      if (this.#times.size >= TIMES_CACHED) this.#times.delete(this.#times.keys().next().value!);
      this.#times.set(height, time);
      return time;
    } catch {
      return '';
    }
  }
}
