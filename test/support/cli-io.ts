// An in-memory CliIo for running commands inside tests.
import { Readable } from 'node:stream';
import type { CliIo } from '../../cli/context.ts';

export interface MemoryIo extends CliIo {
  /** Everything written to stdout so far. */
  stdoutText(): string;
  stderrText(): string;
}

export function memoryIo(options: { stdin?: string; env?: Record<string, string | undefined> } = {}): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout: {
      write: (chunk: string) => {
        out += chunk;
        return true;
      },
    },
    stderr: {
      write: (chunk: string) => {
        err += chunk;
        return true;
      },
    },
    env: options.env ?? {},
    stdoutText: () => out,
    stderrText: () => err,
  };
}
