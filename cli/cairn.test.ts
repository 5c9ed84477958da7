// Runs the real `cairn` entry point as a child process.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('./cairn.ts', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cairn(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ENTRY, ...args],
      { env: { PATH: process.env['PATH'] ?? '', HOME: home, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cairn-bin-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('the cairn executable', () => {
  it('creates a test-backend key and prints JSON whose address CosmJS derives from the mnemonic', async () => {
    const added = await cairn(['keys', 'add', 'alice', '--keyring-backend', 'test', '--home', home, '--output', 'json']);
    expect(added.code).toBe(0);
    const key = JSON.parse(added.stdout) as { name: string; address: string; mnemonic: string };
    expect(key.name).toBe('alice');
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(key.mnemonic, { prefix: 'cairn' });
    const [account] = await wallet.getAccounts();
    expect(key.address).toBe(account?.address);
    expect(added.stderr).toMatch(/warning: the test keyring keeps mnemonics unencrypted/);

    const listed = await cairn(['keys', 'list', '--keyring-backend', 'test', '--home', home, '-o', 'json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'alice', address: key.address })]);
  });

  it('exits with code 1 and a one-line error, without a stack trace', async () => {
    const run = await cairn(['keys', 'show', 'nobody', '--keyring-backend', 'test', '--home', home]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Error: no key named 'nobody' in the test keyring at .*: see `cairn keys list`/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('keeps the stripped TypeScript in the user cache directory and answers the same from it, without warnings', async () => {
    const cache = join(home, 'xdg-cache');
    const cold = await cairn(['--help'], { XDG_CACHE_HOME: cache });
    const dir = join(cache, 'cairn', `strip-${process.version}`);
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(10);
    expect((await stat(dir)).mode & 0o077).toBe(0);
    const warm = await cairn(['--help'], { XDG_CACHE_HOME: cache });
    expect(cold.code).toBe(0);
    expect(warm).toEqual(cold);
    expect(warm.stderr).toBe('');
    expect(await readdir(dir)).toEqual(files);
  });

  it('lists the commands when run bare', async () => {
    const run = await cairn([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('tx bank send');
  });
});
