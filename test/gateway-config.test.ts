// The gateways' sections of app.toml, [operator-gateway] and [payer-gateway]: `cairn init` writes
// them with every key at its default (writeAppConfig, as here: a real init would add ~10 s of
// CometBFT key generation to this file), `cairn operator serve` / `cairn payer serve` run from them with
// any flag given overriding its key, and an unknown key or a bad value is refused naming the key.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GatewaySettings, gatewaySettings } from '../cli/commands/gateway-settings.ts';
import { runCli } from '../cli/main.ts';
import { DEFAULT_APP_CONFIG, appConfigPath, writeAppConfig } from '../node/config.ts';
import { parseGatewayConfig } from '../node/gateway/config.ts';
import { memoryIo } from './support/cli-io.ts';
import { testDir } from './support/test-dirs.ts';

async function cairn(...argv: string[]): Promise<{ code: number; stderr: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, stderr: io.stderrText().replace(/\s+/g, ' ').trim() };
}

const settings = (text: string, section: 'operator-gateway' | 'payer-gateway', flags: Record<string, string | string[]> = {}): GatewaySettings =>
  new GatewaySettings(flags, parseGatewayConfig(text, section, '/srv/node'));

describe('app.toml [operator-gateway] and [payer-gateway]', () => {
  let home: string;
  let written: string;
  beforeAll(async () => {
    home = join(await testDir('cairn-gw-config-'), 'home');
    await mkdir(join(home, 'config'), { recursive: true });
    await writeAppConfig(home, DEFAULT_APP_CONFIG);
    written = await readFile(appConfigPath(home), 'utf8');
  });

  it('the app.toml cairn init writes has both sections with every key at its default', async () => {
    expect(written).toMatch(/^\[operator-gateway\]$/m);
    expect(written).toMatch(/^\[payer-gateway\]$/m);
    const op = await gatewaySettings({ flags: {}, global: { home } }, 'operator-gateway');
    expect(op.get('listen')).toEqual({ value: '127.0.0.1:8480', what: 'app.toml [operator-gateway] listen' });
    expect(op.get('data')?.value).toBe(join(home, 'data', 'operator-gateway'));
    expect(op.get('upstream')).toBeUndefined();
    expect(op.int('batch-size', 1)).toBe(1000);
    expect(op.int('batch-age', 1)).toBe(60);
    expect(op.coin('credit-limit', true)).toEqual({ denom: 'ucairn', amount: 10_000_000n });
    expect(op.list('peer')).toEqual({ value: [], what: 'app.toml [operator-gateway] peers' });
    const payer = await gatewaySettings({ flags: {}, global: { home } }, 'payer-gateway');
    expect(payer.hostPort('listen')).toEqual({ host: '127.0.0.1', port: 8100 });
    expect([payer.int('attempts', 1), payer.int('set-aside', 0), payer.int('set-aside-max', 0), payer.int('set-aside-dishonest', 0)]).toEqual([3, 1, 60, 3600]);
    expect(payer.coin('max-price')).toBeUndefined();
    // A home from before these sections (or none at all) reads the same defaults.
    expect(settings('', 'payer-gateway').int('set-aside-max', 0)).toBe(60);
  });

  it('a flag overrides its key; a repeatable flag replaces the key’s list; paths in the file are relative to the home', () => {
    const text = '[operator-gateway]\nupstream = "http://10.0.0.9:8000/v1"\nlisten = "0.0.0.0:9000"\nbatch-size = 50\nreceipt-key = "config/receipt.key"\npeers = ["/ip4/10.0.0.1/tcp/26659/p2p/a", "/ip4/10.0.0.2/tcp/26659/p2p/b"]\n';
    const fromFile = settings(text, 'operator-gateway');
    expect(fromFile.get('upstream')).toEqual({ value: 'http://10.0.0.9:8000/v1', what: 'app.toml [operator-gateway] upstream' });
    expect(fromFile.int('batch-size', 1)).toBe(50);
    expect(fromFile.get('receipt-key')?.value).toBe('/srv/node/config/receipt.key');
    expect(fromFile.list('peer').value).toHaveLength(2);
    const flagged = settings(text, 'operator-gateway', { listen: '127.0.0.1:9001', 'batch-size': '7', 'receipt-key': 'here.key', peer: ['/ip4/10.0.0.3/tcp/26659/p2p/c'] });
    expect(flagged.hostPort('listen')).toEqual({ host: '127.0.0.1', port: 9001 });
    expect(flagged.int('batch-size', 1)).toBe(7);
    expect(flagged.get('receipt-key')).toEqual({ value: 'here.key', what: '--receipt-key' });
    expect(flagged.list('peer')).toEqual({ value: ['/ip4/10.0.0.3/tcp/26659/p2p/c'], what: '--peer' });
    // keys the flags did not touch still come from the file
    expect(flagged.get('upstream')?.value).toBe('http://10.0.0.9:8000/v1');
  });

  it('refuses an unknown key or a value of the wrong type, naming the key', () => {
    expect(() => settings('[payer-gateway]\nban-seconds = 60\n', 'payer-gateway')).toThrow(/^app\.toml \[payer-gateway\] has no key "ban-seconds"; its keys are from, payer-key, listen, .*set-aside-dishonest/);
    // another section's keys are not this one's business
    expect(() => settings('[payer-gateway]\nattempts = 2\n[operator-gateway]\nwhatever = 1\n', 'payer-gateway')).not.toThrow();
    expect(() => settings('[operator-gateway]\nbatch-size = "10"\n', 'operator-gateway')).toThrow('app.toml [operator-gateway] batch-size must be a whole number >= 0, got "10"');
    expect(() => settings('[operator-gateway]\nbatch-age = -5\n', 'operator-gateway')).toThrow('app.toml [operator-gateway] batch-age must be a whole number >= 0, got -5');
    expect(() => settings('[operator-gateway]\nupstream = 8000\n', 'operator-gateway')).toThrow('app.toml [operator-gateway] upstream must be a string in quotes, got 8000');
    expect(() => settings('[payer-gateway]\nendpoints = "cairn1x=http://a"\n', 'payer-gateway')).toThrow('app.toml [payer-gateway] endpoints must be a list of strings');
    expect(() => settings('[payer-gateway]\nlisten = "127.0.0.1:8100\n', 'payer-gateway')).toThrow(/^app\.toml \[payer-gateway\] listen: cannot read TOML value/);
  });

  it('refuses a bad value where it is used, naming the key it came from, or the flag that overrode it', () => {
    const bad = settings('[operator-gateway]\nlisten = "nowhere"\ncredit-limit = "10"\nbatch-size = 0\n', 'operator-gateway');
    expect(() => bad.hostPort('listen')).toThrow('app.toml [operator-gateway] listen must look like 127.0.0.1:26661, got "nowhere"');
    expect(() => bad.coin('credit-limit', true)).toThrow('app.toml [operator-gateway] credit-limit "10" has no denom');
    expect(() => bad.int('batch-size', 1)).toThrow('app.toml [operator-gateway] batch-size must be a whole number >= 1, got "0"');
    const overridden = settings('[operator-gateway]\ncredit-limit = "10"\n', 'operator-gateway', { 'credit-limit': '5' });
    expect(() => overridden.coin('credit-limit', true)).toThrow('--credit-limit "5" has no denom');
  });

  it('cairn operator serve and cairn payer serve say which key is missing or wrong in which file', async () => {
    const path = appConfigPath(home);
    const missing = await cairn('operator', 'serve', '--home', home);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--upstream is required (or upstream in app.toml [operator-gateway])');
    await writeFile(path, written.replace('[payer-gateway]\n', '[payer-gateway]\nban-seconds = 60\n'));
    const unknown = await cairn('payer', 'serve', '--home', home);
    expect(unknown.stderr).toBe(`Error: app.toml [payer-gateway] has no key "ban-seconds"; its keys are from, payer-key, listen, data, max-price, min-trust, regions, min-reputation, endpoints, attempts, set-aside, set-aside-max, set-aside-dishonest, top-up-below, top-up, gas-prices (${path})`);
    await writeFile(path, written.replace('min-trust = ""', 'min-trust = "trusted"').replace('payer-key = ""', 'payer-key = "config/not-a-seed"').replace('from = ""', 'from = "cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9"'));
    await writeFile(join(home, 'config', 'not-a-seed'), 'hello');
    const trust = await cairn('payer', 'serve', '--home', home);
    // the payer key is read first, relative to the home: it is no seed, and the error names the file
    expect(trust.stderr).toBe(`Error: ${join(home, 'config', 'not-a-seed')} must hold an ed25519 seed as 64 hex digits (cairn receipts keygen writes one)`);
    await writeFile(join(home, 'payer.key'), 'aa'.repeat(32));
    const trust2 = await cairn('payer', 'serve', '--home', home, '--payer-key', join(home, 'payer.key'));
    expect(trust2.stderr).toContain('app.toml [payer-gateway] min-trust must be one of none, self-declared, verified-tee, got "trusted"');
  });
});
