// A localnet wires its nodes' libp2p hosts together on loopback: every node listens on its own
// port with a persistent identity and has the others as bootstrap peers.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Localnet } from '../localnet/index.ts';
import { readAppConfig } from '../node/config.ts';
import type { P2pHost } from '../node/p2p/host.ts';
import { MemoryChain, eventually, startTestHost } from './support/p2p.ts';
import { receiptsTopic } from '../node/p2p/topics.ts';
import { testDir } from './support/test-dirs.ts';

const CLI = join(import.meta.dirname, '..', 'cli', 'cairn.ts');
const run = promisify(execFile);
let dir = '';
let probe: P2pHost | undefined;

afterAll(async () => {
  await probe?.stop();
  if (dir !== '' && existsSync(join(dir, 'localnet.json'))) await (await Localnet.open(dir)).down({ reset: true });
});

describe('localnet gossip', () => {
  it('every node runs libp2p with the other nodes as bootstrap peers, subscribed to the chain’s receipts topic', async () => {
    dir = join(await testDir('cairn-p2p-localnet-'), 'net');
    await run(process.execPath, [CLI, 'localnet', 'up', '--validators', '2', '--block-time', '300', '--dir', dir, '-o', 'json'], { timeout: 120_000 });
    const net = await Localnet.open(dir);
    const [c0, c1] = await Promise.all(net.nodes.map((n) => readAppConfig(n.home)));
    expect(c0!.p2pEnabled && c1!.p2pEnabled).toBe(true);
    // node1's bootstrap entry is node0's listen address with node0's peer id, and the reverse.
    expect(c1!.p2pBootstrap[0]).toContain(c0!.p2pListen[0]!);
    expect(c0!.p2pBootstrap[0]).toContain(c1!.p2pListen[0]!);
    const chainId = net.manifest.chainId;
    probe = await startTestHost(new MemoryChain(chainId), { bootstrap: [...c0!.p2pBootstrap, ...c1!.p2pBootstrap] });
    const topic = receiptsTopic(chainId);
    await eventually('both nodes subscribed to the receipts topic', () => probe!.pubsub.getSubscribers(topic).length === 2, 30_000);
  }, 120_000);
});
