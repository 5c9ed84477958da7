// The node's logger, on pino: one JSON object per line when stderr is not a terminal (for journald,
// Loki, jq), pino-pretty's coloured lines in a terminal. Every line has a level, a time, the
// component that wrote it (`cairn`, `abci`, `p2p`, `watcher`, …) and the event's fields; each
// component has its own level ("info,p2p=debug,abci=warn", from --log-level or CAIRN_LOG_LEVEL).
//
// Long-lived parts take a `Logger` (this small interface, not pino's) so tests can capture or silence
// it. Secrets never reach a line: fields named like one (mnemonic, private key, seed, password, token)
// and strings shaped like a mnemonic are replaced by "[redacted]". Not consensus code: it may read the clock.
import { pino } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** The logger of one part of the node: its lines name it, and it logs at that component's level. */
  child?(component: string): Logger;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The default level and each named component's. */
export interface LogLevels {
  readonly level: LogLevel;
  readonly components: ReadonlyMap<string, LogLevel>;
}

export class LogLevelError extends RangeError {
  override readonly name = 'LogLevelError';
}

/** Parses "info", "warn,p2p=debug", "abci=error" (component names are the `component` field of a line). */
export function parseLogLevels(spec: string): LogLevels {
  let level: LogLevel = 'info';
  const components = new Map<string, LogLevel>();
  const check = (v: string): LogLevel => {
    if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new LogLevelError(`unknown log level "${v}" in "${spec}": use ${LOG_LEVELS.join(', ')}, per component as "info,p2p=debug"`);
    return v as LogLevel;
  };
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq === -1) level = check(part);
    else {
      const name = part.slice(0, eq).trim();
      if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new LogLevelError(`bad component name "${name}" in "${spec}"`);
      components.set(name, check(part.slice(eq + 1).trim()));
    }
  }
  return { level, components };
}

export interface LoggerOptions {
  /** The component of the lines this logger writes itself, e.g. "cairn". */
  readonly name?: string;
  /** Where lines go, one call per line without its newline (tests); default stderr. */
  readonly write?: (line: string) => void;
  /** json: one object per line; pretty: for people. Default: pretty when stderr is a terminal and `write` is not given. */
  readonly format?: 'json' | 'pretty';
  /** Default and per-component levels, e.g. "info,p2p=debug"; default CAIRN_LOG_LEVEL, else "info". */
  readonly levels?: string | LogLevels;
  /** Timestamp source, so tests get stable lines. */
  readonly now?: () => Date;
}

/** A field name that holds a secret: its value is never written. */
const SECRET_FIELD = /(^|_)(mnemonic|seed|secret|password|passphrase|token|authorization|cookie)$|priv(ate)?_?key|mnemonic/i;
/** 12 to 24 lowercase words: a BIP-39 mnemonic passed by mistake under an innocent name. */
const MNEMONIC = /^\s*(?:[a-z]{3,8}\s+){11,23}[a-z]{3,8}\s*$/;
const REDACTED = '[redacted]';

function clean(value: unknown, depth = 0): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return MNEMONIC.test(value) ? REDACTED : value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 4) return '[…]';
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  return cleanFields(value as Record<string, unknown>, depth + 1);
}

function cleanFields(fields: Readonly<Record<string, unknown>>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out[k] = SECRET_FIELD.test(k) ? REDACTED : clean(v, depth);
  }
  return out;
}

/** A logger writing JSON lines (or pretty ones in a terminal) to stderr, or to `write`. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const levels = typeof opts.levels === 'object' ? opts.levels : parseLogLevels(opts.levels ?? process.env['CAIRN_LOG_LEVEL'] ?? 'info');
  const format = opts.format ?? (opts.write === undefined && process.stderr.isTTY ? 'pretty' : 'json');
  const toStderr = (line: string): void => void process.stderr.write(`${line}\n`);
  const write = opts.write ?? toStderr;
  // pino writes one JSON line per call; in pretty mode it is reformatted here, in this thread (no worker).
  const prettify = format === 'pretty' ? prettyFactory({ colorize: opts.write === undefined, translateTime: 'SYS:HH:MM:ss.l', ignore: 'component', messageFormat: '{if component}{component}: {end}{msg}' }) : undefined;
  const destination = {
    write: (chunk: string): void => {
      const line = chunk.replace(/\n$/, '');
      write(prettify === undefined ? line : prettify(line).replace(/\n$/, ''));
    },
  };
  const now = opts.now;
  const root = pino(
    {
      level: 'debug',
      base: null,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      timestamp: now === undefined ? pino.stdTimeFunctions.isoTime : () => `,"time":"${now().toISOString()}"`,
    },
    destination,
  );
  const levelOf = (component: string | undefined): LogLevel => (component === undefined ? levels.level : (levels.components.get(component) ?? levels.level));
  const make = (component: string | undefined): Logger => {
    const p = component === undefined ? root.child({}, { level: levelOf(undefined) }) : root.child({ component }, { level: levelOf(component) });
    const emit =
      (level: 'info' | 'warn' | 'error') =>
      (message: string, fields?: LogFields): void => {
        if (fields === undefined) p[level](message);
        else p[level](cleanFields(fields), message);
      };
    return { info: emit('info'), warn: emit('warn'), error: emit('error'), child: (c) => make(c) };
  };
  return make(opts.name);
}

/** The logger of one component (`logger.child`), or `logger` itself when it has no children (a test's). */
export function componentLogger(logger: Logger, component: string): Logger {
  return logger.child?.(component) ?? logger;
}

/** Discards everything (for tests and embedding). */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
