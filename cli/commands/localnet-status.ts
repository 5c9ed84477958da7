// `cairn localnet status`: each node's height, app hash, voting power, peers and processes.
import { Localnet } from '../../localnet/index.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { table } from '../output.ts';
import { playgroundJson, playgroundText } from './playground-view.ts';
import { dirOption, localnetDir } from './localnet-dir.ts';

const command: CommandModule = {
  description: 'Show every localnet node (height, app hash, voting power, peers, whether its app and CometBFT run) and its GPU operators and payer.',
  options: dirOption,
  examples: ['cairn localnet status', 'cairn localnet status --output json'],
  async run(ctx: CommandContext) {
    const net = await Localnet.open(localnetDir(ctx));
    const reports = await net.status();
    const playground = net.manifest.playground === undefined ? undefined : { playground: net.manifest.playground, ...(await net.operators()) };
    const running = (r: (typeof reports)[number]): string =>
      r.running.app && r.running.cometbft ? 'running' : r.running.app || r.running.cometbft ? `partly (app ${r.running.app ? 'up' : 'down'}, cometbft ${r.running.cometbft ? 'up' : 'down'})` : 'stopped';
    const agree = new Set(reports.filter((r) => r.appHash !== undefined).map((r) => `${r.height}/${r.appHash}`));
    ctx.print({
      json: { dir: net.dir, chain_id: net.chainId, nodes: reports, playground: playground === undefined ? null : playgroundJson(playground) },
      text: () =>
        table(
          ['node', 'height', 'app hash', 'power', 'peers', 'processes', 'RPC', 'REST API'],
          reports.map((r) => [
            r.name,
            r.height === undefined ? '-' : String(r.height),
            r.appHash === undefined ? '-' : `${r.appHash.slice(0, 12)}…`,
            r.votingPower === undefined ? '-' : r.votingPower.toString(),
            r.peers === undefined ? '-' : String(r.peers),
            running(r),
            r.rpc,
            r.api ?? '-',
          ]),
        ) +
        (agree.size === 1 ? '\n\nall answering nodes are at the same height and app hash' : '') +
        (playground === undefined ? '' : `\n\n${playgroundText(playground)}`),
    });
  },
};

export const { run, options, description, examples } = command;
