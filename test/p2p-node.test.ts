// The p2p host inside a running node: enabled from app.toml, judging gossip against the node's
// committed chain state, stopped with the node.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_APP_CONFIG, readAppConfig, writeAppConfig } from '../node/config.ts';
import { createLogger, silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import type { P2pHost } from '../node/p2p/host.ts';
import { p2pKeyPath } from '../node/p2p/identity.ts';
import { p2pStorePath } from '../node/p2p/service.ts';
import { MemoryChain, eventually, sealedTestBatch, startTestHost, testAddress, testBatch, testOperator } from './support/p2p.ts';
import { receiptsTopic } from '../node/p2p/topics.ts';
import { createTestHome } from './support/node-home.ts';
import { readFile } from 'node:fs/promises';
import { runCli } from '../cli/main.ts';
import { memoryIo } from './support/cli-io.ts';
import { watcherAddress, readWatcherKey } from '../node/watcher/key.ts';
import { testDir } from './support/test-dirs.ts';

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s();
});

describe('p2p in a node', () => {
  it('reads [p2p] from app.toml', async () => {
    const { home } = await createTestHome([]);
    await writeAppConfig(home, { ...DEFAULT_APP_CONFIG, p2pEnabled: true, p2pListen: ['/ip4/127.0.0.1/tcp/0'], p2pBootstrap: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWabc'] });
    const c = await readAppConfig(home);
    expect(c.p2pEnabled).toBe(true);
    expect(c.p2pListen).toEqual(['/ip4/127.0.0.1/tcp/0']);
    expect(c.p2pBootstrap).toEqual(['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWabc']);
  });

  it('a node with [p2p] enabled judges gossip against its committed state: unknown operators ignored, garbage rejected', async () => {
    const { home } = await createTestHome([]);
    const node: RunningNode = await startNode({ home, logger: silentLogger, withCometbft: true, config: { p2pEnabled: true, p2pListen: ['/ip4/127.0.0.1/tcp/0'] } });
    stops.push(() => node.stop());
    expect(node.p2p).toBeDefined();
    expect(existsSync(p2pStorePath(home))).toBe(true);
    await eventually('the first block', () => node.app.store.lastHeight >= 1n, 30_000);
    const chainId = node.app.chainId;
    const chain = new MemoryChain(chainId);
    const peer: P2pHost = await startTestHost(chain, { bootstrap: node.p2p!.host.addresses() });
    stops.push(() => peer.stop());
    const topic = receiptsTopic(chainId);
    await eventually('a mesh with the node', () => peer.pubsub.getMeshPeers(topic).includes(node.p2p!.host.peerId));
    const stranger = testOperator('not-on-chain');
    await peer.pubsub.publish(topic, sealedTestBatch(stranger, testBatch(stranger, 2), node.app.store.lastHeight, chainId));
    await eventually('the unknown operator ignored', () => node.p2p!.host.counters.ignored === 1);
    await peer.pubsub.publish(topic, Uint8Array.of(0xff, 0xff, 0xff));
    await eventually('the garbage rejected', () => node.p2p!.host.counters.rejected === 1);
  }, 60_000);

  it('a node with [watcher] enabled runs a watcher with its own key that reads pending batches through the app', async () => {
    const { home } = await createTestHome([]);
    await writeFile(join(home, 'config', 'watcher_key.hex'), '11'.repeat(32));
    const node: RunningNode = await startNode({ home, logger: silentLogger, withCometbft: true, config: { p2pEnabled: true, p2pListen: ['/ip4/127.0.0.1/tcp/0'], watcherEnabled: true } });
    stops.push(() => node.stop());
    expect(node.watcher?.address).toMatch(/^cairn1/);
    await eventually('the first block', () => node.app.store.lastHeight >= 1n, 30_000);
    expect(await node.watcher!.watcher.checkOnce()).toEqual([]);
    expect(node.watcher!.watcher.metrics.submitFailures).toBe(0);
  }, 60_000);

  it('`cairn init` writes [p2p], [watcher] and [metrics] enabled on the node’s port plan, and a watcher key whose address it prints', async () => {
    const home = join(await testDir('cairn-init-'), 'home');
    const io = memoryIo();
    expect(await runCli(['init', 'n1', '--chain-id', 'cairn-init-1', '--home', home, '--output', 'json'], io)).toBe(0);
    const printed = JSON.parse(io.stdoutText()) as { watcherAddress: string };
    const c = await readAppConfig(home);
    expect(c).toMatchObject({ p2pEnabled: true, p2pListen: ['/ip4/127.0.0.1/tcp/26659'], watcherEnabled: true, metricsEnabled: true, metricsListen: '127.0.0.1:26661', watcherRpc: '' });
    expect(await watcherAddress(await readWatcherKey(join(home, 'config', 'watcher_key.hex')), 'cairn')).toBe(printed.watcherAddress);
    expect(await readFile(join(home, 'config', 'app.toml'), 'utf8')).toContain('[metrics]');
  });

  it('a new home runs libp2p, the watcher and /metrics by default, and logs that an unfunded watcher key’s challenges will fail', async () => {
    const { home } = await createTestHome([]);
    const lines: string[] = [];
    const node: RunningNode = await startNode({ home, logger: createLogger({ write: (l) => void lines.push(l) }), withCometbft: true });
    stops.push(() => node.stop());
    expect(node.p2p).toBeDefined();
    expect(node.watcher?.address).toMatch(/^cairn1/);
    expect(node.metrics?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    await eventually('the first blocks', () => node.app.store.lastHeight >= 2n, 30_000);
    // A peer that sends garbage is rejected, and counted.
    const chainId = node.app.chainId;
    const peer: P2pHost = await startTestHost(new MemoryChain(chainId), { bootstrap: node.p2p!.host.addresses() });
    stops.push(() => peer.stop());
    const topic = receiptsTopic(chainId);
    await eventually('a mesh with the node', () => peer.pubsub.getMeshPeers(topic).includes(node.p2p!.host.peerId));
    await peer.pubsub.publish(topic, Uint8Array.of(0xff, 0xff, 0xff));
    await eventually('the garbage rejected', () => node.p2p!.host.counters.rejected === 1);
    await eventually('the watcher’s balance read', () => node.watcher!.balance() !== undefined);

    const res = await fetch(node.metrics!.url);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const value = (series: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      if (line === undefined) throw new Error(`no ${series} in\n${text}`);
      return Number(line.slice(series.length + 1));
    };
    expect(value('cairn_app_height')).toBeGreaterThanOrEqual(2);
    // The process's own health: memory a node really holds, and a loop that is not stuck.
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(50 * 2 ** 20);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(10 * 2 ** 20);
    expect(value('nodejs_heap_size_used_bytes')).toBeLessThan(value('process_resident_memory_bytes'));
    expect(value('nodejs_eventloop_lag_p99_seconds')).toBeLessThan(5);
    expect(value('cairn_p2p_messages_total{result="rejected"}')).toBe(1);
    expect(value('cairn_p2p_messages_total{result="accepted"}')).toBe(0);
    expect(value('cairn_p2p_peers')).toBe(1);
    expect(value('cairn_p2p_batch_store_batches')).toBe(0);
    expect(value('cairn_watcher_batches_checked_total')).toBe(0);
    expect(value('cairn_watcher_challenges_submitted_total{kind="receipt"}')).toBe(0);
    expect(value('cairn_watcher_submit_failures_total')).toBe(0);
    expect(value('cairn_watcher_balance')).toBe(0);
    expect(text).toContain('# TYPE cairn_watcher_challenges_submitted_total counter');
    const warning = lines.find((l) => l.includes('"level":"warn"') && l.includes('its challenges will fail'));
    expect(warning).toContain(node.watcher!.address);
  }, 60_000);

  it('a validator’s node with [availability] validator set probes operators each round and says which reporter to name', async () => {
    const { home } = await createTestHome([]);
    const lines: string[] = [];
    const validator = testAddress('availability-validator');
    const node = await startNode({ home, logger: createLogger({ write: (l) => void lines.push(l) }), withCometbft: true, config: { p2pListen: ['/ip4/127.0.0.1/tcp/0'], metricsListen: '127.0.0.1:0', availabilityValidator: validator } });
    stops.push(() => node.stop());
    expect(node.watcher!.availability).toBeDefined();
    const hint = lines.find((l) => l.includes('availability reports on'));
    expect(hint).toContain(`cairn tx emission set-reporter <validator-key> ${node.watcher!.address}`);
    await eventually('a probe round', () => node.watcher!.availability!.metrics.rounds >= 1, 30_000);
    expect(await (await fetch(node.metrics!.url)).text()).toMatch(/^cairn_availability_probe_rounds_total [1-9]/m);
  }, 60_000);

  it('refuses to start with an [availability] validator that is not an address, saying what to put there', async () => {
    const { home } = await createTestHome([]);
    await writeAppConfig(home, { ...DEFAULT_APP_CONFIG, availabilityValidator: 'val1' });
    await expect(startNode({ home, logger: silentLogger, withCometbft: false })).rejects.toThrow(/\[availability\] validator must be your validator's account address/);
  });

  it('a home that turns p2p, the watcher and metrics off runs none of them', async () => {
    const { home } = await createTestHome([]);
    const node = await startNode({ home, logger: silentLogger, withCometbft: false, config: { p2pEnabled: false, watcherEnabled: false, metricsEnabled: false } });
    stops.push(() => node.stop());
    expect([node.p2p, node.watcher, node.metrics]).toEqual([undefined, undefined, undefined]);
  });

  it('keeps its peer id across restarts (the key lives in config/p2p_key.hex)', async () => {
    const { home } = await createTestHome([]);
    const config = { p2pEnabled: true, p2pListen: ['/ip4/127.0.0.1/tcp/0'] };
    const first = await startNode({ home, logger: silentLogger, withCometbft: false, config });
    const id = first.p2p!.host.peerId;
    await first.stop();
    const second = await startNode({ home, logger: silentLogger, withCometbft: false, config });
    stops.push(() => second.stop());
    expect(second.p2p!.host.peerId).toBe(id);
    expect(existsSync(p2pKeyPath(home))).toBe(true);
  }, 60_000);
});
