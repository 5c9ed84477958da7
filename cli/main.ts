// One CLI invocation: resolve the command, parse, build its context, run it, report errors.
// `runCli` never throws and never exits the process, so tests can call it in-process.
import { parseCommandLine, resolveCommand, resolveGlobalOptions } from './args.ts';
import { ROOT } from './commands/table.ts';
import type { CommandNode } from './commands/spec.ts';
import type { CliIo, CommandContext, CommandModule, GlobalOptions } from './context.ts';
import { CliError, messageOf } from './errors.ts';
import { KeyringError } from '../sdk/keyring/keyring.ts';
import { KeyRecordError } from '../sdk/keyring/record.ts';
import { helpFor } from './help.ts';
import type { Keyring } from '../sdk/keyring/keyring.ts';
import { render } from './output.ts';

export interface RunOptions {
  /** Install SIGINT/SIGTERM handlers for long-running commands (the real process only). */
  readonly handleSignals?: boolean;
  /** Resolves relative paths in flags. Default process.cwd(). */
  readonly cwd?: string;
}

/** Runs `cairn <argv>` and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, options: RunOptions = {}): Promise<number> {
  try {
    await execute(argv, io, options);
    return 0;
  } catch (error) {
    return report(error, io);
  }
}

async function execute(argv: readonly string[], io: CliIo, options: RunOptions): Promise<void> {
  const { path, node, help } = resolveCommand<CommandNode>(argv, ROOT);
  if (node.kind === 'group') {
    io.stdout.write(helpFor(node, path));
    return;
  }
  let module: CommandModule | undefined;
  if (help) {
    if (node.external === true) module = await node.load().catch(() => undefined);
    io.stdout.write(helpFor(node, path, module));
    return;
  }
  module = await node.load();
  const parsed = parseCommandLine(argv, path, {
    options: { ...(module.options ?? {}), ...(node.options ?? {}) },
    args: node.args ?? module.args,
  });
  const global = resolveGlobalOptions(parsed.globals, io, options.cwd);
  const controller = new AbortController();
  const detach = node.longRunning === true && options.handleSignals === true ? onStopSignals(controller) : () => undefined;
  try {
    await module.run(createContext({ command: path, args: parsed.args, flags: parsed.flags, global, io, signal: controller.signal }));
  } finally {
    detach();
  }
}

export interface ContextParts {
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly flags: CommandContext['flags'];
  readonly global: GlobalOptions;
  readonly io: CliIo;
  readonly signal?: AbortSignal;
}

/** Builds a CommandContext; exported so tests can run a command module directly. */
export function createContext(parts: ContextParts): CommandContext {
  let keyring: Promise<Keyring> | undefined;
  const { io, global } = parts;
  return {
    command: parts.command,
    args: parts.args,
    flags: parts.flags,
    global,
    io,
    signal: parts.signal ?? new AbortController().signal,
    print: (result) => {
      io.stdout.write(render(result, global.output));
    },
    note: (message) => {
      io.stderr.write(`${message}\n`);
    },
    warn: (message) => {
      io.stderr.write(`warning: ${message}\n`);
    },
    keyring: () => {
      keyring ??= openKeyring(global, io);
      return keyring;
    },
  };
}

async function openKeyring(global: GlobalOptions, io: CliIo): Promise<Keyring> {
  const [{ Keyring }, { passphraseProvider }] = await Promise.all([import('../sdk/keyring/keyring.ts'), import('./passphrase.ts')]);
  return new Keyring({
    dir: global.keyringDir,
    backend: global.keyringBackend,
    passphrase: passphraseProvider({ file: global.keyringPassphraseFile, io }),
  });
}

function report(error: unknown, io: CliIo): number {
  const debug = io.env['CAIRN_DEBUG'] === '1';
  if (error instanceof CliError || error instanceof KeyringError || error instanceof KeyRecordError) {
    io.stderr.write(`Error: ${error.message}\n`);
    if (debug) io.stderr.write(`${stackOf(error)}\n`);
    return error.exitCode;
  }
  io.stderr.write(`Error: unexpected failure: ${messageOf(error)}\n`);
  io.stderr.write(debug ? `${stackOf(error)}\n` : 'Run again with CAIRN_DEBUG=1 to see the stack trace, and report it if it looks like a bug.\n');
  return 1;
}

function stackOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current !== undefined && parts.length < 5) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('Caused by:');
  }
  return parts.join('\n');
}

/**
 * A signal within this long after the first is the same stop delivered twice: Ctrl-C in a terminal
 * (or a service manager stopping a process group) reaches the CLI directly and again through the
 * `cairn` launcher (and npm) that forwards it.
 */
const REPEATED_SIGNAL_MS = 1000;

// First SIGINT/SIGTERM asks the command to stop through ctx.signal; a later one exits at once.
function onStopSignals(controller: AbortController): () => void {
  let firstAt = 0;
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      if (Date.now() - firstAt < REPEATED_SIGNAL_MS) return;
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    firstAt = Date.now();
    controller.abort(new CliError(`stopped by ${signal}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
