// cairn keys delete <name> [--yes]
import { arg, booleanFlag } from '../../context.ts';
import type { CommandContext } from '../../context.ts';
import { CliError } from '../../errors.ts';
import { confirm, isInteractive } from '../../prompt.ts';

export async function run(ctx: CommandContext): Promise<void> {
  const name = arg(ctx, 0);
  const keyring = await ctx.keyring();
  const key = await keyring.show(name);
  if (!booleanFlag(ctx, 'yes')) {
    if (!isInteractive(ctx.io)) {
      throw new CliError(`refusing to delete key '${key.name}' without confirmation: stdin is not a terminal; pass --yes`);
    }
    const ok = await confirm(ctx.io, `Delete key '${key.name}' (${key.address})? Only its mnemonic can bring it back.`);
    if (!ok) throw new CliError(`kept key '${key.name}': deletion not confirmed`);
  }
  await keyring.delete(key.name);
  ctx.print({
    json: { deleted: key.name, address: key.address },
    text: `Deleted key '${key.name}' (${key.address}).`,
  });
}
