// The node's logger: one line per event, human-readable, greppable.
//
// Long-lived parts (ABCI server, p2p, CLI) take a `Logger` so tests can capture or silence it.
// This file is not consensus code: it may read the wall clock.

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface LineLoggerOptions {
  /** Prefix for every line, e.g. "abci". */
  readonly name?: string;
  /** Where lines go; stderr by default so that stdout stays free for command output. */
  readonly write?: (line: string) => void;
  /** Timestamp source; injectable so tests get stable lines. */
  readonly now?: () => Date;
}

/** A logger that writes `<ISO time> <LEVEL> [name] message key=value ...` lines. */
export function createLogger(opts: LineLoggerOptions = {}): Logger {
  const write = opts.write ?? ((line: string): void => void process.stderr.write(line + '\n'));
  const now = opts.now ?? ((): Date => new Date());
  const prefix = opts.name === undefined ? '' : `${opts.name}: `;
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    write(`${now().toISOString()} ${level.toUpperCase()} ${prefix}${message}${formatFields(fields)}`);
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** Discards everything (for tests and embedding). */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** ` key=value key2="quoted value"`, in insertion order. */
export function formatFields(fields?: LogFields): string {
  if (fields === undefined) return '';
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out += ` ${key}=${formatValue(value)}`;
  }
  return out;
}

function formatValue(value: unknown): string {
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (value instanceof Error) return quoteIfNeeded(value.message);
  if (typeof value === 'string') return quoteIfNeeded(value);
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
  } catch {
    return quoteIfNeeded(String(value));
  }
}

// Quote only when needed so the common case (addresses, heights, ids) stays easy to read and grep.
function quoteIfNeeded(s: string): string {
  return s !== '' && /^[^\s"=]+$/.test(s) ? s : JSON.stringify(s);
}
