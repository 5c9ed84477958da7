import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringToPath } from '@cosmjs/crypto';
import { DirectSecp256k1HdWallet, makeAuthInfoBytes, makeSignDoc } from '@cosmjs/proto-signing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DuplicateKeyError,
  InvalidKeyNameError,
  InvalidMnemonicError,
  KeyNotFoundError,
  Keyring,
  WrongPassphraseError,
} from './keyring.ts';
import { KeyRecordError } from './record.ts';
import type { KeyringOptions, PassphraseProvider } from './keyring.ts';

// The BIP-39 test vector; CosmJS derives cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4 from it.
const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const MNEMONIC_ADDRESS = 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9';
// Cheap scrypt for the tests that do not measure it.
const FAST = { N: 2 ** 10, r: 8, p: 1 } as const;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-keyring-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function keyring(backend: 'file' | 'test', passphrase?: string | PassphraseProvider, extra: Partial<KeyringOptions> = {}): Keyring {
  const provider = typeof passphrase === 'string' ? async (): Promise<string> => passphrase : passphrase;
  return new Keyring({ dir, backend, scrypt: FAST, ...(provider === undefined ? {} : { passphrase: provider }), ...extra });
}

async function cosmjsAddress(mnemonic: string, hdPath = "m/44'/118'/0'/0/0"): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'cairn', hdPaths: [stringToPath(hdPath)] });
  const [account] = await wallet.getAccounts();
  return account?.address ?? '';
}

describe('Keyring with the test backend', () => {
  it('generates a 24-word mnemonic whose address matches CosmJS with prefix cairn', async () => {
    const ring = keyring('test');
    const { key, mnemonic } = await ring.add('alice');
    expect(mnemonic?.split(' ')).toHaveLength(24);
    expect(key.address).toBe(await cosmjsAddress(mnemonic ?? ''));
    expect(key.address.startsWith('cairn1')).toBe(true);
    expect(key).toMatchObject({ name: 'alice', algo: 'secp256k1', hdPath: "m/44'/118'/0'/0/0" });
  });

  it('recovers the known address of the BIP-39 test mnemonic and returns no mnemonic', async () => {
    const result = await keyring('test').add('vector', { mnemonic: MNEMONIC });
    expect(result.key.address).toBe(MNEMONIC_ADDRESS);
    expect(result.key.address).toBe(await cosmjsAddress(MNEMONIC));
    expect(result.mnemonic).toBeUndefined();
  });

  it('derives another address for another HD path, as CosmJS does', async () => {
    const path = "m/44'/118'/0'/0/1";
    const key = await keyring('test').import('second', MNEMONIC, { hdPath: path });
    expect(key.address).toBe(await cosmjsAddress(MNEMONIC, path));
    expect(key.address).not.toBe(MNEMONIC_ADDRESS);
    expect(key.hdPath).toBe(path);
  });

  it('accepts a mnemonic with extra whitespace and capitals', async () => {
    const key = await keyring('test').import('messy', `  ${MNEMONIC.toUpperCase().replaceAll(' ', '  \n')}\n`);
    expect(key.address).toBe(MNEMONIC_ADDRESS);
  });

  it('lists keys sorted by name, shows them by name or address, and deletes them', async () => {
    const ring = keyring('test');
    await ring.add('zed');
    await ring.import('amy', MNEMONIC);
    expect((await ring.list()).map((key) => key.name)).toEqual(['amy', 'zed']);
    expect((await ring.show('amy')).address).toBe(MNEMONIC_ADDRESS);
    expect((await ring.show(MNEMONIC_ADDRESS)).name).toBe('amy');
    await ring.delete('amy');
    expect((await ring.list()).map((key) => key.name)).toEqual(['zed']);
    await expect(ring.show('amy')).rejects.toThrow(KeyNotFoundError);
  });

  it('lists nothing when the keyring directory does not exist yet', async () => {
    expect(await keyring('test').list()).toEqual([]);
  });

  it('refuses a duplicate name and leaves the existing key untouched', async () => {
    const ring = keyring('test');
    await ring.import('alice', MNEMONIC);
    const before = await readFile(join(ring.path, 'alice.json'), 'utf8');
    await expect(ring.add('alice')).rejects.toThrow(DuplicateKeyError);
    await expect(ring.add('alice')).rejects.toThrow(/already exists.*cairn keys delete alice/);
    expect(await readFile(join(ring.path, 'alice.json'), 'utf8')).toBe(before);
  });

  it('lets exactly one of two concurrent adds of the same name win', async () => {
    const ring = keyring('test');
    const results = await Promise.allSettled([ring.add('race'), ring.add('race'), ring.add('race')]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    for (const result of rejected) expect(result.reason).toBeInstanceOf(DuplicateKeyError);
    expect((await readdir(ring.path)).sort()).toEqual(['race.json']);
  });

  it('rejects key names that could escape the keyring directory or hide files', async () => {
    const ring = keyring('test');
    for (const name of ['', '../evil', 'a/b', '.hidden', '-flag', 'x'.repeat(65), 'sp ace']) {
      await expect(ring.add(name), name).rejects.toThrow(InvalidKeyNameError);
    }
    expect(await ring.list()).toEqual([]);
  });

  it('explains a bad mnemonic without repeating its words', async () => {
    const ring = keyring('test');
    await expect(ring.import('a', 'abandon abandon')).rejects.toThrow(/has 2 words; a BIP-39 mnemonic has 12, 15, 18, 21 or 24/);
    const typo = MNEMONIC.replace('about', 'abuot');
    await expect(ring.import('a', typo)).rejects.toThrow(/word 12 of the mnemonic is not in the BIP-39 English word list/);
    const checksum = MNEMONIC.replace('about', 'abandon');
    const error = await ring.import('a', checksum).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidMnemonicError);
    expect((error as Error).message).toMatch(/checksum does not match/);
    expect((error as Error).message).not.toContain('abandon');
  });

  it('rejects an invalid HD path with the default in the message', async () => {
    await expect(keyring('test').add('a', { hdPath: "44'/118'" })).rejects.toThrow(/invalid HD path.*m\/44'\/118'\/0'\/0\/0/);
  });

  it('stores the mnemonic in clear (test backend only) in a file readable by the owner alone', async () => {
    const ring = keyring('test');
    const { mnemonic } = await ring.add('dev');
    const file = join(ring.path, 'dev.json');
    expect(await readFile(file, 'utf8')).toContain(mnemonic ?? 'missing');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(ring.path)).mode & 0o777).toBe(0o700);
  });

  it('gives a CosmJS signer that signs for the stored address', async () => {
    const ring = keyring('test');
    await ring.import('signer', MNEMONIC);
    const signer = await ring.signer('signer');
    const [account] = await signer.getAccounts();
    expect(account?.address).toBe(MNEMONIC_ADDRESS);
    const signDoc = makeSignDoc(new Uint8Array([1]), makeAuthInfoBytes([], [], 200000, undefined, undefined), 'cairn-test-1', 7);
    const fromCosmjs = await (await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: 'cairn' })).signDirect(MNEMONIC_ADDRESS, signDoc);
    const fromKeyring = await signer.signDirect(MNEMONIC_ADDRESS, signDoc);
    expect(fromKeyring.signature).toEqual(fromCosmjs.signature);
  });

  it('points to the other backend when a key exists only there', async () => {
    await keyring('test').import('elsewhere', MNEMONIC);
    await expect(keyring('file', 'passphrase-1').show('elsewhere')).rejects.toThrow(/the test keyring has one: add --keyring-backend test/);
  });
});

