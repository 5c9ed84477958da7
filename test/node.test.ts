// The node process as a validator meets it: one node per home, clear errors, clean stops.
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { createTestHome } from './support/node-home.ts';

const running: RunningNode[] = [];
afterAll(async () => {
  for (const n of running) await n.stop();
});

describe('a node home', () => {
  it('refuses a second node on the same home with a message that says why', async () => {
    const home = await createTestHome([]);
    running.push(await startNode({ home: home.home, logger: silentLogger, withCometbft: false }));
    await expect(startNode({ home: home.home, logger: silentLogger, withCometbft: false, config: { abciAddress: 'tcp://127.0.0.1:0' } })).rejects.toThrow(
      /another Cairn node is already running on .* \(its database is locked\)/,
    );
  });
});
