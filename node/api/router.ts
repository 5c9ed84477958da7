// One query entry for the REST gateway and the gRPC server: "/<service>/<method>" with protobuf
// bytes, answered by the node's own services (tx, tendermint: node/api/node-services.ts) or else
// the app's ABCI query router, the same one CometBFT's abci_query reaches. Every call has a
// deadline; every refusal is an ApiError carrying its gRPC status.
import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { workSignal } from '../abort.ts';
import { ApiError, Code, queryError } from './status.ts';

export type ServiceHandler = (data: Uint8Array, signal: AbortSignal) => Promise<Uint8Array>;

export interface ApiQueriesOptions {
  readonly abciQuery: (req: RequestQuery) => Promise<ResponseQuery>;
  readonly services: ReadonlyMap<string, ServiceHandler>;
  /** Deadline of one call. */
  readonly timeoutMs: number;
}

export interface QueryAnswer {
  readonly value: Uint8Array;
  /** The height the app answered at (0 for the node's services). */
  readonly height: bigint;
}

export class ApiQueries {
  readonly #o: ApiQueriesOptions;

  constructor(opts: ApiQueriesOptions) {
    this.#o = opts;
  }

  async call(path: string, data: Uint8Array, height = 0n, outer?: AbortSignal): Promise<QueryAnswer> {
    const deadline = workSignal(outer, this.#o.timeoutMs);
    const signal = deadline.signal;
    const work = (async (): Promise<QueryAnswer> => {
      const service = this.#o.services.get(path);
      if (service !== undefined) return { value: await service(data, signal), height: 0n };
      const r = await this.#o.abciQuery({ path, data, height, prove: false });
      if (r.code !== 0) throw queryError(r);
      return { value: r.value, height: r.height };
    })();
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(deadline.timedOut ? new ApiError(Code.DeadlineExceeded, `${path} took longer than ${this.#o.timeoutMs} ms`) : new ApiError(Code.Canceled, 'the client went away'));
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
    });
    try {
      return await Promise.race([work, aborted]);
    } catch (err) {
      throw asApiError(err);
    } finally {
      deadline.done();
      work.catch(() => undefined);
    }
  }
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // Protobuf decoding of a malformed request throws plain errors: the caller's fault.
  if (err instanceof RangeError || err instanceof TypeError || (err instanceof Error && /wire type|index out of range|premature EOF|invalid/i.test(err.message))) {
    return new ApiError(Code.InvalidArgument, `invalid request: ${err.message}`);
  }
  return new ApiError(Code.Internal, (err as Error)?.message ?? String(err));
}
