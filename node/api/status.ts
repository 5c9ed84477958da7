// Errors of the API surfaces as gRPC statuses, and their HTTP form as the SDK's gRPC-gateway writes
// it: the status code mapped to an HTTP status (grpc-gateway's HTTPStatusFromCode) and the body
// {"code": <grpc code>, "message": "...", "details": []}.
import type { ResponseQuery } from 'cosmjs-types/tendermint/abci/types';

export const Code = {
  OK: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

const HTTP: Record<number, number> = {
  0: 200, 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: Code;
  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }

  get httpStatus(): number {
    return HTTP[this.code] ?? 500;
  }

  toJSON(): { code: number; message: string; details: unknown[] } {
    return { code: this.code, message: this.message, details: [] };
  }
}

const NAMES = new Map(Object.entries(Code).map(([name, code]) => [name, code as Code]));

/** The SDK's root errors that carry a gRPC code of their own (cosmossdk.io/errors RegisterWithGRPCCode and the query server's checks). */
const SDK_CODES: Record<number, Code> = {
  2: Code.InvalidArgument, // tx parse error
  6: Code.Unimplemented, // unknown request: no such query path
  7: Code.InvalidArgument, // invalid address
  18: Code.InvalidArgument, // invalid request
  22: Code.NotFound, // key not found
  26: Code.InvalidArgument, // invalid height
  38: Code.NotFound,
};

/**
 * A refused ABCI query as the status gRPC clients get. Query handlers write the SDK's status text
 * ("rpc error: code = NotFound desc = …"); other refusals map by their sdk code, and anything else
 * (a failed simulation) is Unknown, as the SDK's gRPC server answers. The message is the log, which
 * the SDK's REST errors carry too.
 */
export function queryError(r: Pick<ResponseQuery, 'code' | 'codespace' | 'log'>): ApiError {
  const m = /rpc error: code = (\w+) desc = /.exec(r.log);
  if (m !== null && NAMES.has(m[1]!)) return new ApiError(NAMES.get(m[1]!)!, r.log);
  const code = r.codespace === 'sdk' ? SDK_CODES[r.code] : undefined;
  return new ApiError(code ?? Code.Unknown, r.log);
}
