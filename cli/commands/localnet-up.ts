// `cairn localnet up [--validators N]`: creates N validator homes with one shared genesis (first run)
// and starts one app + one CometBFT per node in the background, logging to <home>/app.log and
// <home>/cometbft.log. Returns once every node has produced a block.
import { existsSync } from 'node:fs';
import { Localnet, libp2pAddress } from '../../localnet/index.ts';
import { manifestPath } from '../../localnet/manifest.ts';
import { devVerifierHex } from '../../sdk/registry/dev-verifier.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { stringFlag } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { fields, table } from '../output.ts';
import { playgroundJson, playgroundText } from './playground-view.ts';
import { dirOption, localnetDir } from './localnet-dir.ts';

function wholeNumber(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`--${name} "${text}" must be a whole number from ${min} to ${max}`);
  return Number(text);
}

/** GPU operators a new localnet gets unless --operators says otherwise. */
const DEFAULT_OPERATORS = 1;

const command: CommandModule = {
  description:
    'Start a multi-validator network on this machine (127.0.0.1, distinct ports). The first run creates it:\n' +
    'N node homes, an operator key per validator (key "validator" in each home\'s test keyring), a funded\n' +
    'faucet (key "faucet" in <dir>/keyring-test), one genesis with every validator, and persistent peers.\n' +
    'Later runs restart the same network. Processes run in the background until `cairn localnet down`.',
  options: {
    validators: { type: 'string', valueName: 'n', description: 'number of validators when creating (default 4)' },
    operators: { type: 'string', valueName: 'm', description: `GPU operators to register when creating, with a model, an adapter and a funded payer (default ${DEFAULT_OPERATORS}; 0 for none)` },
    'block-time': { type: 'string', valueName: 'ms', description: 'pause between blocks when creating (default 1000)' },
    'upgrade-handler': { type: 'string', multiple: true, valueName: 'name', description: 'start the apps with this upgrade handler registered (after an upgrade halt; e.g. test-migration)' },
    ...dirOption,
  },
  examples: ['cairn localnet up', 'cairn localnet up --validators 7 --block-time 500', 'cairn localnet up --dir /tmp/net'],
  async run(ctx: CommandContext) {
    const dir = localnetDir(ctx);
    const validators = wholeNumber(stringFlag(ctx, 'validators'), 'validators', 1, 50);
    const operators = wholeNumber(stringFlag(ctx, 'operators'), 'operators', 0, 50);
    const blockTimeMs = wholeNumber(stringFlag(ctx, 'block-time'), 'block-time', 1, 60_000);
    const started = performance.now();
    let net: Localnet;
    if (existsSync(manifestPath(dir))) {
      net = await Localnet.open(dir);
      if (validators !== undefined && validators !== net.nodes.filter((n) => n.operator !== undefined).length) {
        ctx.warn(`the localnet in ${dir} already exists with its own validators; --validators applies when creating (use \`cairn localnet down --reset\` first)`);
      }
      if (operators !== undefined && operators !== (net.manifest.playground?.operators.length ?? 0)) {
        ctx.warn(`the localnet in ${dir} already exists with its own operators; --operators applies when creating (use \`cairn localnet down --reset\` first)`);
      }
    } else {
      ctx.note(`creating a localnet in ${dir}`);
      net = await Localnet.create({
        dir,
        ...(validators === undefined ? {} : { validators }),
        operators: operators ?? DEFAULT_OPERATORS,
        ...(blockTimeMs === undefined ? {} : { blockTimeMs }),
        ...(ctx.global.chainId === undefined ? {} : { chainId: ctx.global.chainId }),
        note: (m) => ctx.note(m),
      });
    }
    try {
      const handlers = ctx.flags['upgrade-handler'];
      await net.up({ upgradeHandlers: Array.isArray(handlers) ? handlers.filter((h): h is string => typeof h === 'string') : [] });
    } catch (err) {
      throw new CliError(`the localnet did not come up: ${(err as Error).message}. Logs are in each node's home; stop what started with \`cairn localnet down --dir ${dir}\``);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    // The hints must work as printed: name the directory unless it is the default.
    const dirFlag = stringFlag(ctx, 'dir') === undefined ? '' : ` --dir ${dir}`;
    const nodes = await Promise.all(
      net.nodes.map(async (n) => ({ name: n.name, rpc: `http://127.0.0.1:${n.ports.rpc}`, libp2p: (await libp2pAddress(n)) ?? null, home: n.home, validator: n.operator?.address ?? null, pids: n.pids })),
    );
    const playground = net.manifest.playground === undefined ? undefined : { playground: net.manifest.playground, ...(await net.operators()) };
    ctx.print({
      json: { dir, chain_id: net.chainId, seconds: Number(seconds), faucet: net.manifest.faucet.address, dev_verifier: devVerifierHex(), nodes, playground: playground === undefined ? null : playgroundJson(playground) },
      text: () =>
        fields([
          ['dir', dir],
          ['chain id', net.chainId],
          ['up in', `${seconds} s`],
          ['faucet', `${net.manifest.faucet.address} (key "faucet" in ${dir}/keyring-test)`],
          ['dev verifier', `${devVerifierHex()} (trusted; public key, dev only: \`cairn verifier … --dev\`)`],
        ]) +
        '\n\n' +
        table(['node', 'RPC', 'operator', 'home'], nodes.map((n) => [n.name, n.rpc, n.validator ?? '(full node)', n.home])) +
        (nodes[0]?.libp2p ? `\n\nlibp2p (for \`cairn receipts publish --peer\`): ${nodes.map((n) => `${n.name} ${n.libp2p ?? '(off)'}`).join(', ')}` : '') +
        (playground === undefined ? '' : `\n\n${playgroundText(playground)}\n\nSign, batch and submit receipts as in docs/operator-guide.md, sections 14-17.`) +
        `\n\nNext: \`cairn localnet status${dirFlag}\`, \`cairn status --node ${nodes[0]?.rpc ?? ''}\`, \`cairn localnet down${dirFlag}\`.`,
    });
  },
};

export const { run, options, description, examples } = command;
