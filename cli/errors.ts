// Errors the CLI reports to a person. Every message says what went wrong and what to do next;
// anything that is not a CliError is a bug and is reported as one.

/** A failure the user can act on. Printed as `Error: <message>`, exit code 1, no stack trace. */
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: number;

  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}

/** The command line itself is wrong: unknown command or flag, missing or extra argument. */
export class UsageError extends CliError {
  override name = 'UsageError';
}

/** The message of any thrown value, for wrapping errors from libraries. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
