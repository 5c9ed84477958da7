// A fresh node home on loopback ports for integration tests, funded like a real genesis would be.
import { addGenesisAccount, defaultAppState } from '../../node/genesis.ts';
import { initNodeHome } from '../../cli/commands/init.ts';
import { freePorts } from '../../node/cometbft/ports.ts';
import { toBech32 } from '@cosmjs/encoding';
import { createHash } from 'node:crypto';
import { testDir } from './test-dirs.ts';

/** The genesis validator's operator: an account no test signs for, so test balances stay as funded. */
export const TEST_OPERATOR = toBech32('cairn', createHash('sha256').update('cairn-test-operator').digest().subarray(0, 20));
export const TEST_SELF_BOND = 100_000_000n;

export interface TestHome {
  readonly home: string;
  readonly chainId: string;
  readonly rpcUrl: string;
  readonly abciAddress: string;
}

/** `base`: the app_state to fund (the default genesis unless given). */
export async function createTestHome(funded: readonly { address: string; amount: bigint }[], chainId = 'cairn-it-1', base = defaultAppState()): Promise<TestHome> {
  const home = await testDir('cairn-it-');
  const [rpc, p2p, abci] = (await freePorts(3)) as [number, number, number];
  let appState = base;
  for (const f of funded) appState = addGenesisAccount(appState, f.address, [{ denom: 'ucairn', amount: f.amount }]);
  appState = addGenesisAccount(appState, TEST_OPERATOR, [{ denom: 'ucairn', amount: TEST_SELF_BOND }]);
  await initNodeHome({
    home,
    chainId,
    moniker: 'it',
    overwriteGenesis: true,
    appState,
    ports: { rpc, p2p, abci },
    blockTimeMs: 300,
    appConfig: { checkInvariants: true, pruningKeepRecent: 0 },
    validator: { operator: TEST_OPERATOR, selfBond: TEST_SELF_BOND },
  });
  return { home, chainId, rpcUrl: `http://127.0.0.1:${rpc}`, abciAddress: `tcp://127.0.0.1:${abci}` };
}
