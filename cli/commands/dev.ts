// `cairn dev` (what `npm start` runs): a single-validator dev chain in one command. The first run
// creates the home with the documented dev account funded, a `dev` key in the test keyring and the
// public dev verifier trusted (sdk/registry/dev-verifier.ts); later runs continue the same chain.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_BALANCE, DEV_MNEMONIC, addGenesisAccount, defaultAppState, trustDevVerifier } from '../../node/genesis.ts';
import { devVerifierHex } from '../../sdk/registry/dev-verifier.ts';
import { Keyring } from '../../sdk/keyring/keyring.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { initNodeHome } from './init.ts';
import { serve } from './start.ts';

export const DEV_CHAIN_ID = 'cairn-dev-1';
/** The dev account bonds 1,000,000 CAIRN to the dev node's validator (voting power 1,000,000). */
export const DEV_SELF_BOND = 1_000_000_000_000n;

const command: CommandModule = {
  description: `Start a single-validator dev chain (chain id ${DEV_CHAIN_ID}) with a funded dev account; Ctrl-C stops it, the next run continues it.`,
  examples: ['cairn dev --home .dev', 'npm start'],
  async run(ctx: CommandContext) {
    const home = ctx.global.home;
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
        note: (m) => ctx.note(m),
      });
    }
    const dev = await keyring.show('dev');
    await serve(ctx, {
      withCometbft: true,
      config: {},
      banner: [
        ['dev account', dev.address],
        ['dev key', `"dev" in ${home}/keyring-test (mnemonic in README.md)`],
        ['dev verifier', `${devVerifierHex()} (trusted here; its key is public: \`cairn verifier … --dev\` signs with it)`],
      ],
    });
  },
};

export const { run, description, examples } = command;
