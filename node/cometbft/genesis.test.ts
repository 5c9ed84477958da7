import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenesisFormatError } from './errors.ts';
import {
  buildGenesis,
  defaultConsensusParams,
  formatGenesisTime,
  genesisPath,
  readGenesis,
  serializeGenesis,
  writeGenesis,
} from './genesis.ts';
import type { GenesisValidator } from './genesis.ts';
import { initHome } from './home.ts';
import { readValidatorKey } from './keys.ts';
import { withTempDir } from '../../test/support/cometbft.ts';

// The shape of a JSON value: keys and value kinds, not the values themselves.
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  }
  return typeof value;
}

const VALIDATOR: GenesisValidator = {
  address: '992E2C188A177C58C6B05C5EFED80B3990348D08',
  pubKey: 'g7GMarg2vARB//jTVSCcn4E8IeBLLjdh70nWAJpZdHA=',
  power: 10n,
  name: 'val-0',
};

describe('genesis', () => {
  it('has the same fields and types as the genesis `cometbft init` writes, plus app_state', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      const theirs = JSON.parse(await readFile(genesisPath(home), 'utf8')) as Record<string, unknown>;
      const ours = buildGenesis({
        chainId: 'cairn-test-1',
        validators: [{ ...(await readValidatorKey(home)), power: 10n, name: '' }],
        appState: { bank: { balances: [] } },
      });
      const { app_state: appState, ...rest } = ours;
      expect(shape(rest)).toEqual(shape(theirs));
      expect(ours.consensus_params).toEqual(theirs['consensus_params']);
      expect(ours.validators).toEqual(theirs['validators']);
      expect(ours.initial_height).toBe('1');
      expect(ours.app_hash).toBe('');
      expect(appState).toEqual({ bank: { balances: [] } });
    });
  });

  it('writes genesis time the way Go prints RFC3339 with nanoseconds', () => {
    expect(formatGenesisTime(new Date('2026-01-02T03:04:05.120Z'))).toBe('2026-01-02T03:04:05.12Z');
    expect(formatGenesisTime(new Date('2026-01-02T03:04:05.000Z'))).toBe('2026-01-02T03:04:05Z');
    expect(formatGenesisTime(new Date('2026-01-02T03:04:05.007Z'))).toBe('2026-01-02T03:04:05.007Z');
    const doc = buildGenesis({ chainId: 'c', genesisTime: '2026-11-22T06:35:32.358187163Z', validators: [VALIDATOR], appState: {} });
    expect(doc.genesis_time).toBe('2026-11-22T06:35:32.358187163Z');
    expect(() => buildGenesis({ chainId: 'c', genesisTime: '2026-11-22 06:35', validators: [VALIDATOR], appState: {} })).toThrow(RangeError);
  });

  it('rejects validators CometBFT would reject', () => {
    const build = (v: GenesisValidator): unknown => buildGenesis({ chainId: 'c', validators: [v], appState: {} });
    expect(() => build({ ...VALIDATOR, address: '0'.repeat(40) })).toThrow(/not the address of its pubKey/);
    expect(() => build({ ...VALIDATOR, power: 0n })).toThrow(/power/);
    expect(() => build({ ...VALIDATOR, pubKey: 'AAAA' })).toThrow(/32-byte/);
    expect(() => buildGenesis({ chainId: 'c', validators: [VALIDATOR, VALIDATOR], appState: {} })).toThrow(/twice/);
    expect(() => buildGenesis({ chainId: 'x'.repeat(51), validators: [VALIDATOR], appState: {} })).toThrow(/chain id/);
  });

  it('rejects an app state that is not JSON, and copies the one it accepts', () => {
    expect(() => buildGenesis({ chainId: 'c', validators: [VALIDATOR], appState: { supply: 1n } })).toThrow(TypeError);
    expect(() => buildGenesis({ chainId: 'c', validators: [VALIDATOR], appState: undefined })).toThrow(TypeError);
    const appState = { n: 1 };
    const doc = buildGenesis({ chainId: 'c', validators: [VALIDATOR], appState });
    appState.n = 2;
    expect(doc.app_state).toEqual({ n: 1 });
  });

  it('uses CometBFT defaults for consensus params unless given others', () => {
    const params = { ...defaultConsensusParams(), abci: { vote_extensions_enable_height: '5' } };
    const doc = buildGenesis({ chainId: 'c', validators: [VALIDATOR], appState: {}, consensusParams: params });
    expect(doc.consensus_params.abci.vote_extensions_enable_height).toBe('5');
    expect(buildGenesis({ chainId: 'c', validators: [VALIDATOR], appState: {} }).consensus_params.validator.pub_key_types).toEqual(['ed25519']);
  });

  it('reads back what it wrote, byte for byte the same serialisation', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'c' });
      const doc = buildGenesis({ chainId: 'c', genesisTime: new Date(0), validators: [VALIDATOR], appState: { a: [1, 'x'] } });
      await writeGenesis(home, doc);
      expect(await readGenesis(home)).toEqual(doc);
      expect(await readFile(genesisPath(home), 'utf8')).toBe(serializeGenesis(doc));
    });
  });

  it('says what is wrong with a file that is not a genesis', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'c' });
      await writeFile(join(home, 'config/genesis.json'), '{"chain_id": 5}');
      await expect(readGenesis(home)).rejects.toThrow(GenesisFormatError);
      await expect(readGenesis(home)).rejects.toThrow(/chain_id is not a string/);
    });
  });
});
