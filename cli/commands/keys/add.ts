// cairn keys add <name> [--recover] [--hd-path <path>] [--no-backup]
import { arg, booleanFlag, stringFlag } from '../../context.ts';
import type { CommandContext } from '../../context.ts';
import { CliError } from '../../errors.ts';
import { DuplicateKeyError } from '../../../sdk/keyring/keyring.ts';
import { isInteractive, readAll, readHidden } from '../../prompt.ts';
import { keyJson, keyText, warnIfTestBackend } from './format.ts';

export async function run(ctx: CommandContext): Promise<void> {
  const name = arg(ctx, 0);
  const hdPath = stringFlag(ctx, 'hd-path');
  const keyring = await ctx.keyring();
  // Fail before asking for a mnemonic or a passphrase that would be wasted.
  if (await keyring.has(name)) {
    throw new DuplicateKeyError(`a key named '${name}' already exists in ${keyring.path}: pick another name, or delete it first with \`cairn keys delete ${name}\``);
  }
  const mnemonic = booleanFlag(ctx, 'recover') ? await readMnemonic(ctx) : undefined;
  warnIfTestBackend(ctx, keyring);
  const result = await keyring.add(name, {
    ...(mnemonic === undefined ? {} : { mnemonic }),
    ...(hdPath === undefined ? {} : { hdPath }),
  });
  const shown = booleanFlag(ctx, 'no-backup') ? undefined : result.mnemonic;
  ctx.print({
    json: { ...keyJson(result.key), ...(shown === undefined ? {} : { mnemonic: shown }) },
    text: () => {
      const lines = [keyText(result.key, keyring)];
      if (shown !== undefined) {
        lines.push(
          '',
          '**Important** write this mnemonic phrase down and keep it safe. It is the only way to recover',
          'this key if the keyring is lost or its passphrase forgotten; anyone who has it controls the funds.',
          '',
          shown,
        );
      }
      return lines.join('\n');
    },
  });
}

/** The mnemonic for --recover: a hidden prompt in a terminal, else all of stdin. */
export async function readMnemonic(ctx: CommandContext): Promise<string> {
  const text = isInteractive(ctx.io) ? await readHidden(ctx.io, 'Enter the mnemonic to recover: ') : await readAll(ctx.io);
  if (text.trim() === '') {
    throw new CliError('no mnemonic given on stdin: pipe it in, e.g. `cairn keys add bob --recover < bob.mnemonic`');
  }
  return text;
}
