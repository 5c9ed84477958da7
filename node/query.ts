// ABCI Query: gRPC-style paths ("/<service>/<method>", protobuf in and out), tx simulation, and
// raw store reads with ICS23 proofs ("/store/key"). A query never changes state; a bad one gets an
// error code, never a crash. The response height is always set (CosmJS refuses height 0).
import { ics23 } from '@confio/ics23';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, type Tx, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { AppError, INTERNAL_CODE } from '../core/framework/errors.ts';
import type { QueryContext } from '../core/framework/context.ts';
import type { QueryHandler } from '../core/framework/module.ts';
import { ErrInvalidHeight, ErrInvalidRequest, ErrUnknownRequest } from '../core/framework/sdk-errors.ts';
import { UNLIMITED_GAS } from '../core/framework/gas.ts';
import { branch, readOnly } from '../core/store/branch.ts';
import type { CommitStore } from '../core/store/commit-store.ts';
import type { AddressCodec } from '../core/framework/address.ts';
import type { BlockInfo } from '../core/framework/context.ts';
import type { TxEnv } from '../core/tx/run.ts';
import { StoreCorruptionError, VersionUnavailableError } from '../core/store/errors.ts';
import { runTx } from '../core/tx/run.ts';
import { unknownFields } from '../core/tx/unknown-fields.ts';
import { type ProtoType, ROUTES } from './api/routes.ts';

const SIMULATE = '/cosmos.tx.v1beta1.Service/Simulate';
const STORE_KEY = '/store/key';
export const MAX_QUERY_DATA = 64 * 1024;

/** What queries read of the app: its store, its address codec, and the last committed block for simulations. */
export interface QueriedApp {
  readonly store: CommitStore;
  readonly addresses: AddressCodec;
  readonly committedBlock: BlockInfo;
  readonly txEnv: TxEnv;
}

export class QueryRouter {
  readonly #app: QueriedApp;
  readonly #handlers: ReadonlyMap<string, QueryHandler>;
  /** Each routed query's request type, to decode its bytes strictly before the handler runs. */
  readonly #requests = new Map<string, ProtoType>(ROUTES.map((r) => [r.query, r.request]));

  constructor(app: QueriedApp, handlers: ReadonlyMap<string, QueryHandler>) {
    this.#app = app;
    this.#handlers = handlers;
  }

