// A CometBFT home directory: keys, config.toml and genesis.json, created with the pinned binary.
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCometbft } from './binary.ts';
import { configure } from './config.ts';
import { HomeMismatchError } from './errors.ts';
import { validateChainId } from './genesis.ts';
import { nodeId, readValidatorKey } from './keys.ts';
import type { ValidatorKey } from './keys.ts';

export { configure } from './config.ts';
export type { CometbftSettings } from './config.ts';

export interface InitHomeOptions {
  home: string;
  moniker: string;
  chainId: string;
  /** The caller writes a new genesis next: an existing one of another chain is no reason to stop. */
  replaceGenesis?: boolean;
}

export interface InitHomeResult {
  // false when every key and config file was already there and nothing was generated.
  created: boolean;
  nodeId: string;
  validator: ValidatorKey;
}

const REQUIRED_FILES = [
  'config/config.toml',
  'config/priv_validator_key.json',
  'config/node_key.json',
  'data/priv_validator_state.json',
  'config/genesis.json',
];

// Runs `cometbft init` unless the home already has its keys (existing keys are never replaced: they
// are a validator's identity), then sets the moniker and, in a genesis that init just wrote, the chain id.
// writeGenesis() later replaces that placeholder genesis with the real one.
export async function initHome(opts: InitHomeOptions): Promise<InitHomeResult> {
  const { home, moniker, chainId } = opts;
  validateChainId(chainId);
  const genesisPath = join(home, 'config', 'genesis.json');
  const hadGenesis = existsSync(genesisPath);
  const missing = REQUIRED_FILES.filter((f) => !existsSync(join(home, f)));
  if (missing.length > 0) await runCometbft(['init', '--home', home]);

  const genesis = (hadGenesis && opts.replaceGenesis === true ? {} : JSON.parse(await readFile(genesisPath, 'utf8'))) as { chain_id?: unknown };
  if (!hadGenesis) {
    genesis.chain_id = chainId;
    const tmp = `${genesisPath}.tmp-${process.pid}`;
    await writeFile(tmp, `${JSON.stringify(genesis, null, 2)}\n`, 'utf8');
    await rename(tmp, genesisPath);
  } else if (genesis.chain_id !== chainId && opts.replaceGenesis !== true) {
    throw new HomeMismatchError(
      `${home} already holds a genesis for chain ${JSON.stringify(genesis.chain_id)}, not ${JSON.stringify(chainId)}. ` +
        'Use another home directory, or delete this one if its chain is no longer needed.',
    );
  }
  await configure(home, { moniker });
  return { created: missing.length > 0, nodeId: await nodeId(home), validator: await readValidatorKey(home) };
}
