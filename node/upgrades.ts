// The upgrade handlers (state migrations) this build knows, by upgrade plan name: the registry a
// release extends when it ships an upgrade (modules/upgrade README, docs/validator-guide.md
// "Upgrades"). At a plan's height a node whose build registers the name migrates and carries on;
// any other stops there. A build that registers a name whose plan the chain has not reached refuses
// to start.
import * as authKeys from '../modules/auth/keys.ts';
import type { UpgradeHandler } from '../modules/upgrade/index.ts';

/** The handlers every node of this build registers. None yet: the chain has had no upgrade. */
const RELEASE_UPGRADES: ReadonlyMap<string, UpgradeHandler> = new Map();

/**
 * "test-migration", registered only on request (`cairn start --upgrade-handler test-migration`), to
 * rehearse an upgrade on a test chain or localnet: it doubles auth's max_memo_characters, a change
 * anyone can see with `cairn query auth params` or the Params query.
 */
const testMigration: UpgradeHandler = async (ctx) => {
  const current = await authKeys.params.get(ctx.store);
  if (current === undefined) throw new Error('test-migration: auth params are missing');
  authKeys.params.set(ctx.store, { ...current, maxMemoCharacters: current.maxMemoCharacters * 2n });
};

const ON_REQUEST: ReadonlyMap<string, UpgradeHandler> = new Map([['test-migration', testMigration]]);

export class UnknownUpgradeHandlerError extends Error {
  override readonly name = 'UnknownUpgradeHandlerError';
}

/** This build's handlers plus those named in `requested` (from ON_REQUEST); an unknown name is refused. */
export function upgradeHandlers(requested: readonly string[] = []): Map<string, UpgradeHandler> {
  const out = new Map(RELEASE_UPGRADES);
  for (const name of requested) {
    const handler = ON_REQUEST.get(name) ?? RELEASE_UPGRADES.get(name);
    if (handler === undefined) {
      const known = [...RELEASE_UPGRADES.keys(), ...ON_REQUEST.keys()].join(', ');
      throw new UnknownUpgradeHandlerError(`this build has no upgrade handler named "${name}" (it knows: ${known})`);
    }
    out.set(name, handler);
  }
  return out;
}
