// Genesis export: the whole state at a committed height as a genesis file, so a new chain (a
// planned restart, a fork for testing, a network upgrade by new genesis) starts from exactly the
// state the old one had. Each module writes its own section (its genesis `export`), the same JSON
// its `init` reads; the consensus params are those stored at that height; the chain id and genesis
// time come from the home's genesis file, and the new chain starts at the next height, as the
// SDK's `export` does.
import type { QueryContext } from '../core/framework/context.ts';
import { CairnApp } from './app.ts';
import { type GenesisDoc, consensusParamsToJson, readGenesis } from './cometbft/genesis.ts';
import { storedParams } from '../modules/consensus/state.ts';
import { readAppConfig } from './config.ts';
import { silentLogger } from './log.ts';
import { openStore } from './node.ts';

/** Every module's genesis section at `ctx`'s state, as plain JSON (bigints as decimal strings). */
export async function exportAppState(app: CairnApp, ctx: QueryContext): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const m of app.modules) state[m.name] = await m.genesis.export(ctx);
  return JSON.parse(JSON.stringify(state, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
}

export class ExportError extends Error {
  override readonly name = 'ExportError';
}

/**
 * The genesis of a new chain holding this home's state at `height` (default: the last committed
 * one). The node must be stopped (the database is locked while it runs). A height the store has
 * pruned cannot be exported.
 */
export async function exportGenesis(home: string, height?: bigint): Promise<GenesisDoc> {
  const doc = await readGenesis(home);
  const store = await openStore(home, await readAppConfig(home));
  try {
    const app = new CairnApp({ store, logger: silentLogger });
    await app.load();
    const last = store.lastHeight;
    if (last === 0n) throw new ExportError(`${home} has no committed block yet: start the node first`);
    const at = height ?? last;
    if (at < 1n || at > last) throw new ExportError(`height ${at} is not a committed height of ${home} (1 to ${last})`);
    const view = at === last ? store.committed : store.at(at);
    const appState = await exportAppState(app, { store: view, height: at, addresses: app.addresses });
    // The consensus params the chain ran with at that height (governance may have changed them);
    // validators come from the staking section: InitChain hands them to CometBFT.
    const consensusParams = consensusParamsToJson(await storedParams(view));
    return { ...doc, initial_height: (at + 1n).toString(), consensus_params: consensusParams, validators: [], app_hash: '', app_state: appState };
  } finally {
    await store.close();
  }
}
