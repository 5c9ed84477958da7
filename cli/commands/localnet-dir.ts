// Where `cairn localnet …` keeps its network: --dir, else <repo>/.localnet (git-ignored).
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandContext, OptionSpecs } from '../context.ts';
import { stringFlag } from '../context.ts';

export const DEFAULT_LOCALNET_DIR = fileURLToPath(new URL('../../.localnet', import.meta.url));

export const dirOption: OptionSpecs = {
  dir: { type: 'string', valueName: 'path', description: `where the node homes live (default ${join('<repo>', '.localnet')})` },
};

export function localnetDir(ctx: Pick<CommandContext, 'flags'>): string {
  const dir = stringFlag(ctx, 'dir');
  if (dir === undefined) return DEFAULT_LOCALNET_DIR;
  return isAbsolute(dir) ? dir : resolve(dir);
}
