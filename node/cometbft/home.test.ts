import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCometbft } from './binary.ts';
import { configPath, configure, localSettings, readConfigValue } from './config.ts';
import { ConfigKeyNotFoundError, HomeMismatchError } from './errors.ts';
import { readGenesis } from './genesis.ts';
import { initHome } from './home.ts';
import { withTempDir } from '../../test/support/cometbft.ts';

// CometBFT parses and validates config.toml before any subcommand; show-node-id does nothing else.
async function cometbftAcceptsConfig(home: string): Promise<string> {
  return (await runCometbft(['show-node-id', '--home', home])).trim();
}

describe('initHome', () => {
  it('creates the validator key, node key, signing state and config, with our moniker and chain id', async () => {
    await withTempDir(async (home) => {
      const result = await initHome({ home, moniker: 'val-0', chainId: 'cairn-test-1' });
      for (const f of ['config/priv_validator_key.json', 'config/node_key.json', 'data/priv_validator_state.json', 'config/config.toml']) {
        expect(existsSync(join(home, f)), f).toBe(true);
      }
      expect(result.created).toBe(true);
      expect(result.nodeId).toBe(await cometbftAcceptsConfig(home));
      expect(await readConfigValue(home, '', 'moniker')).toBe('val-0');
      expect((await readGenesis(home)).chain_id).toBe('cairn-test-1');
    });
  });

  it('keeps existing keys when run again on the same home', async () => {
    await withTempDir(async (home) => {
      const first = await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      const key = await readFile(join(home, 'config/priv_validator_key.json'), 'utf8');
      const again = await initHome({ home, moniker: 'b', chainId: 'cairn-test-1' });
      expect(again.created).toBe(false);
      expect(again.nodeId).toBe(first.nodeId);
      expect(again.validator).toEqual(first.validator);
      expect(await readFile(join(home, 'config/priv_validator_key.json'), 'utf8')).toBe(key);
      expect(await readConfigValue(home, '', 'moniker')).toBe('b');
    });
  });

  it('regenerates only what is missing and never replaces the validator key', async () => {
    await withTempDir(async (home) => {
      const first = await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      await rm(join(home, 'config/node_key.json'));
      const again = await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      expect(again.created).toBe(true);
      expect(again.validator).toEqual(first.validator);
      expect(again.nodeId).not.toBe(first.nodeId);
    });
  });

  it('refuses a home that already belongs to another chain', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      await expect(initHome({ home, moniker: 'a', chainId: 'cairn-other' })).rejects.toThrow(HomeMismatchError);
    });
  });

  it('rejects an empty or over-long chain id before touching the disk', async () => {
    await withTempDir(async (dir) => {
      const home = join(dir, 'h');
      await expect(initHome({ home, moniker: 'a', chainId: '' })).rejects.toThrow(RangeError);
      await expect(initHome({ home, moniker: 'a', chainId: 'x'.repeat(51) })).rejects.toThrow(RangeError);
      expect(existsSync(home)).toBe(false);
    });
  });
});

describe('configure', () => {
  it('edits exactly the keys asked for and CometBFT still loads the file', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      const before = (await readFile(configPath(home), 'utf8')).split('\n');
      const settings = localSettings({
        moniker: 'node "one" \\ two',
        proxyApp: 'tcp://127.0.0.1:36658',
        rpcPort: 36657,
        p2pPort: 36656,
        persistentPeers: ['0123456789abcdef0123456789abcdef01234567@127.0.0.1:46656'],
      });
      await configure(home, { ...settings, p2p: { ...settings.p2p, pex: false }, instrumentation: { prometheus: true, prometheusListenAddr: '127.0.0.1:36660' } });
      const after = (await readFile(configPath(home), 'utf8')).split('\n');
      expect(after.length).toBe(before.length);
      const changed = after.filter((line, i) => line !== before[i]).map((line) => line.split(' = ')[0]);
      // Keys already at the wanted value (create_empty_blocks, indexer, …) leave their line untouched.
      expect(changed.sort()).toEqual(
        [
          'proxy_app', 'moniker', 'laddr', 'cors_allowed_origins', 'laddr', 'persistent_peers', 'addr_book_strict',
          'allow_duplicate_ip', 'pex', 'timeout_propose', 'timeout_propose_delta', 'timeout_prevote', 'timeout_prevote_delta',
          'timeout_precommit', 'timeout_precommit_delta', 'timeout_commit', 'prometheus', 'prometheus_listen_addr',
        ].sort(),
      );
      await cometbftAcceptsConfig(home);
      expect(await readConfigValue(home, '', 'moniker')).toBe('node "one" \\ two');
      expect(await readConfigValue(home, 'rpc', 'laddr')).toBe('tcp://127.0.0.1:36657');
      expect(await readConfigValue(home, 'rpc', 'cors_allowed_origins')).toEqual(['*']);
      expect(await readConfigValue(home, 'p2p', 'persistent_peers')).toBe('0123456789abcdef0123456789abcdef01234567@127.0.0.1:46656');
      expect(await readConfigValue(home, 'consensus', 'timeout_commit')).toBe('1000ms');
      expect(await readConfigValue(home, 'tx_index', 'indexer')).toBe('kv');
    });
  });

  it('every key the settings can name exists in the config.toml of the pinned CometBFT', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      await configure(home, {
        moniker: 'a',
        proxyApp: 'kvstore',
        abci: 'socket',
        logLevel: 'info',
        rpc: { laddr: 'tcp://127.0.0.1:1', corsAllowedOrigins: [] },
        p2p: { laddr: 'tcp://127.0.0.1:2', externalAddress: '', persistentPeers: [], seeds: [], addrBookStrict: true, allowDuplicateIp: false, pex: true },
        consensus: {
          timeoutProposeMs: 1, timeoutProposeDeltaMs: 1, timeoutPrevoteMs: 1, timeoutPrevoteDeltaMs: 1, timeoutPrecommitMs: 1,
          timeoutPrecommitDeltaMs: 1, timeoutCommitMs: 1, skipTimeoutCommit: false, createEmptyBlocks: true, createEmptyBlocksIntervalMs: 0,
        },
        storage: { discardAbciResponses: false },
        txIndex: { indexer: 'kv' },
        instrumentation: { prometheus: false, prometheusListenAddr: ':26660', namespace: 'cometbft' },
      });
      await cometbftAcceptsConfig(home);
    });
  });

  it('rejects values CometBFT would refuse, and leaves the file as it was', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      const before = await readFile(configPath(home), 'utf8');
      await expect(configure(home, { moniker: 'tab\there' })).rejects.toThrow(/moniker/);
      await expect(configure(home, { moniker: 'é' })).rejects.toThrow(RangeError);
      await expect(configure(home, { consensus: { timeoutCommitMs: -1 } })).rejects.toThrow(/timeout_commit/);
      await expect(configure(home, { p2p: { persistentPeers: ['127.0.0.1:26656'] } })).rejects.toThrow(/node id/);
      await expect(configure(home, { rpc: { laddr: '127.0.0.1:26657' } })).rejects.toThrow(/tcp:\/\//);
      expect(await readFile(configPath(home), 'utf8')).toBe(before);
    });
  });

  it('names the missing key when the file is not a CometBFT config', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      await writeFile(configPath(home), 'moniker = "x"\n');
      await expect(configure(home, { txIndex: { indexer: 'kv' } })).rejects.toThrow(ConfigKeyNotFoundError);
    });
  });
});
