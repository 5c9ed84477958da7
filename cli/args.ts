// The command line: which command is meant, its arguments and flags, and the global flags.
//
// Parsing is two passes of node:util parseArgs. The first knows only the global flags and walks the
// positionals down the command tree to find the command. The second is strict and knows that
// command's flags too, so a typo in a flag is an error instead of being ignored.
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { DEFAULT_NODE } from '../sdk/chain.ts';
import type { ArgSpec, CliIo, FlagValue, GlobalOptions, OptionSpecs } from './context.ts';
import { UsageError } from './errors.ts';

/** Flags every command accepts. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  home: { type: 'string', valueName: 'dir', description: 'node and client home directory (default ~/.cairn, or $CAIRN_HOME)' },
  node: { type: 'string', valueName: 'url', description: `CometBFT RPC of the node to talk to (default ${DEFAULT_NODE}, or $CAIRN_NODE)` },
  'chain-id': { type: 'string', valueName: 'id', description: "chain id (default: the node's, from its status)" },
  output: { type: 'string', short: 'o', valueName: 'text|json', description: 'output format (default text)' },
  'keyring-backend': { type: 'string', valueName: 'file|test', description: 'file: encrypted with a passphrase (default); test: unencrypted, dev only' },
  'keyring-dir': { type: 'string', valueName: 'dir', description: 'directory holding keyring-<backend>/ (default: the home directory)' },
  'keyring-passphrase-file': { type: 'string', valueName: 'file', description: 'read the file keyring passphrase from this file' },
  help: { type: 'boolean', short: 'h', description: 'show help for the command' },
};

export interface CommandTreeNode {
  readonly kind: 'group' | 'command';
  readonly name: string;
  readonly children?: readonly CommandTreeNode[];
}

export interface Resolution<N extends CommandTreeNode> {
  /** Names from the root to `node`, root excluded. */
  readonly path: readonly string[];
  readonly node: N;
  /** --help or -h was given, or the `help` command was used. */
  readonly help: boolean;
}

/** Finds the command named by the leading positionals. */
export function resolveCommand<N extends CommandTreeNode>(argv: readonly string[], root: N): Resolution<N> {
  const { tokens } = parseArgs({
    args: [...argv],
    options: toParseArgsOptions(GLOBAL_OPTIONS),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let node: N = root;
  const path: string[] = [];
  let help = false;
  let helpCommand = false;
  for (const token of tokens) {
    if (token.kind === 'option' && token.name === 'help') help = true;
    if (token.kind === 'option-terminator') break;
    if (token.kind !== 'positional' || node.kind === 'command') continue;
    if (node === root && path.length === 0 && token.value === 'help' && !helpCommand) {
      helpCommand = true;
      continue;
    }
    const child = node.children?.find((candidate) => candidate.name === token.value) as N | undefined;
    if (!child) throw unknownCommand(token.value, path, node);
    node = child;
    path.push(token.value);
  }
  return { path, node, help: help || helpCommand };
}

export interface ParsedCommandLine {
  /** Positionals after the command path. */
  readonly args: string[];
  /** The command's own flags. */
  readonly flags: Record<string, FlagValue>;
  /** Raw global flag values; see resolveGlobalOptions. */
  readonly globals: Record<string, FlagValue>;
}

/** The strict pass: the command's flags and arguments, checked. */
export function parseCommandLine(
  argv: readonly string[],
  path: readonly string[],
  spec: { readonly options?: OptionSpecs | undefined; readonly args?: readonly ArgSpec[] | undefined },
): ParsedCommandLine {
  const usage = `run \`cairn ${path.join(' ')} --help\` for usage`;
  const own = spec.options ?? {};
  for (const token of argv) {
    if (token === '--') break;
    if (/^-\d/.test(token)) {
      throw new UsageError(`"${token}" looks like a negative number: amounts and heights must be positive`);
    }
  }
  const options = { ...toParseArgsOptions(GLOBAL_OPTIONS), ...toParseArgsOptions(own) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${parseArgsMessage(error)}: ${usage}`);
  }
  const positionals = parsed.positionals;
  if (path.some((name, index) => positionals[index] !== name)) {
    throw new UsageError(`put flags after the command name, e.g. \`cairn ${path.join(' ')} <args> --flag value\`: ${usage}`);
  }
  const args = positionals.slice(path.length);
  if (spec.args) checkArgCount(args, spec.args, usage);
  const flags: Record<string, FlagValue> = {};
  const globals: Record<string, FlagValue> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (name in GLOBAL_OPTIONS) globals[name] = value;
    else flags[name] = value;
  }
  return { args, flags, globals };
}

