// Named errors of the CometBFT integration. Each message says what happened and what to do next.

export class GoNotFoundError extends Error {
  override name = 'GoNotFoundError';
}

export class CometbftInstallError extends Error {
  override name = 'CometbftInstallError';
}

export class CometbftNotInstalledError extends Error {
  override name = 'CometbftNotInstalledError';
}

// A `cometbft <subcommand>` run (init, show-node-id, …) that exited non-zero.
export class CometbftCommandError extends Error {
  override name = 'CometbftCommandError';
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly output: string;
  constructor(args: readonly string[], exitCode: number | null, output: string) {
    super(`cometbft ${args.join(' ')} failed (exit code ${String(exitCode)}):\n${output.trim()}`);
    this.args = args;
    this.exitCode = exitCode;
    this.output = output;
  }
}

export class ConfigKeyNotFoundError extends Error {
  override name = 'ConfigKeyNotFoundError';
}

export class TomlValueError extends Error {
  override name = 'TomlValueError';
}

export class GenesisFormatError extends Error {
  override name = 'GenesisFormatError';
}

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

// The node's RPC could not be reached at all (connection refused, DNS, timeout).
export class CometbftUnreachableError extends Error {
  override name = 'CometbftUnreachableError';
}

// The RPC answered with a JSON-RPC error object.
export class CometbftRpcError extends Error {
  override name = 'CometbftRpcError';
  readonly code: number;
  readonly data: string | undefined;
  constructor(method: string, code: number, message: string, data: string | undefined) {
    super(`CometBFT RPC ${method} failed: ${message} (code ${code})${data === undefined ? '' : `: ${data}`}`);
    this.code = code;
    this.data = data;
  }
}

export class HeightTimeoutError extends Error {
  override name = 'HeightTimeoutError';
}

// startCometbft gave up: the process exited early or its RPC never answered.
// By the time it is thrown, the process (`pid`) has been stopped.
export class CometbftStartError extends Error {
  override name = 'CometbftStartError';
  readonly logTail: string;
  readonly pid: number | undefined;
  constructor(message: string, logTail: string, pid: number | undefined) {
    super(logTail === '' ? message : `${message}\n--- last lines of CometBFT output ---\n${logTail}`);
    this.logTail = logTail;
    this.pid = pid;
  }
}

// initHome was pointed at a home that belongs to another chain.
export class HomeMismatchError extends Error {
  override name = 'HomeMismatchError';
}
