import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCometbft } from './binary.ts';
import { KeyFileError } from './errors.ts';
import { initHome } from './home.ts';
import { nodeId, readValidatorKey, validatorAddress } from './keys.ts';
import { withTempDir } from '../../test/support/cometbft.ts';

describe('node and validator identities', () => {
  it('computes the same node id as `cometbft show-node-id`', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      expect(await nodeId(home)).toBe((await runCometbft(['show-node-id', '--home', home])).trim());
    });
  });

  it('reads the validator address and public key that `cometbft show-validator` reports', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      const shown = JSON.parse(await runCometbft(['show-validator', '--home', home])) as { type: string; value: string };
      const key = await readValidatorKey(home);
      expect(shown).toEqual({ type: 'tendermint/PubKeyEd25519', value: key.pubKey });
      expect(key.address).toBe(validatorAddress(Buffer.from(key.pubKey, 'base64')));
      expect(key.address).toMatch(/^[0-9A-F]{40}$/);
    });
  });

  it('refuses a validator key file whose address does not match its key', async () => {
    await withTempDir(async (home) => {
      await initHome({ home, moniker: 'a', chainId: 'cairn-test-1' });
      const path = join(home, 'config/priv_validator_key.json');
      const file = JSON.parse(await readFile(path, 'utf8')) as { address: string };
      file.address = '0'.repeat(40);
      await writeFile(path, JSON.stringify(file));
      await expect(readValidatorKey(home)).rejects.toThrow(KeyFileError);
    });
  });

  it('says the home is not initialised when the key files are missing', async () => {
    await withTempDir(async (home) => {
      await expect(nodeId(home)).rejects.toThrow(/initHome/);
      await expect(readValidatorKey(home)).rejects.toThrow(KeyFileError);
    });
  });
});
