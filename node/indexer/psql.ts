// Reading CometBFT's PostgreSQL event sink ([tx_index] indexer = "psql"; the tables are in
// psql-schema.sql): a tx by hash, and txs by a CometBFT event query (the subset the explorer and
// most clients use: `tx.height <op> N`, `tx.hash = '…'`, `type.key = '…'`, `CONTAINS`, `EXISTS`,
// joined by AND), as SQL with every value a parameter. Result sizes are bounded (100 a page,
// 10,000 deep), each statement has a deadline, and a database that does not answer is a
// PsqlIndexError, never a crash. CometBFT's own RPC cannot search this index (tx, tx_search and
// block_search answer "not supported" with psql), so this is how an explorer reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type ExecTxResult, TxResult } from 'cosmjs-types/tendermint/abci/types';
import { POSTGRES_URL } from '../cometbft/config.ts';

export const PSQL_SCHEMA = readFileSync(join(import.meta.dirname, 'psql-schema.sql'), 'utf8');

/** Most txs one search returns (as CometBFT's tx_search). */
export const MAX_PAGE = 100;
/** Deepest row a search pages to: page × limit beyond this is refused. */
export const MAX_DEPTH = 10_000;
const MAX_QUERY_CHARS = 512;
const MAX_CONDITIONS = 8;

/** The database is unreachable, too slow, or has no schema: the caller shows it, the node goes on. */
export class PsqlIndexError extends Error {
  override readonly name = 'PsqlIndexError';
}

export interface IndexedTx {
  /** Upper-case hex, as CometBFT writes it. */
  readonly hash: string;
  readonly height: bigint;
  readonly index: number;
  readonly tx: Uint8Array;
  readonly result: ExecTxResult;
}

export interface TxSearch {
  readonly page?: number;
  readonly limit?: number;
  readonly order?: 'asc' | 'desc';
}

type Op = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'EXISTS';
export interface Condition {
  readonly key: string;
  readonly op: Op;
  readonly value?: string | bigint;
}

const CONDITION = /\s*([A-Za-z0-9_./-]+)\s*(<=|>=|=|<|>|CONTAINS\b|EXISTS\b)\s*(?:'([^']*)'|(-?\d{1,19})(?![\w.]))?\s*/y;

/** A CometBFT event query as conditions; a RangeError says what is not understood. */
export function parseTxQuery(query: string): Condition[] {
  if (query.length > MAX_QUERY_CHARS) throw new RangeError(`the query is over ${MAX_QUERY_CHARS} characters`);
  const out: Condition[] = [];
  let at = 0;
  for (;;) {
    CONDITION.lastIndex = at;
    const m = CONDITION.exec(query);
    if (m === null) throw new RangeError(`cannot read the query at ${JSON.stringify(query.slice(at, at + 40))}: give conditions like tx.height>0, message.sender='cairn1…', transfer.recipient EXISTS, joined by AND`);
    const [, key, op, text, num] = m as unknown as [string, string, Op, string | undefined, string | undefined];
    if (op === 'EXISTS') {
      if (text !== undefined || num !== undefined) throw new RangeError(`${key} EXISTS takes no value`);
      out.push({ key, op });
    } else {
      if (text === undefined && num === undefined) throw new RangeError(`${key} ${op} needs a value: a number or a 'quoted string'`);
      out.push({ key, op, value: num !== undefined ? BigInt(num) : text! });
    }
    at = CONDITION.lastIndex;
    if (at === query.length) break;
    const and = /AND\s+/iy;
    and.lastIndex = at;
    if (and.exec(query) === null) throw new RangeError(`expected AND at ${JSON.stringify(query.slice(at, at + 40))}`);
    at = and.lastIndex;
  }
  if (out.length > MAX_CONDITIONS) throw new RangeError(`at most ${MAX_CONDITIONS} conditions, got ${out.length}`);
  return out;
}

/** The WHERE clause over `tx_results t JOIN blocks b`; values appended to `params`, never inlined. */
function whereOf(conditions: readonly Condition[], params: unknown[]): string[] {
  const p = (v: unknown): string => `$${params.push(v)}`;
  return conditions.map((c) => {
    if (c.key === 'tx.height') {
      if (typeof c.value !== 'bigint' || c.op === 'CONTAINS') throw new RangeError(`tx.height compares with a number (=, <, <=, >, >=)`);
      return `b.height ${c.op} ${p(c.value.toString())}`;
    }
    if (c.key === 'tx.hash') {
      if (c.op !== '=' || typeof c.value !== 'string' || !/^[0-9A-Fa-f]{64}$/.test(c.value)) throw new RangeError(`tx.hash takes = and 64 hex digits`);
      return `t.tx_hash = ${p(c.value.toUpperCase())}`;
    }
    const attr = `SELECT 1 FROM events e JOIN attributes a ON a.event_id = e.rowid WHERE e.tx_id = t.rowid AND a.composite_key = ${p(c.key)}`;
    if (c.op === 'EXISTS') return `EXISTS (${attr})`;
    if (c.op === 'CONTAINS') return `EXISTS (${attr} AND strpos(a.value, ${p(String(c.value))}) > 0)`;
    if (c.op === '=') return `EXISTS (${attr} AND a.value = ${p(String(c.value))})`;
    throw new RangeError(`${c.key} ${c.op}: only tx.height compares numbers here; other keys take =, CONTAINS or EXISTS`);
  });
}

