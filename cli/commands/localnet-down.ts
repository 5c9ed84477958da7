// `cairn localnet down [--reset]`: stops every process the localnet started (by its recorded pid);
// --reset also deletes the localnet's directory, so the next `up` creates a new chain.
import { Localnet } from '../../localnet/index.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { booleanFlag } from '../context.ts';
import { dirOption, localnetDir } from './localnet-dir.ts';

const command: CommandModule = {
  description: 'Stop the localnet\'s apps and CometBFT nodes (by the process ids `up` recorded); --reset also wipes its data.',
  options: { reset: { type: 'boolean', description: 'delete the localnet directory: homes, keys, chain data' }, ...dirOption },
  examples: ['cairn localnet down', 'cairn localnet down --reset'],
  async run(ctx: CommandContext) {
    const dir = localnetDir(ctx);
    const net = await Localnet.open(dir);
    const reset = booleanFlag(ctx, 'reset');
    const wasRunning = net.nodes.filter((n) => {
      const r = net.isRunning(n.name);
      return r.app || r.cometbft;
    }).length;
    await net.down({ reset });
    ctx.print({ json: { dir, stopped: wasRunning, reset }, text: `stopped ${wasRunning} node(s)${reset ? ` and removed ${dir}` : ''}` });
  },
};

export const { run, options, description, examples } = command;
