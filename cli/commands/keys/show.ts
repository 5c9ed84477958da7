// cairn keys show <name> [--address]
import { arg, booleanFlag } from '../../context.ts';
import type { CommandContext } from '../../context.ts';
import { keyJson, keyText } from './format.ts';

export async function run(ctx: CommandContext): Promise<void> {
  const keyring = await ctx.keyring();
  const key = await keyring.show(arg(ctx, 0));
  if (booleanFlag(ctx, 'address')) {
    ctx.print({ json: { address: key.address }, text: key.address });
    return;
  }
  ctx.print({ json: keyJson(key), text: () => keyText(key, keyring) });
}
