// State sync on real CometBFT: a new node joins a running 4-validator localnet from a snapshot
// instead of replaying its blocks, verified against the light client's app hash, and then follows
// the chain. The one peer it first knows serves corrupted chunks (a bad disk, a lying peer): the new
// node refuses them, names that peer, and takes the chunk from the honest peers once it meets them.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Localnet } from '../localnet/index.ts';
import { editAppConfig } from '../node/config.ts';
import { configure, peerAddress } from '../node/cometbft/config.ts';
import { rpcCall } from '../node/cometbft/rpc.ts';
import { snapshotsDir } from '../node/snapshots/index.ts';
import { eventually, latestHeight, signer } from './support/localnet.ts';
import { testWallet } from './support/wallets.ts';
import { testDir } from './support/test-dirs.ts';

const INTERVAL = 20;
const CLI = join(import.meta.dirname, '..', 'cli', 'cairn.ts');
const run = promisify(execFile);
let net: Localnet | undefined;

afterAll(async () => {
  await net?.down({ reset: true });
});

async function appLog(home: string): Promise<string> {
  return readFile(join(home, 'app.log'), 'utf8').catch(() => '');
}

/** The first JSON log entry of the app (one object per line) whose message is `msg`. */
async function logEntry(home: string, msg: string): Promise<Record<string, unknown> | undefined> {
  for (const line of (await appLog(home)).split('\n')) {
    if (!line.startsWith('{')) continue; // a stack trace's lines, CometBFT's output
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry['msg'] === msg) return entry;
  }
  return undefined;
}

async function snapshotHeights(home: string): Promise<number[]> {
  const dir = snapshotsDir(home);
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((d) => /^\d+$/.test(d)).map(Number);
}

/** Flips a byte of chunk 0 of every snapshot `home` writes, until stopped. */
function corruptEverySnapshot(home: string): { stop(): Promise<void> } {
  const done = new Set<number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const h of await snapshotHeights(home)) {
        if (done.has(h)) continue;
        const file = join(snapshotsDir(home), String(h), 'chunk-0');
        const bytes = await readFile(file).catch(() => undefined);
        if (bytes === undefined) continue;
        bytes[bytes.length - 1]! ^= 0xff;
        await writeFile(file, bytes);
        done.add(h);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe('state sync', () => {
  it('a new node joins from a snapshot, refuses corrupt chunks, and follows the chain', async () => {
    net = await Localnet.create({ dir: join(await testDir('cairn-statesync-'), 'net'), validators: 4 });
    for (const n of net.nodes) {
      await editAppConfig(n.home, [
        { section: 'state-sync', key: 'snapshot-interval', value: INTERVAL },
        { section: 'state-sync', key: 'snapshot-keep-recent', value: 10 },
      ]);
    }
    const liar = corruptEverySnapshot(net.node('node0').home);
    try {
      await net.up({ timeoutMs: 120_000, killOnExit: true });
      const rpc = net.rpcUrl('node1');
      const faucet = await signer(rpc, net.manifest.faucet.mnemonic);
      const receiver = (await testWallet(3)).address;
      const sent = await faucet.client.sendTokens(faucet.address, receiver, [{ denom: 'ucairn', amount: '12345' }], 'auto');
      expect(sent.code).toBe(0);
      await eventually(`a snapshot at height ${INTERVAL} on every validator`, 120_000, async () => {
        const all = await Promise.all(net!.nodes.map((n) => snapshotHeights(n.home)));
        return all.every((h) => h.includes(INTERVAL)) ? true : undefined;
      });

      // A new full node, set up to state sync as an operator would (`cairn statesync`): it trusts a
      // recent header two RPC endpoints agree on. At first it knows only node0, the liar.
      const joiner = await net.addNode();
      const { stdout } = await run(process.execPath, [CLI, 'statesync', rpc, net.rpcUrl('node2'), '--home', joiner.home, '-o', 'json'], { timeout: 60_000 });
      const setUp = JSON.parse(stdout) as { trust_height: number; trust_hash: string };
      expect(setUp.trust_height).toBeGreaterThanOrEqual(INTERVAL);
      expect(setUp.trust_hash).toMatch(/^[0-9A-F]{64}$/);
      const node0 = net.node('node0');
      await configure(joiner.home, {
        statesync: { discoveryTimeMs: 5_000 }, // CometBFT's minimum; the default is 15 s
        p2p: { persistentPeers: [peerAddress(node0.nodeId, '127.0.0.1', node0.ports.p2p)], pex: false },
        rpc: { unsafe: true }, // for dial_peers below
      });
      await net.startNode(joiner.name, { timeoutMs: 120_000 });

      const refused = await eventually('the new node to refuse the liar’s chunk', 120_000, () => logEntry(joiner.home, 'refused a snapshot chunk that does not match its hash; fetching it from another peer'));
      expect(refused['sender']).toBe(node0.nodeId);
      expect(await appLog(joiner.home)).not.toMatch(/state restored from a snapshot/);
      // It meets the honest validators and takes the chunk from them.
      const honest = ['node1', 'node2', 'node3'].map((name) => net!.node(name)).map((n) => peerAddress(n.nodeId, '127.0.0.1', n.ports.p2p));
      await rpcCall(net.rpcUrl(joiner.name), 'dial_peers', { peers: honest, persistent: true });
      const restored = await eventually('the new node to restore a snapshot', 120_000, () => logEntry(joiner.home, 'state restored from a snapshot'));
      const height = Number(restored['height']);
      expect(height % INTERVAL).toBe(0);

      // It follows the chain from there, and has no block below the snapshot (it did not replay them).
      const target = (await latestHeight(rpc)) + 2;
      await net.waitForHeight(target, 120_000, [joiner.name, 'node1']);
      const status = (await rpcCall(net.rpcUrl(joiner.name), 'status', {})) as { sync_info: { earliest_block_height: string } };
      expect(Number(status.sync_info.earliest_block_height)).toBe(height + 1);
      const appHash = async (url: string): Promise<string> => ((await rpcCall(url, 'block', { height: String(target) })) as { block: { header: { app_hash: string } } }).block.header.app_hash;
      expect(await appHash(net.rpcUrl(joiner.name))).toBe(await appHash(rpc));
      // and answers a wallet's query as the validators do.
      const balance = async (url: string): Promise<string> => (await (await signer(url, net!.manifest.faucet.mnemonic)).client.getBalance(receiver, 'ucairn')).amount;
      expect(await balance(net.rpcUrl(joiner.name))).toBe('12345');
    } finally {
      await liar.stop();
    }
  }, 400_000);
});
