// What a command receives. Every command, built in or plugged in (init, start, genesis, dev), is a
// module exporting `run(ctx: CommandContext): Promise<void>`; cli/README.md documents the contract.
import type { Keyring } from '../sdk/keyring/keyring.ts';

/** The streams and environment of one CLI invocation; tests pass their own. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type OutputFormat = 'text' | 'json';
import type { KeyringBackend } from '../sdk/keyring/keyring.ts';

/** The global flags, validated and with defaults applied. */
export interface GlobalOptions {
  /** --home, absolute. Default ~/.cairn (or $CAIRN_HOME). */
  readonly home: string;
  /** --node, a normalised http(s) URL of the CometBFT JSON-RPC. Default http://127.0.0.1:26657. */
  readonly node: string;
  /** --chain-id as given; undefined means "ask the node". */
  readonly chainId: string | undefined;
  /** --output text|json. Default text. */
  readonly output: OutputFormat;
  /** --keyring-backend file|test. Default file. */
  readonly keyringBackend: KeyringBackend;
  /** --keyring-dir, absolute. Default: the home directory. Keys live in <dir>/keyring-<backend>/. */
  readonly keyringDir: string;
  /** --keyring-passphrase-file, absolute, if given. */
  readonly keyringPassphraseFile: string | undefined;
}

/** The value of a command's own flag as node:util parseArgs returns it. */
export type FlagValue = string | boolean | ReadonlyArray<string | boolean> | undefined;

/** A result to print: `text` for people (the default), `json` for `--output json`. */
export interface Printable {
  /** Any JSON-able value; bigints are written as strings, Uint8Arrays as upper-case hex. */
  readonly json: unknown;
  /** The readable layout; a function so that it is only built when needed. */
  readonly text: string | (() => string);
}

export interface CommandContext {
  /** The command path, e.g. ['keys', 'add']. */
  readonly command: readonly string[];
  /** Positional arguments after the command path, checked against the command's argument spec. */
  readonly args: readonly string[];
  /** The command's own flags by long name (global flags are in `global`). */
  readonly flags: Readonly<Record<string, FlagValue>>;
  readonly global: GlobalOptions;
  readonly io: CliIo;
  /** Aborted on the first SIGINT/SIGTERM for long-running commands; they should shut down cleanly. */
  readonly signal: AbortSignal;
  /** Prints a result on stdout in the selected output format. */
  print(result: Printable): void;
  /** A line for the person at the terminal, on stderr, so stdout stays parseable. */
  note(message: string): void;
  /** `warning: <message>` on stderr. */
  warn(message: string): void;
  /** The keyring selected by the global flags; passphrases come from the file, env or a prompt. */
  keyring(): Promise<Keyring>;
}

/** How a command declares one of its flags (turned into a node:util parseArgs option). */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly default?: string | boolean;
  /** One line for the help text. */
  readonly description: string;
  /** Placeholder in the help text: `--fees <coins>`. */
  readonly valueName?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** A positional argument, for validation and help. */
export interface ArgSpec {
  readonly name: string;
  readonly description: string;
  readonly optional?: boolean;
  /** The last argument only: takes every remaining value (at least one unless optional). */
  readonly variadic?: boolean;
}

/** What a command module exports. Only `run` is required. */
export interface CommandModule {
  run(ctx: CommandContext): Promise<void>;
  /** Flags of the command; plugged-in commands declare theirs here (built-ins use the table). */
  readonly options?: OptionSpecs;
  /** Positional arguments; without it a plugged-in command accepts any. */
  readonly args?: readonly ArgSpec[];
  /** Extra help paragraphs and examples. */
  readonly description?: string;
  readonly examples?: readonly string[];
}

/** A string flag, or undefined when absent. */
export function stringFlag(ctx: Pick<CommandContext, 'flags'>, name: string): string | undefined {
  const value = ctx.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean flag; absent is false. */
export function booleanFlag(ctx: Pick<CommandContext, 'flags'>, name: string): boolean {
  return ctx.flags[name] === true;
}

/** The positional argument at `index`; the parser has already checked the count. */
export function arg(ctx: Pick<CommandContext, 'args'>, index: number): string {
  const value = ctx.args[index];
  if (value === undefined) throw new RangeError(`argument ${index} is missing`);
  return value;
}
