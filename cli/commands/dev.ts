// `cairn dev` (what `npm start` runs): a single-validator dev chain in one command. The first run
// creates the home with the documented dev account funded, a `dev` key in the test keyring and the
// public dev verifier trusted (sdk/registry/dev-verifier.ts); later runs continue the same chain.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_BALANCE, DEV_MNEMONIC, addGenesisAccount, defaultAppState, trustDevVerifier } from '../../node/genesis.ts';
import { devVerifierHex } from '../../sdk/registry/dev-verifier.ts';
import { Keyring } from '../../sdk/keyring/keyring.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { stringFlag } from '../context.ts';
import { UsageError } from '../errors.ts';
import { defaultPorts, initNodeHome, setNodePorts } from './init.ts';
import { serve } from './start.ts';

export const DEV_CHAIN_ID = 'cairn-dev-1';
/** The dev account bonds 1,000,000 CAIRN to the dev node's validator (voting power 1,000,000). */
export const DEV_SELF_BOND = 1_000_000_000_000n;

/** The highest offset that keeps every port (the last is metrics, 26661) at or below 65535. */
const MAX_PORT_OFFSET = 65535 - defaultPorts().metrics;

function portOffset(ctx: CommandContext): number | undefined {
  const text = stringFlag(ctx, 'port-offset');
  if (text === undefined) return undefined;
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n <= MAX_PORT_OFFSET)) throw new UsageError(`--port-offset must be a whole number from 0 to ${MAX_PORT_OFFSET}, got "${text}"`);
  return n;
}

const command: CommandModule = {
  description: `Start a single-validator dev chain (chain id ${DEV_CHAIN_ID}) with a funded dev account; Ctrl-C stops it, the next run continues it.`,
  options: {
    'port-offset': {
      type: 'string',
      valueName: 'n',
      description: 'listen on the default ports plus n (RPC 26657+n, …), e.g. beside a running chain; kept in the home',
    },
  },
  examples: ['cairn dev --home .dev', 'npm start', 'cairn dev --home .dev2 --port-offset 100    # RPC on 26757'],
  async run(ctx: CommandContext) {
    const home = ctx.global.home;
    const offset = portOffset(ctx);
    const keyring = new Keyring({ dir: home, backend: 'test' });
    if (!existsSync(join(home, 'config', 'genesis.json'))) {
      ctx.note(`creating a dev chain in ${home}`);
      const key = (await keyring.has('dev')) ? await keyring.show('dev') : (await keyring.add('dev', { mnemonic: DEV_MNEMONIC })).key;
      const appState = trustDevVerifier(addGenesisAccount(defaultAppState(), key.address, [{ denom: 'ucairn', amount: DEV_BALANCE }]));
      await initNodeHome({
        home,
        chainId: DEV_CHAIN_ID,
        moniker: 'dev',
        overwriteGenesis: true,
        appState,
        validator: { operator: key.address, selfBond: DEV_SELF_BOND },
        ports: defaultPorts(offset ?? 0),
        note: (m) => ctx.note(m),
      });
    } else if (offset !== undefined) {
      await setNodePorts(home, defaultPorts(offset));
    }
    const dev = await keyring.show('dev');
    await serve(ctx, {
      withCometbft: true,
      config: {},
      portHint: 'or run `cairn dev --port-offset 100` to move all of this dev chain\'s ports up by 100',
      banner: [
        ['dev account', dev.address],
        ['dev key', `"dev" in ${home}/keyring-test (mnemonic in README.md)`],
        ['dev verifier', `${devVerifierHex()} (trusted here; its key is public: \`cairn verifier … --dev\` signs with it)`],
      ],
    });
  },
};

export const { run, options, description, examples } = command;