describe('Keyring with the file backend', () => {
  it('encrypts the mnemonic: no word of it appears in the key file', async () => {
    const ring = keyring('file', 'correct horse');
    const { mnemonic } = await ring.add('alice');
    const words = (mnemonic ?? '').split(' ');
    const text = await readFile(join(ring.path, 'alice.json'), 'utf8');
    expect(text).not.toContain(mnemonic);
    const record = JSON.parse(text) as Record<string, unknown>;
    // Long words are unlikely to appear by chance in base64; none may appear in any value. (Field
    // names are excluded: "secret" is itself a BIP-39 word.)
    const values: string[] = [];
    JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' && values.push(value), value));
    for (const word of words.filter((candidate) => candidate.length >= 6)) expect(values.join(' ')).not.toContain(word);
    expect(record).toMatchObject({ type: 'cairn-key', version: 1, name: 'alice', algo: 'secp256k1', hdPath: "m/44'/118'/0'/0/0" });
    expect(record['secret']).toMatchObject({ encoding: 'scrypt-aes-256-gcm', kdf: { name: 'scrypt', N: FAST.N, r: 8, p: 1 } });
    expect((await stat(join(ring.path, 'alice.json'))).mode & 0o777).toBe(0o600);
  });

  it('uses scrypt N=2^15, r=8, p=1 by default', async () => {
    const ring = new Keyring({ dir, backend: 'file', passphrase: async () => 'correct horse' });
    await ring.import('slow', MNEMONIC);
    const record = JSON.parse(await readFile(join(ring.path, 'slow.json'), 'utf8')) as { secret: { kdf: unknown } };
    expect(record.secret.kdf).toMatchObject({ N: 32768, r: 8, p: 1 });
    const [account] = await (await ring.signer('slow')).getAccounts();
    expect(account?.address).toBe(MNEMONIC_ADDRESS);
  });

  it('lists and shows keys without asking for the passphrase', async () => {
    await keyring('file', 'correct horse').import('alice', MNEMONIC);
    const noPassphrase = keyring('file', async () => {
      throw new Error('asked for a passphrase');
    });
    expect((await noPassphrase.list()).map((key) => key.address)).toEqual([MNEMONIC_ADDRESS]);
    expect((await noPassphrase.show('alice')).address).toBe(MNEMONIC_ADDRESS);
  });

  it('signs with the right passphrase and fails clearly with a wrong one', async () => {
    await keyring('file', 'correct horse').import('alice', MNEMONIC);
    const [account] = await (await keyring('file', 'correct horse').signer('alice')).getAccounts();
    expect(account?.address).toBe(MNEMONIC_ADDRESS);
    await expect(keyring('file', 'wrong horse').signer('alice')).rejects.toThrow(WrongPassphraseError);
    await expect(keyring('file', 'wrong horse').signer('alice')).rejects.toThrow(/wrong passphrase for key 'alice'/);
  });

  it('refuses to add a key with a wrong passphrase and writes nothing', async () => {
    const ring = keyring('file', 'correct horse');
    await ring.import('alice', MNEMONIC);
    const before = (await readdir(ring.path)).sort();
    const contents = await Promise.all(before.map((file) => readFile(join(ring.path, file), 'utf8')));
    await expect(keyring('file', 'wrong horse').add('bob')).rejects.toThrow(/wrong passphrase for the file keyring.*nothing was written/);
    expect((await readdir(ring.path)).sort()).toEqual(before);
    expect(await Promise.all(before.map((file) => readFile(join(ring.path, file), 'utf8')))).toEqual(contents);
  });

  it('asks for a new passphrase once when creating the keyring and requires 8 characters', async () => {
    const requests: string[] = [];
    const ring = keyring('file', async (request) => {
      requests.push(request.purpose);
      return 'short';
    });
    await expect(ring.add('alice')).rejects.toThrow(/at least 8 characters; nothing was written/);
    expect(requests).toEqual(['create']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('asks to unlock, not create, once the keyring has a passphrase', async () => {
    await keyring('file', 'correct horse').add('first');
    const requests: string[] = [];
    await keyring('file', async (request) => {
      requests.push(request.purpose);
      return 'correct horse';
    }).add('second');
    expect(requests).toEqual(['unlock']);
  });

  it('says how to provide a passphrase when there is no source', async () => {
    await expect(new Keyring({ dir, backend: 'file' }).add('alice')).rejects.toThrow(
      /needs a passphrase: use --keyring-passphrase-file, set CAIRN_KEYRING_PASSPHRASE/,
    );
  });

  it('refuses to sign when the public part of the record was edited', async () => {
    const ring = keyring('file', 'correct horse');
    await ring.import('alice', MNEMONIC);
    const file = join(ring.path, 'alice.json');
    const record = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...record, hdPath: "m/44'/118'/0'/0/9" }));
    await expect(ring.signer('alice')).rejects.toThrow(/wrong passphrase for key 'alice' \(or its file .* was modified\)/);
  });

  it('reports a corrupt key file by name', async () => {
    const ring = keyring('file', 'correct horse');
    await ring.import('alice', MNEMONIC);
    await writeFile(join(ring.path, 'alice.json'), '{"type":"cairn-key","version":1');
    await expect(ring.list()).rejects.toThrow(/alice\.json is not valid JSON/);
    await writeFile(join(ring.path, 'alice.json'), JSON.stringify({ type: 'cairn-key', version: 9 }));
    await expect(ring.show('alice')).rejects.toThrow(/version 9.*upgrade cairn/);
  });

  it('refuses scrypt parameters that would exhaust memory', async () => {
    const ring = keyring('file', 'correct horse');
    await ring.import('alice', MNEMONIC);
    const file = join(ring.path, 'alice.json');
    const record = JSON.parse(await readFile(file, 'utf8')) as { secret: { kdf: Record<string, unknown> } };
    record.secret.kdf['N'] = 2 ** 30;
    await writeFile(file, JSON.stringify(record));
    await expect(ring.signer('alice')).rejects.toThrow(KeyRecordError);
    await expect(ring.signer('alice')).rejects.toThrow(/unsupported scrypt parameters/);
  });
});
