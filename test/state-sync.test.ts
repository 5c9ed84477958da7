// State sync on real CometBFT: a new node joins a running 4-validator localnet from a snapshot
// instead of replaying its blocks, verified against the light client's app hash, and then follows
// the chain. Three of the four validators serve a corrupted chunk (a bad disk, a lying peer): the new
// node refuses it from each, names them, and takes it from the honest one when it comes back.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Localnet } from '../localnet/index.ts';
import { editAppConfig } from '../node/config.ts';
import { configure } from '../node/cometbft/config.ts';
import { rpcCall } from '../node/cometbft/rpc.ts';
import { snapshotsDir } from '../node/snapshots/index.ts';
import { eventually, latestHeight, signer } from './support/localnet.ts';
import { testWallet } from './support/wallets.ts';

const INTERVAL = 20;
let net: Localnet | undefined;

afterAll(async () => {
  await net?.down({ reset: true });
});

async function appLog(home: string): Promise<string> {
  return readFile(join(home, 'app.log'), 'utf8').catch(() => '');
}

async function snapshotHeights(home: string): Promise<number[]> {
  const dir = snapshotsDir(home);
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((d) => /^\d+$/.test(d)).map(Number);
}

describe('state sync', () => {
  it('a new node joins from a snapshot, refuses corrupt chunks, and follows the chain', async () => {
    net = await Localnet.create({ dir: join(await mkdtemp(join(tmpdir(), 'cairn-statesync-')), 'net'), validators: 4 });
    for (const n of net.nodes) await editAppConfig(n.home, [{ section: 'state-sync', key: 'snapshot-interval', value: INTERVAL }]);
    await net.up({ timeoutMs: 120_000, killOnExit: true });
    const rpc = net.rpcUrl('node0');
    const faucet = await signer(rpc, net.manifest.faucet.mnemonic);
    const receiver = (await testWallet(3)).address;
    const sent = await faucet.client.sendTokens(faucet.address, receiver, [{ denom: 'ucairn', amount: '12345' }], 'auto');
    expect(sent.code).toBe(0);

    // The first snapshot, on every validator.
    await eventually(`a snapshot at height ${INTERVAL} on every validator`, 120_000, async () => {
      const all = await Promise.all(net!.nodes.map((n) => snapshotHeights(n.home)));
      return all.every((h) => h.includes(INTERVAL)) ? true : undefined;
    });
    // node3 stops (the other three keep the chain going); the others' copy of chunk 0 goes bad.
    await net.stopNode('node3');
    for (const name of ['node0', 'node1', 'node2']) {
      const file = join(snapshotsDir(net.node(name).home), String(INTERVAL), 'chunk-0');
      const bytes = await readFile(file);
      bytes[bytes.length - 1]! ^= 0xff;
      await writeFile(file, bytes);
    }

    // A new full node, told to state sync, trusting a recent header from node0.
    const joiner = await net.addNode();
    const trustHeight = await latestHeight(rpc);
    const block = (await rpcCall(rpc, 'block', { height: String(trustHeight) })) as { block_id: { hash: string } };
    await configure(joiner.home, {
      statesync: { enable: true, rpcServers: [rpc, net.rpcUrl('node1')], trustHeight, trustHash: block.block_id.hash, trustPeriodMs: 168 * 3600_000, discoveryTimeMs: 5_000 },
    });
    await net.startNode(joiner.name, { timeoutMs: 120_000 });

    // It refuses the bad chunk from each of the three and is left without a peer to take it from…
    await eventually('the new node to refuse the corrupt chunk from all three', 120_000, async () => {
      const refusals = (await appLog(joiner.home)).match(/refused a snapshot chunk that does not match its hash/g) ?? [];
      return refusals.length >= 3 ? true : undefined;
    });
    expect(await appLog(joiner.home)).not.toMatch(/state restored from a snapshot/);
    // …until node3, which has it whole, comes back.
    await net.startNode('node3', { timeoutMs: 120_000 });
    const restored = await eventually('the new node to restore the snapshot', 120_000, async () => /state restored from a snapshot.*/.exec(await appLog(joiner.home))?.[0]);
    expect(restored).toContain(`height=${INTERVAL}`);

    // It follows the chain from there, and has no block below the snapshot (it did not replay them).
    const target = (await latestHeight(rpc)) + 2;
    await net.waitForHeight(target, 120_000, [joiner.name, 'node0']);
    const status = (await rpcCall(net.rpcUrl(joiner.name), 'status', {})) as { sync_info: { earliest_block_height: string } };
    expect(Number(status.sync_info.earliest_block_height)).toBe(INTERVAL + 1);
    const appHash = async (url: string): Promise<string> => ((await rpcCall(url, 'block', { height: String(target) })) as { block: { header: { app_hash: string } } }).block.header.app_hash;
    expect(await appHash(net.rpcUrl(joiner.name))).toBe(await appHash(rpc));
    // and answers a wallet's query as the validators do.
    const balance = async (url: string): Promise<string> => (await (await signer(url, net!.manifest.faucet.mnemonic)).client.getBalance(receiver, 'ucairn')).amount;
    expect(await balance(net.rpcUrl(joiner.name))).toBe('12345');
  }, 400_000);
});