  async handle(req: RequestQuery): Promise<ResponseQuery> {
    const latest = this.#app.store.lastHeight;
    const height = req.height === 0n ? latest : req.height;
    try {
      if (latest === 0n) throw ErrInvalidHeight.wrap('no block has been committed yet');
      if (height > latest) throw ErrInvalidHeight.wrap(`cannot query with height in the future (${height} > latest ${latest}); please provide a valid height`);
      if (height < 0n) throw ErrInvalidHeight.wrap('negative height');
      if (req.data.length > MAX_QUERY_DATA) throw ErrInvalidRequest.wrap(`query data of ${req.data.length} bytes exceeds ${MAX_QUERY_DATA}`);
      if (req.path === SIMULATE) return { ...empty(height), value: await this.#simulate(req.data) };
      if (req.path === STORE_KEY) return await this.#storeKey(req, height);
      const handler = this.#handlers.get(req.path);
      if (handler === undefined) throw ErrUnknownRequest.wrap(`unknown query path ${req.path}`);
      if (req.prove) throw ErrInvalidRequest.wrap(`${req.path} cannot be proven; query ${STORE_KEY} with prove=true for a Merkle proof`);
      this.#checkRequest(req.path, req.data);
      const ctx: QueryContext = {
        store: height === latest ? this.#app.store.committed : this.#app.store.at(height),
        height,
        addresses: this.#app.addresses,
        ...(height === latest ? { time: this.#app.committedBlock.time } : {}),
      };
      return { ...empty(height), value: await handler(req.data, ctx) };
    } catch (err) {
      return { ...empty(height), ...errorFields(err) };
    }
  }

  /**
   * The request bytes must be a well-formed message of the query's request type with no field it
   * does not define (as the SDK's codec refuses them): garbage that a lenient decoder would read as
   * an empty request is the caller's mistake, not a question with an answer.
   */
  #checkRequest(path: string, data: Uint8Array): void {
    const type = this.#requests.get(path);
    if (type === undefined) return;
    const decoded = decodeRequest(() => type.decode(data));
    const unknown = unknownFields(data, type.encode(decoded).finish(), false);
    if (unknown.length > 0) throw ErrInvalidRequest.wrap(`failed to decode query request: field ${unknown.join(', ')} is not part of the request`);
  }

  async #simulate(data: Uint8Array): Promise<Uint8Array> {
    const req = decodeRequest(() => SimulateRequest.decode(data));
    const bytes = req.txBytes.length > 0 ? req.txBytes : req.tx !== undefined ? txToRaw(req.tx) : undefined;
    if (bytes === undefined) throw ErrInvalidRequest.wrap('empty tx bytes');
    const scratch = branch(readOnly(this.#app.store.committed));
    const r = await runTx(bytes, scratch, this.#app.committedBlock, 'simulate', this.#app.txEnv);
    if (r.code !== 0) throw new AppError(r.codespace, r.code, r.log);
    return SimulateResponse.encode({
      gasInfo: { gasWanted: UNLIMITED_GAS, gasUsed: r.gasUsed },
      result: { data: new Uint8Array(), log: '', events: r.events, msgResponses: r.msgResponses },
    }).finish();
  }

  async #storeKey(req: RequestQuery, height: bigint): Promise<ResponseQuery> {
    if (req.data.length === 0) throw ErrInvalidRequest.wrap('empty key');
    const base = { ...empty(height), key: req.data };
    if (!req.prove) {
      const view = height === this.#app.store.lastHeight ? this.#app.store.committed : this.#app.store.at(height);
      return { ...base, value: (await view.get(req.data)) ?? new Uint8Array() };
    }
    const { value, proof } = await this.#app.store.prove(req.data, height);
    return {
      ...base,
      value: value ?? new Uint8Array(),
      proofOps: { ops: [{ type: 'ics23:smt', key: req.data, data: ics23.CommitmentProof.encode(proof).finish() }] },
    };
  }
}

function empty(height: bigint): ResponseQuery {
  return { code: 0, log: '', info: '', index: 0n, key: new Uint8Array(), value: new Uint8Array(), height, codespace: '' };
}

function errorFields(err: unknown): Pick<ResponseQuery, 'code' | 'codespace' | 'log'> {
  if (err instanceof AppError) return { code: err.code, codespace: err.codespace, log: err.message };
  // State that does not decode is the node's fault, never the caller's (checked before the request
  // decoding rule below, whose messages it shares).
  if (err instanceof StoreCorruptionError) return { code: INTERNAL_CODE, codespace: 'sdk', log: `internal error: ${err.message}` };
  if (err instanceof VersionUnavailableError) return errorFields(ErrInvalidHeight.wrap(`${err.message}; this node prunes old state (app.toml [pruning])`));
  // Protobuf decoding of a malformed request throws plain errors: that is the caller's fault.
  if (err instanceof RangeError || err instanceof TypeError || (err instanceof Error && /invalid wire type|index out of range|premature EOF/i.test(err.message))) {
    return { code: ErrInvalidRequest.code, codespace: 'sdk', log: `failed to decode query request: ${err.message}: invalid request` };
  }
  return { code: INTERNAL_CODE, codespace: 'sdk', log: `internal error: ${(err as Error)?.message ?? String(err)}` };
}

function decodeRequest<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw ErrInvalidRequest.wrap(`failed to decode request: ${(err as Error).message}`);
  }
}

/** The deprecated `tx` field of SimulateRequest, re-encoded as the TxRaw it stands for. */
function txToRaw(tx: Tx): Uint8Array {
  if (tx.body === undefined || tx.authInfo === undefined) throw ErrInvalidRequest.wrap('simulated tx has no body or auth info');
  return TxRaw.encode({
    bodyBytes: TxBody.encode(tx.body).finish(),
    authInfoBytes: AuthInfo.encode(tx.authInfo).finish(),
    signatures: tx.signatures,
  }).finish();
}