/** Applies defaults and checks the global flags. */
export function resolveGlobalOptions(globals: Readonly<Record<string, FlagValue>>, io: Pick<CliIo, 'env'>, cwd = process.cwd()): GlobalOptions {
  const text = (name: string): string | undefined => {
    const value = globals[name];
    return typeof value === 'string' ? value : undefined;
  };
  const home = expandPath(text('home') ?? io.env['CAIRN_HOME'] ?? '~/.cairn', cwd);
  const output = text('output') ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, not "${output}"`);
  const backend = text('keyring-backend') ?? 'file';
  if (backend !== 'file' && backend !== 'test') {
    throw new UsageError(`--keyring-backend must be file or test, not "${backend}"`);
  }
  const chainId = text('chain-id');
  if (chainId !== undefined) checkChainId(chainId);
  const passphraseFile = text('keyring-passphrase-file');
  return {
    home,
    node: normalizeNodeUrl(text('node') ?? io.env['CAIRN_NODE'] ?? DEFAULT_NODE),
    chainId,
    output,
    keyringBackend: backend,
    keyringDir: expandPath(text('keyring-dir') ?? home, cwd),
    keyringPassphraseFile: passphraseFile === undefined ? undefined : expandPath(passphraseFile, cwd),
  };
}

/** Accepts http(s)://, ws(s)://, tcp:// (as CometBFT writes it) or a bare host:port. */
export function normalizeNodeUrl(input: string): string {
  let text = input.trim();
  if (text.startsWith('tcp://')) text = `http://${text.slice('tcp://'.length)}`;
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--node "${input}" is not a URL: write e.g. --node ${DEFAULT_NODE}`);
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new UsageError(`--node "${input}" uses ${url.protocol}; use http://, https:// or ws://, e.g. ${DEFAULT_NODE}`);
  }
  return text.replace(/\/+$/, '');
}

export function checkChainId(chainId: string): void {
  // CometBFT's limit is 50 characters; whitespace would never match a node's chain id.
  if (chainId === '' || chainId.length > 50 || /\s/.test(chainId)) {
    throw new UsageError(`--chain-id "${chainId}" is invalid: use 1-50 characters without spaces, e.g. cairn-local-1`);
  }
}

function expandPath(path: string, cwd: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function checkArgCount(args: readonly string[], specs: readonly ArgSpec[], usage: string): void {
  const required = specs.filter((spec) => spec.optional !== true);
  if (args.length < required.length) {
    const missing = required.slice(args.length).map((spec) => `<${spec.name}>`);
    throw new UsageError(`missing ${missing.join(' ')}: ${usage}`);
  }
  if (args.length > specs.length && specs.at(-1)?.variadic !== true) {
    const extra = args.slice(specs.length).map((value) => `"${value}"`);
    throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(' ')}: ${usage}`);
  }
}

function toParseArgsOptions(specs: OptionSpecs): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === undefined ? {} : { multiple: spec.multiple }),
    };
  }
  return options;
}

function parseArgsMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const match = /Unknown option '([^']+)'/.exec(message);
    return `unknown flag ${match?.[1] ?? ''}`.trimEnd();
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const match = /Option '([^']+)'/.exec(message);
    const flag = match?.[1]?.replace(/^-\w, /, '').replace(/ <value>$/, '') ?? 'a flag';
    if (message.includes('argument missing')) return `${flag} needs a value`;
    return `${flag} does not take a value`;
  }
  return message.split('\n')[0] ?? message;
}

function unknownCommand(word: string, path: readonly string[], node: CommandTreeNode): UsageError {
  const names = (node.children ?? []).map((child) => child.name);
  const where = ['cairn', ...path].join(' ');
  if (word.startsWith('-')) return new UsageError(`unknown flag ${word}: run \`${where} --help\``);
  const near = names.filter(
    (name) => editDistance(name, word) <= Math.max(1, Math.floor(name.length / 3)) || (word.length >= 2 && name.startsWith(word)),
  );
  const suggestion = near.length > 0 ? ` Did you mean ${near.map((name) => `'${name}'`).join(' or ')}?` : '';
  return new UsageError(`unknown command '${word}' for '${where}'.${suggestion} Commands: ${names.join(', ')}`);
}

// Levenshtein distance where swapping two neighbouring letters also counts as one edit.
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}
