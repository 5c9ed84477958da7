// Integration: the real pinned CometBFT binary, with its built-in kvstore app standing in for Cairn's;
// and the window of the tx index repair after a crash, with a stand-in binary.
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configure, localSettings } from './config.ts';
import { CometbftRpcError, CometbftStartError, HeightTimeoutError } from './errors.ts';
import { buildGenesis, writeGenesis } from './genesis.ts';
import { initHome } from './home.ts';
import { freePorts } from './ports.ts';
import { repairIndexAfterCrash, rpcUrlFromLaddr, startCometbft } from './process.ts';
import { rpcCall, status, waitForHeight } from './rpc.ts';
import { withTempDir } from '../../test/support/cometbft.ts';

const KVSTORE = ['--proxy_app=kvstore'];

// A single-validator home on loopback with fast blocks and a genesis with an empty app_state.
async function prepareHome(home: string, chainId = 'cairn-it-1'): Promise<{ rpcPort: number }> {
  const { validator } = await initHome({ home, moniker: 'it-node', chainId });
  const [rpcPort = 0, p2pPort = 0] = await freePorts(2);
  await configure(home, localSettings({ moniker: 'it-node', proxyApp: 'kvstore', rpcPort, p2pPort, blockTimeMs: 100 }));
  await writeGenesis(home, buildGenesis({ chainId, validators: [{ ...validator, power: 10n, name: 'it-node' }], appState: {} }));
  return { rpcPort };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('running CometBFT', () => {
  it('starts a new home with our genesis, makes blocks, and stops on request', async () => {
    await withTempDir(async (home) => {
      const { rpcPort } = await prepareHome(home);
      const node = await startCometbft({ home, extraArgs: KVSTORE });
      try {
        expect(node.rpcUrl).toBe(`http://127.0.0.1:${rpcPort}`);
        expect(await waitForHeight(node.rpcUrl, 2, 10_000)).toBeGreaterThanOrEqual(2);
        const s = await status(node.rpcUrl);
        expect(s).toMatchObject({ nodeId: node.nodeId, network: 'cairn-it-1', moniker: 'it-node', version: '0.38.25', votingPower: 10n });
        await expect(rpcCall(node.rpcUrl, 'no_such_method')).rejects.toThrow(CometbftRpcError);
      } finally {
        await node.stop();
      }
      expect(await node.exited).toBe(0);
      expect(isRunning(node.pid)).toBe(false);
      await node.stop(); // a second stop is harmless
      const log = await readFile(join(home, 'cometbft.log'), 'utf8');
      expect(log).toContain('--- cairn: starting cometbft start --home');
      expect(log).toContain('committed state');
    });
  });

  it('waitForHeight gives up with a clear error once the node is gone', async () => {
    await withTempDir(async (home) => {
      await prepareHome(home);
      const node = await startCometbft({ home, extraArgs: KVSTORE });
      await node.stop();
      const started = performance.now();
      const error = await waitForHeight(node.rpcUrl, 1_000, 1_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HeightTimeoutError);
      expect(String(error)).toMatch(/did not reach height 1000 within 1000 ms: the node is not answering .*ECONNREFUSED.*is it running\?/);
      expect(performance.now() - started).toBeLessThan(3_000);
    });
  });

  it('reports the last lines of the log when CometBFT exits during start-up', async () => {
    await withTempDir(async (home) => {
      await prepareHome(home);
      await writeFile(join(home, 'config/genesis.json'), '{"chain_id": ""}');
      const error = await startCometbft({ home, extraArgs: KVSTORE }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CometbftStartError);
      expect(String(error)).toMatch(/exited \(code 1\) before its RPC answered/);
      expect((error as CometbftStartError).logTail).toMatch(/genesis/i);
    });
  });

  it('stops a node whose RPC never comes up and says so', async () => {
    await withTempDir(async (home) => {
      await prepareHome(home);
      // Nothing listens on this app address: CometBFT keeps dialling it and never opens its RPC.
      const [deadPort] = await freePorts(1);
      const error = await startCometbft({ home, extraArgs: [`--proxy_app=tcp://127.0.0.1:${deadPort}`], readyTimeoutMs: 1_500 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CometbftStartError);
      expect(String(error)).toMatch(/did not answer \/status at http:\/\/127\.0\.0\.1:\d+ within 1500 ms; it was stopped/);
      const { pid } = error as CometbftStartError;
      expect(pid).toBeGreaterThan(0);
      expect(isRunning(pid ?? 0)).toBe(false);
    });
  });

  it('does not mistake another node answering on the same RPC port for the one it started', async () => {
    await withTempDir(async (dir) => {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      const { rpcPort } = await prepareHome(a);
      await prepareHome(b);
      await configure(b, { rpc: { laddr: `tcp://127.0.0.1:${rpcPort}` } });
      const first = await startCometbft({ home: a, extraArgs: KVSTORE });
      try {
        await expect(startCometbft({ home: b, extraArgs: KVSTORE })).rejects.toThrow(CometbftStartError);
        expect((await status(first.rpcUrl)).nodeId).toBe(first.nodeId);
      } finally {
        await first.stop();
      }
    });
  });

  it('kill() with SIGKILL ends the process and exited reports no exit code', async () => {
    await withTempDir(async (home) => {
      await prepareHome(home);
      const node = await startCometbft({ home, extraArgs: KVSTORE });
      node.kill('SIGKILL');
      expect(await node.exited).toBeNull();
    });
  });

  it('reaches the RPC on loopback when CometBFT listens on every interface', () => {
    expect(rpcUrlFromLaddr('tcp://0.0.0.0:26657')).toBe('http://127.0.0.1:26657');
    expect(rpcUrlFromLaddr('tcp://127.0.0.1:1')).toBe('http://127.0.0.1:1');
    expect(() => rpcUrlFromLaddr('unix:///tmp/rpc.sock')).toThrow(RangeError);
  });
});

describe('the tx index repair after a crash', () => {
  // A stand-in for the cometbft binary that records the reindex-event arguments it was given.
  async function repairArgs(marked: 'just now' | 'before the boot'): Promise<string> {
    return withTempDir(async (home) => {
      await mkdir(join(home, 'config'), { recursive: true });
      await mkdir(join(home, 'data', 'blockstore.db'), { recursive: true });
      await writeFile(join(home, 'config', 'config.toml'), '[tx_index]\nindexer = "kv"\n');
      const marker = join(home, 'data', 'cairn-cometbft.running');
      await writeFile(marker, '');
      if (marked === 'before the boot') {
        const beforeBoot = (Date.now() - uptime() * 1000 - 60_000) / 1000;
        await utimes(marker, beforeBoot, beforeBoot);
      }
      const binary = join(home, 'fake-cometbft');
      await writeFile(binary, `#!/bin/sh\necho "$@" > ${JSON.stringify(join(home, 'args'))}\n`, { mode: 0o755 });
      await repairIndexAfterCrash(binary, home, 5_000n, 'inherit');
      return (await readFile(join(home, 'args'), 'utf8')).trim().replace(home, 'HOME');
    });
  }

  it('re-indexes the last 10 blocks after the process was killed, the last 100 after the machine went down', async () => {
    expect(await repairArgs('just now')).toBe('reindex-event --home HOME --start-height 4990');
    expect(await repairArgs('before the boot')).toBe('reindex-event --home HOME --start-height 4900');
  });
});
