// A fresh node home on loopback ports for integration tests, funded like a real genesis would be.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addGenesisAccount, defaultAppState } from '../../genesis/app-state.ts';
import { initNodeHome } from '../../cli/commands/init.ts';
import { freePorts } from '../../node/cometbft/ports.ts';

export interface TestHome {
  readonly home: string;
  readonly chainId: string;
  readonly rpcUrl: string;
  readonly abciAddress: string;
}

export async function createTestHome(funded: readonly { address: string; amount: bigint }[], chainId = 'cairn-it-1'): Promise<TestHome> {
  const home = await mkdtemp(join(tmpdir(), 'cairn-it-'));
  const [rpc, p2p, abci] = (await freePorts(3)) as [number, number, number];
  let appState = defaultAppState();
  for (const f of funded) appState = addGenesisAccount(appState, f.address, [{ denom: 'ucairn', amount: f.amount }]);
  await initNodeHome({
    home,
    chainId,
    moniker: 'it',
    overwriteGenesis: true,
    appState,
    ports: { rpc, p2p, abci },
    blockTimeMs: 300,
    appConfig: { checkInvariants: true, pruningKeepRecent: 0 },
  });
  return { home, chainId, rpcUrl: `http://127.0.0.1:${rpc}`, abciAddress: `tcp://127.0.0.1:${abci}` };
}
