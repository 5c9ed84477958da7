import { describe, expect, it } from 'vitest';
import { CommitStore } from '../core/store/commit-store.ts';
import { CairnApp } from '../node/app.ts';
import { silentLogger } from '../node/log.ts';
import { bankTypes } from './bank/messages.ts';
import { cairnRegistry } from './cosmjs-registry.ts';
import { distributionTypes } from './distribution/messages.ts';
import { slashingTypes } from './slashing/messages.ts';
import { stakingTypes } from './staking/messages.ts';

describe('cairnRegistry', () => {
  // A type missing here fails only at broadcast: the CLI or the node's own signers (watcher
  // challenges, forgery reports, availability reports) could not encode it.
  it('encodes every message a module of the app handles', async () => {
    const app = new CairnApp({ store: await CommitStore.memory(), logger: silentLogger });
    const handled = app.modules.flatMap((m) => m.msgs.map((h) => h.typeUrl));
    expect(handled.length).toBeGreaterThan(40);
    const registry = cairnRegistry();
    expect(handled.filter((typeUrl) => registry.lookupType(typeUrl) === undefined)).toEqual([]);
  });

  it('round-trips a Cairn message through its Any', () => {
    const registry = cairnRegistry();
    const any = registry.encodeAsAny({ typeUrl: '/cairn.royalty.v1.MsgUpdateParams', value: { authority: 'cairn1x', params: undefined } });
    expect(registry.decode(any)).toMatchObject({ authority: 'cairn1x' });
  });

  it('spells each Cosmos message type URL as cosmjs-types does', () => {
    for (const [typeUrl, type] of [...bankTypes, ...stakingTypes, ...distributionTypes, ...slashingTypes]) {
      expect((type as { typeUrl?: string }).typeUrl).toBe(typeUrl);
    }
  });
});
