// Registered, typed errors. Each module owns a codespace (its name) and registers its codes once at
// load time; a duplicate registration is a programming error caught at start-up. The ABCI result
// carries (codespace, code, log) exactly as a Cosmos SDK chain does, so wallets can match on them.

const registered = new Map<string, string>();

/** An error a user caused (bad tx, bad query). Code 1 is reserved for internal errors. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly codespace: string;
  readonly code: number;
  /** The registered description, e.g. "insufficient funds". */
  readonly description: string;

  constructor(codespace: string, code: number, description: string, detail?: string) {
    // The SDK's wrapped-error log format: "<detail>: <description>".
    super(detail === undefined ? description : `${detail}: ${description}`);
    this.codespace = codespace;
    this.code = code;
    this.description = description;
  }
}

export interface RegisteredError {
  readonly codespace: string;
  readonly code: number;
  readonly description: string;
  /** An AppError with a detail message in front of the description. */
  wrap(detail: string): AppError;
  /** True if `err` is this registered error (same codespace and code). */
  is(err: unknown): boolean;
}

export function registerError(codespace: string, code: number, description: string): RegisteredError {
  if (code <= 1) throw new RangeError(`error codes 0 and 1 are reserved (${codespace}/${code})`);
  const id = `${codespace}/${code}`;
  if (registered.has(id)) throw new Error(`error ${id} registered twice`);
  registered.set(id, description);
  return {
    codespace,
    code,
    description,
    wrap: (detail) => new AppError(codespace, code, description, detail),
    is: (err) => err instanceof AppError && err.codespace === codespace && err.code === code,
  };
}

/** Internal errors (bugs) answer with code 1 and a generic log; the real error is logged by the node. */
export const INTERNAL_CODE = 1;

/** `err` with `detail` in front of its message, keeping its codespace and code (the SDK's errorsmod.Wrap). */
export function rewrap(err: AppError, detail: string): AppError {
  const inner = err.message === err.description ? undefined : err.message.slice(0, err.message.length - err.description.length - 2);
  return new AppError(err.codespace, err.code, err.description, inner === undefined ? detail : `${detail}: ${inner}`);
}
