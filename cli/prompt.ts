// Reading from the person at the terminal: hidden input for secrets, yes/no questions, and piped
// stdin. Prompts go to stderr so that stdout stays the command's result.
import { createInterface } from 'node:readline/promises';
import type { CliIo } from './context.ts';
import { CliError } from './errors.ts';

/** The user pressed Ctrl-C or Ctrl-D at a prompt. */
export class PromptCancelledError extends CliError {
  override name = 'PromptCancelledError';
  constructor() {
    super('cancelled at the prompt; nothing was changed', { exitCode: 130 });
  }
}

export function isInteractive(io: CliIo): boolean {
  return io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function';
}

/** Reads one line without echoing it (terminal in raw mode). */
export function readHidden(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin;
  if (!isInteractive(io)) return Promise.reject(new CliError('cannot prompt: stdin is not a terminal'));
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error: Error | undefined): void => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return finish(undefined);
        if (char === '\u0003' || (char === '\u0004' && value === '')) return finish(new PromptCancelledError());
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** Asks a yes/no question; only an explicit "y" or "yes" counts as yes. */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: false });
  try {
    io.stderr.write(`${question} [y/N] `);
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** All of stdin (piped input), up to `limit` bytes. */
export async function readAll(io: CliIo, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) throw new CliError(`stdin is larger than ${limit} bytes; expected a short text such as a mnemonic`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
