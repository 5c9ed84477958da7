// cairn keys list
import type { CommandContext } from '../../context.ts';
import { table } from '../../output.ts';
import { keyJson } from './format.ts';

export async function run(ctx: CommandContext): Promise<void> {
  const keyring = await ctx.keyring();
  const keys = await keyring.list();
  ctx.print({
    json: keys.map(keyJson),
    text: () =>
      keys.length === 0
        ? `No keys in the ${keyring.backend} keyring at ${keyring.path}. Create one with \`cairn keys add <name>\`.`
        : table(
            ['NAME', 'ADDRESS', 'HD PATH'],
            keys.map((key) => [key.name, key.address, key.hdPath]),
          ),
  });
}