export interface PsqlTxIndexOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** Rows of other chains in the same database are not read. */
  readonly chainId: string;
  /** Each statement's deadline, and the connect deadline (default 5 s). */
  readonly timeoutMs?: number;
  /** Connections at most (default 4). */
  readonly maxConnections?: number;
  /** Told about a dropped idle connection (the pool replaces it). */
  readonly onError?: (err: Error) => void;
}

export class PsqlTxIndex {
  readonly #pool: pg.Pool;
  readonly #chainId: string;

  constructor(o: PsqlTxIndexOptions) {
    if (!POSTGRES_URL.test(o.url)) throw new RangeError(`the PostgreSQL connection must be a postgres:// URL, got ${JSON.stringify(redact(o.url))}`);
    const timeout = o.timeoutMs ?? 5_000;
    this.#chainId = o.chainId;
    this.#pool = new pg.Pool({ connectionString: o.url, max: o.maxConnections ?? 4, connectionTimeoutMillis: timeout, statement_timeout: timeout, query_timeout: timeout + 1_000, idleTimeoutMillis: 30_000 });
    // An idle connection the server drops is an 'error' on the pool; unheard, it would end the process.
    this.#pool.on('error', (err) => o.onError?.(err));
  }

  async #query<R extends pg.QueryResultRow>(text: string, params: unknown[]): Promise<R[]> {
    try {
      return (await this.#pool.query<R>(text, params)).rows;
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e.code === '42P01') throw new PsqlIndexError(`the PostgreSQL database has no event-sink tables: run \`cairn indexer psql --conn <url>\` (\`--schema-only\` for the tables alone) (${e.message})`);
      throw new PsqlIndexError(`the PostgreSQL index did not answer: ${e.message}`);
    }
  }

  /** The tx with this hash (64 hex digits), or undefined when the index has none. */
  async getTx(hash: string): Promise<IndexedTx | undefined> {
    if (!/^[0-9A-Fa-f]{64}$/.test(hash)) throw new RangeError(`a tx hash is 64 hex digits, got ${JSON.stringify(hash.slice(0, 80))}`);
    const rows = await this.#query<Row>(`${SELECT} WHERE b.chain_id = $1 AND t.tx_hash = $2 ORDER BY b.height LIMIT 1`, [this.#chainId, hash.toUpperCase()]);
    return rows[0] === undefined ? undefined : indexedTx(rows[0]);
  }

  /** Txs matching an event query, a page of them in height order, and how many match (counted up to MAX_DEPTH). */
  async search(query: string, o: TxSearch = {}): Promise<{ txs: IndexedTx[]; total: number }> {
    const limit = o.limit ?? MAX_PAGE;
    const page = o.page ?? 1;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new RangeError(`limit must be 1 to ${MAX_PAGE}, got ${limit}`);
    if (!Number.isSafeInteger(page) || page < 1 || page * limit > MAX_DEPTH) throw new RangeError(`page must be ≥ 1 and page × limit at most ${MAX_DEPTH}, got page ${page} of ${limit}`);
    const params: unknown[] = [this.#chainId];
    const where = ['b.chain_id = $1', ...whereOf(parseTxQuery(query), params)].join(' AND ');
    const dir = o.order === 'asc' ? 'ASC' : 'DESC';
    const n = params.length;
    const [rows, count] = await Promise.all([
      this.#query<Row>(`${SELECT} WHERE ${where} ORDER BY b.height ${dir}, t.index ${dir} LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, limit, (page - 1) * limit]),
      this.#query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT 1 FROM tx_results t JOIN blocks b ON b.rowid = t.block_id WHERE ${where} LIMIT ${MAX_DEPTH}) x`, params),
    ]);
    return { txs: rows.map(indexedTx), total: Number(count[0]?.n ?? 0) };
  }

  /** Throws a PsqlIndexError when the database is unreachable or lacks the schema. */
  async check(): Promise<void> {
    await this.#query('SELECT 1 FROM blocks LIMIT 1', []);
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

const SELECT = 'SELECT t.tx_hash, t.index, b.height, t.tx_result FROM tx_results t JOIN blocks b ON b.rowid = t.block_id';

interface Row {
  tx_hash: string;
  index: number;
  height: string;
  tx_result: Buffer;
}

function indexedTx(r: Row): IndexedTx {
  const decoded = TxResult.decode(r.tx_result);
  return { hash: r.tx_hash.toUpperCase(), height: BigInt(r.height), index: r.index, tx: decoded.tx, result: decoded.result };
}

/** The URL with its password hidden, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^/]*@/, '$1***@');
}

/** Creates the event sink's tables, indexes and views in the database at `url` (idempotent). */
export async function applyPsqlSchema(url: string, timeoutMs = 30_000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs });
  try {
    await client.connect();
    await client.query('BEGIN');
    await client.query(PSQL_SCHEMA);
    await client.query('COMMIT');
  } catch (err) {
    throw new PsqlIndexError(`applying the event-sink schema to ${redact(url)} failed: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
