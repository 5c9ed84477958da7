// Where the file keyring's passphrase comes from, in order: --keyring-passphrase-file, the
// CAIRN_KEYRING_PASSPHRASE environment variable, then a hidden prompt when stdin is a terminal.
import { readFile } from 'node:fs/promises';
import type { CliIo } from './context.ts';
import { CliError, messageOf } from './errors.ts';
import type { PassphraseProvider, PassphraseRequest } from '../sdk/keyring/keyring.ts';
import { MIN_PASSPHRASE_LENGTH } from '../sdk/keyring/keyring.ts';
import { isInteractive, readHidden } from './prompt.ts';

export const PASSPHRASE_ENV = 'CAIRN_KEYRING_PASSPHRASE';

export class PassphraseUnavailableError extends CliError {
  override name = 'PassphraseUnavailableError';
}

export interface PassphraseSources {
  readonly file: string | undefined;
  readonly io: CliIo;
}

/** A provider that asks at most once per invocation. */
export function passphraseProvider(sources: PassphraseSources): PassphraseProvider {
  let cached: Promise<string> | undefined;
  return (request) => {
    cached ??= obtain(sources, request);
    return cached;
  };
}

async function obtain({ file, io }: PassphraseSources, request: PassphraseRequest): Promise<string> {
  if (file !== undefined) return readPassphraseFile(file);
  const fromEnv = io.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!isInteractive(io)) {
    throw new PassphraseUnavailableError(
      `the file keyring at ${request.keyringPath} needs its passphrase and stdin is not a terminal: ` +
        `pass --keyring-passphrase-file <file> or set ${PASSPHRASE_ENV} (or use --keyring-backend test on a dev chain)`,
    );
  }
  if (request.purpose === 'unlock') return readHidden(io, `Passphrase for the keyring at ${request.keyringPath}: `);
  io.stderr.write(`Creating the file keyring at ${request.keyringPath}.\n`);
  const first = await readHidden(io, `Choose a passphrase (at least ${MIN_PASSPHRASE_LENGTH} characters): `);
  if (first.length < MIN_PASSPHRASE_LENGTH) {
    throw new CliError(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters; nothing was written`);
  }
  const second = await readHidden(io, 'Repeat the passphrase: ');
  if (first !== second) throw new CliError('the two passphrases differ; nothing was written. Run the command again');
  return first;
}

/** The whole file, less one final line ending; several lines are refused rather than guessed at. */
export async function readPassphraseFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PassphraseUnavailableError(`cannot read the passphrase file ${file}: ${messageOf(error)}`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase === '') throw new PassphraseUnavailableError(`the passphrase file ${file} is empty: write the passphrase on its first line`);
  if (/[\r\n]/.test(passphrase)) {
    throw new PassphraseUnavailableError(`the passphrase file ${file} has several lines: keep only the passphrase`);
  }
  return passphrase;
}
