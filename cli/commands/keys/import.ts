// cairn keys import <name> <mnemonic-file> [--hd-path <path>]
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { arg, stringFlag } from '../../context.ts';
import type { CommandContext } from '../../context.ts';
import { CliError, messageOf } from '../../errors.ts';
import { keyJson, keyText, warnIfTestBackend } from './format.ts';

export async function run(ctx: CommandContext): Promise<void> {
  const name = arg(ctx, 0);
  const file = resolve(arg(ctx, 1));
  const hdPath = stringFlag(ctx, 'hd-path');
  let mnemonic: string;
  try {
    mnemonic = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the mnemonic file ${file}: ${messageOf(error)}`);
  }
  if (mnemonic.trim() === '') throw new CliError(`the mnemonic file ${file} is empty`);
  const keyring = await ctx.keyring();
  warnIfTestBackend(ctx, keyring);
  const key = await keyring.import(name, mnemonic, hdPath === undefined ? {} : { hdPath });
  ctx.print({ json: keyJson(key), text: () => keyText(key, keyring) });
}
